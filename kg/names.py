"""Name normalisation shared by the seed checks and the name resolver.

>>> name_key("Lee Jae-myung") == name_key("LEE  jae myung")
True
"""

from __future__ import annotations

import re
import unicodedata

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_.·'‘’‛`]+")


def nfc(text: str) -> str:
    """Unicode NFC form, so that one Hangul name is one string however it was typed."""
    return unicodedata.normalize("NFC", text)


def name_key(text: str) -> str:
    """A comparison key: NFC, case-folded, hyphens, dots and runs of spaces folded to one space."""
    return _SEPARATORS.sub(" ", nfc(text).casefold()).strip()
