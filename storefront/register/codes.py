"""Product codes: short, public, unambiguous when read aloud or typed from a label."""

from __future__ import annotations

import random
import re
import secrets

# No 0/O, 1/I/L: codes are typed by hand at showroom counters.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# What a product, producer or showroom code can look like; anything else is never looked up.
CODE_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,31}")


def new_product_code(rng: random.Random | None = None, taken: set[str] | None = None) -> str:
    """A fresh code not in ``taken`` (which is updated). Seeded ``rng`` gives repeatable codes."""
    taken = taken if taken is not None else set()
    while True:
        if rng is None:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        else:
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code
