"""Readers shared by the one-truth checks (tests/test_one_truth.py, test_one_truth_annual.py)."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from tests.support.signed_in import signed_in_app


def run_page(key: str, **query: str) -> AppTest:
    """Page `key` run as an executive, with URL query parameters; it must not raise."""
    at = signed_in_app(key, "executive", query=query, timeout=180).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))
