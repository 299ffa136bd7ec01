"""What Arelle reads: the document intake parsed and checked, written out again by lxml.

Arelle does not read a file the way intake's parser does. It picks the
encoding with a pattern over the file's first line, which also matches
`encoding="unicode_escape"` inside a comment after the XML declaration, and
then decodes with Python's codec of that name: text intake read as
characters (`\\x3clink:linkbaseRef .../\\x3e`) turns into markup, a reference
nobody checked or a DOCTYPE. So Arelle never gets the uploaded bytes: it
gets the tree intake built and the reference policy checked, serialised as
UTF-8 with exactly one XML declaration alone on the first line.

Findings must still name the upload's lines. Serialising keeps every text
and comment as it was, so lines stay where they were except for a constant
shift (the declaration gets a line of its own; an element's line is where
its start tag ends, so the root's own start tag over several lines is made up
for by blank lines before it); only another tag written over several lines,
or a newline written as a character reference, moves later lines. That is
detected by counting newlines; only then are the lines matched by reading the
written document back (about 20 ms for a 3,000-fact filing, for such files only).
"""

from __future__ import annotations

import bisect
import re

from lxml import etree

from .arelle.results import ArelleResult
from .intake import Document

DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NEWLINE_REFERENCE = re.compile(rb"&#(?:0*10|[xX]0*[aA]);")
_BYTE_NEWLINE = ("UTF-8", "ASCII", "US-ASCII", "ISO-8859-", "LATIN", "WINDOWS-125")


class ArelleInput:
    """The bytes Arelle reads for `document`, and the way back to the upload's line numbers."""

    def __init__(self, document: Document) -> None:
        root = document.root
        parts = [DECLARATION]
        line = 2
        for node in reversed(list(root.itersiblings(preceding=True))):  # comments and PIs before the root
            text = etree.tostring(node, encoding="UTF-8", with_tail=False)
            parts.append(text + b"\n")
            line += text.count(b"\n") + 1
        if root.sourceline and root.sourceline > line:
            parts.append(b"\n" * (root.sourceline - line))
            line = root.sourceline
        body = etree.tostring(root, encoding="UTF-8", xml_declaration=False, with_tail=False)
        parts.append(body)
        for node in root.itersiblings():  # and after it
            parts.append(b"\n" + etree.tostring(node, encoding="UTF-8", with_tail=False))
        parts.append(b"\n")
        self.data = b"".join(parts)
        self._root = root
        self._shift = line - (root.sourceline or line)
        self._moved = not _same_layout(document, body)  # lines moved: match them by reading back
        self._lines: tuple[list[int], list[int]] | None = None

    def original_line(self, line: int) -> int:
        """The upload's line for `line` of the written document."""
        if not self._moved:
            return max(1, line - self._shift)
        if self._lines is None:
            self._lines = _match_lines(self._root, self.data)
        written, original = self._lines
        index = bisect.bisect_right(written, line) - 1
        if index < 0:
            return max(1, line - self._shift)
        return original[index] + (line - written[index])

    def map_lines(self, result: ArelleResult) -> None:
        """Put the upload's line numbers into an Arelle result's findings and facts (in place)."""
        for item in result.findings:
            if isinstance(item.line, int):
                item.line = self.original_line(item.line)
        for fact in result.facts:
            line = fact.get("line")
            if isinstance(line, int):
                fact["line"] = self.original_line(line)


def _same_layout(document: Document, body: bytes) -> bool:
    """Whether the written root element has its newlines exactly where the upload had them.

    Serialising only ever drops newlines (inside tags, or in attribute values)
    except for newlines written as character references, which it writes out.
    So without those, the same number of newlines means none moved.
    """
    raw = document.data
    root = document.root
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper().replace("_", "-")
    if not encoding.startswith(_BYTE_NEWLINE) or b"\x00" in raw[:4]:
        return False  # a newline may not be one byte 0x0A: do not count bytes
    if not root.sourceline or root.getnext() is not None:
        return False
    if (b"\r" in raw and raw.count(b"\r") != raw.count(b"\r\n")) or _NEWLINE_REFERENCE.search(raw):
        return False
    end = len(raw.rstrip(b" \t\r\n"))  # the root's end tag closes the document
    before = root.sourceline - 1  # the upload's newlines before the line where the root's start tag ends
    return raw.count(b"\n") - before - raw.count(b"\n", end) == body.count(b"\n")


def _match_lines(root: etree._Element, data: bytes) -> tuple[list[int], list[int]]:
    """Each element's line in the written document beside its line in the upload (sorted, first one per line)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    written_root = etree.fromstring(data, parser)
    pairs: dict[int, int] = {}
    for original, written in zip(root.iter(), written_root.iter()):
        if written.sourceline and original.sourceline:
            pairs.setdefault(written.sourceline, original.sourceline)
    keys = sorted(pairs)
    return keys, [pairs[k] for k in keys]
