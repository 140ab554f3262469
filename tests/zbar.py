"""Reading a QR image with a real decoder (zbarimg, from Debian's zbar-tools).

Without zbarimg a test that needs it is skipped, and fails when REQUIRE_BROWSER=1 (CI), like the
browser tests: a QR code nobody decoded is not a tested QR code.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def decode_qr(png: bytes, folder: Path) -> str:
    """The text of the one QR code in the PNG image (written to ``folder`` for zbarimg)."""
    if shutil.which("zbarimg") is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 and zbarimg is missing (apt-get install zbar-tools)")
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    image = folder / "qr.png"
    image.write_bytes(png)
    result = subprocess.run(
        ["zbarimg", "--raw", "-q", str(image)], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _require(tool: str, package: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 and {tool} is missing (apt-get install {package})")
        pytest.skip(f"{tool} is not installed (apt-get install {package})")


def pdf_page_png(pdf: bytes, folder: Path, dpi: int = 300) -> Path:
    """The PDF's first page as a PNG, drawn by poppler's pdftoppm as a printer would."""
    _require("pdftoppm", "poppler-utils")
    source = folder / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(folder / "page"),
        ],
        check=True,
    )
    return folder / "page.png"


def decode_all(image: Path) -> set[tuple[str, str]]:
    """Every code zbar reads in the image: (symbology, text), e.g. ("EAN-13", "893…")."""
    _require("zbarimg", "zbar-tools")
    result = subprocess.run(["zbarimg", "-q", str(image)], capture_output=True, text=True)
    found = set()
    for line in result.stdout.splitlines():
        kind, _, text = line.partition(":")
        found.add((kind, text))
    return found


def decode_pdf_qr(pdf: bytes, folder: Path) -> list[str]:
    """Every QR code on the PDF's first page, read by zbar from a 300 dpi rendering, top left to
    bottom right as zbar finds them."""
    page = pdf_page_png(pdf, folder)
    _require("zbarimg", "zbar-tools")
    result = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True, text=True)
    return result.stdout.split()
