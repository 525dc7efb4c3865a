"""Streaming XML safely: no DTD, no entity, no external reference, ever.

A file carrying a document type declaration is refused before any parsing, by looking at its
bytes: entities (the "billion laughs" bomb) and external references can only be declared in a
DTD, so a file without one cannot expand or fetch anything. The parser is then built with
entity resolution, DTD loading and network access switched off as a second guard, and the
document is read as a stream of elements that the caller clears as it goes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import BinaryIO

from lxml import etree

from data_access.statutory.problems import StatutoryFileProblem

_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")
_UTF16_32_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
# Read this much at a time when scanning a file on disk for a DTD.
_SCAN_CHUNK = 1 << 20


def refuse_dtd(data: bytes) -> None:
    """Raise StatutoryFileProblem if the XML declares a DTD or entities, or is not UTF-8."""
    if data.startswith(_UTF16_32_BOMS) or data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        raise StatutoryFileProblem(
            [
                "The file is saved as UTF-16; the DfE's returns are UTF-8. Export it again as "
                "UTF-8 XML."
            ]
        )
    for marker in _FORBIDDEN:
        if marker in data:
            raise StatutoryFileProblem(
                [
                    "The file declares a document type (DTD) or entities (<!DOCTYPE or <!ENTITY). "
                    "A DfE return never does, and such declarations can make a file expand or "
                    "fetch other files, so it was refused before being read. Export the return "
                    "again from the case management system without a DOCTYPE line."
                ]
            )


def _parser_options() -> dict[str, object]:
    return {
        "resolve_entities": False,
        "load_dtd": False,
        "no_network": True,
        "dtd_validation": False,
        "huge_tree": False,
        "remove_comments": True,
        "remove_pis": True,
    }


def iter_end_elements(data: bytes) -> Iterator[tuple[str, etree._Element]]:
    """Yield (local tag name, element) at each element's end, after refusing any DTD.

    The caller must clear what it has read (see ``release``) so memory stays flat.
    """
    refuse_dtd(data)
    return _iterate(io.BytesIO(data))


def _iterate(stream: BinaryIO) -> Iterator[tuple[str, etree._Element]]:
    context = etree.iterparse(stream, events=("start", "end"), **_parser_options())
    try:
        for event, element in context:
            tag = element.tag
            if not isinstance(tag, str):
                continue
            if "}" in tag:
                tag = tag.rpartition("}")[2]
            if event == "start":
                # Only the root's start matters (is this the right kind of file?).
                if element.getparent() is None:
                    yield "<root>" + tag, element
                continue
            yield tag, element
    except etree.XMLSyntaxError as exc:
        line = getattr(exc, "lineno", None)
        where = f" at line {line}" if line else ""
        raise StatutoryFileProblem(
            [
                f"The file is not well-formed XML{where} ({exc.msg}). Export it again from the "
                "case management system; a file edited by hand may have lost a closing tag."
            ]
        ) from None


def release(element: etree._Element) -> None:
    """Free an element that has been read, and the siblings read before it."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
