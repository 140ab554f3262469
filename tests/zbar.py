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


def decode_pdf_qr(pdf: bytes, folder: Path) -> list[str]:
    """Every QR code on the PDF's first page, read by zbar from a 300 dpi rendering (pdftoppm,
    from Debian's poppler-utils), top left to bottom right as zbar finds them."""
    for tool, package in (("pdftoppm", "poppler-utils"), ("zbarimg", "zbar-tools")):
        if shutil.which(tool) is None:
            if os.environ.get("REQUIRE_BROWSER") == "1":
                pytest.fail(f"REQUIRE_BROWSER=1 and {tool} is missing (apt-get install {package})")
            pytest.skip(f"{tool} is not installed (apt-get install {package})")
    (folder / "labels.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-f", "1", "-l", "1", "-png", "labels.pdf", "page"],
        cwd=folder,
        check=True,
    )
    page = next(folder.glob("page*.png"))
    result = subprocess.run(["zbarimg", "--raw", "-q", str(page)], capture_output=True, text=True)
    return result.stdout.split()
