"""Every message in the code and templates has a Vietnamese translation."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def test_every_message_has_a_vietnamese_translation(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "--ignore-dirs",
            ".* __pycache__",
            "-o",
            str(pot),
            "storefront",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as extracted_file:
        extracted = read_po(extracted_file)
    with (ROOT / "storefront/translations/vi/LC_MESSAGES/messages.po").open("rb") as po:
        vietnamese = read_po(po, locale="vi")
    missing = [
        message.id
        for message in extracted
        if message.id and not _translated(vietnamese.get(message.id, message.context))
    ]
    assert missing == [], f"run `make translations` and translate: {missing}"
    assert len(extracted) > 100  # the extraction really found the templates


def _translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)
