"""What a reader sees of Markdown the app escaped (dashboard/components/plain.py), for page tests
that look for typed or stored text in Markdown elements."""

from __future__ import annotations

import re
import string

from dashboard.components.plain import WORD_JOINER

_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")


def visible(source: str) -> str:
    """`source` with backslash escapes undone and the escaper's invisible word joiners dropped."""
    return _ESCAPED.sub(r"\1", source).replace(WORD_JOINER, "")
