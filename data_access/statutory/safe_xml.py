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
from pathlib import Path
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


def refuse_dtd_in_file(path: Path) -> None:
    """As ``refuse_dtd``, for a file on disk read a chunk at a time (chunks overlap a little,
    so a marker split between two chunks is still found)."""
    overlap = max(len(m) for m in _FORBIDDEN)
    with path.open("rb") as handle:
        tail = b""
        first = True
        while chunk := handle.read(_SCAN_CHUNK):
            if first:
                refuse_dtd(chunk[:16])  # the encoding check, on the first bytes
                first = False
            refuse_dtd(tail + chunk)
            tail = chunk[-overlap:]


def iter_end_elements(
    source: bytes | Path, tags: tuple[str, ...]
) -> Iterator[tuple[str, etree._Element]]:
    """Yield (local tag name, element) at the end of each element named in `tags` (any
    namespace), after refusing any DTD; first of all ("<root>" + the root's name, root).

    `source` is the file's bytes, or a path read from disk as it is parsed. Only the named
    elements reach Python (the parser skips the rest in C). The caller must clear what it has
    read (see ``release``) so memory stays flat.
    """
    if isinstance(source, Path):
        refuse_dtd_in_file(source)
        return _iterate_file(source, tags)
    refuse_dtd(source)
    return _iterate(io.BytesIO(source), tags)


def _iterate_file(path: Path, tags: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    with path.open("rb") as handle:
        yield from _iterate(handle, tags)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if "}" in tag else tag


def _iterate(stream: BinaryIO, tags: tuple[str, ...]) -> Iterator[tuple[str, etree._Element]]:
    wanted = [f"{{*}}{tag}" for tag in tags]
    context = etree.iterparse(stream, events=("end",), tag=wanted, **_parser_options())
    root_seen = False
    try:
        for _event, element in context:
            if not root_seen:
                root = element.getroottree().getroot()
                yield "<root>" + _local(str(root.tag)), root
                root_seen = True
            yield _local(str(element.tag)), element
        if not root_seen and context.root is not None:
            yield "<root>" + _local(str(context.root.tag)), context.root
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
