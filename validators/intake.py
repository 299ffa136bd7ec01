"""Intake: the IN-* rules, cheapest first, before Arelle sees a byte.

An upload is accepted as one report document (xBRL-XML or inline XBRL), from
the file itself or from a report package (zip, .xbri, .xbr) unpacked in
memory within limits. Anything else gets exactly one IN-* finding with a
message that says what to do. Nothing here writes to disk.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

from . import active
from .codes import IN_DTD, IN_EMPTY, IN_SCRIPT, IN_SIZE, IN_TYPE, IN_XML, IN_ZIP
from .i18n import Message, both, mark
from .report import Finding, finding

XML_EXTENSIONS = {".xbrl": "xbrl", ".xml": "xbrl", ".xhtml": "ixbrl", ".html": "ixbrl", ".htm": "ixbrl"}
PACKAGE_EXTENSIONS = {".zip": None, ".xbri": "ixbrl", ".xbr": "xbrl"}
XBRLI = "http://www.xbrl.org/2003/instance"
XHTML = "http://www.w3.org/1999/xhtml"
IX = "http://www.xbrl.org/2013/inlineXBRL"
IX_1_0 = "http://www.xbrl.org/2008/inlineXBRL"
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
# libxml2's own limits (without XML_PARSE_HUGE), by a part of its message, said in plain words.
_PARSER_LIMITS = (  # (marker, code, what the file contains); the first marker found counts
    ("Text node too long", IN_SIZE, mark("one text of more than 10 MB")),
    ("CData section too big", IN_SIZE, mark("one CDATA section of more than 10 MB")),
    ("Comment too big", IN_SIZE, mark("one comment of more than 10 MB")),
    ("too big found", IN_SIZE, mark("one processing instruction of more than 10 MB")),
    ("Buffer size limit exceeded", IN_SIZE, mark("one value or text of more than 10 MB")),
    ("Excessive depth", IN_XML, mark("elements nested more than 256 levels deep")),
    ("Name too long", IN_XML, mark("a name of more than 50,000 characters")),
)


@dataclass(frozen=True)
class Limits:
    """Configurable intake limits."""

    max_upload_bytes: int = 25 * 1024 * 1024
    max_unpacked_bytes: int = 100 * 1024 * 1024  # all entries of a package together
    max_entries: int = 500
    max_ratio: int = 100  # uncompressed / compressed, per entry
    # What a worker can validate within its memory ceiling (PoolSettings.kill_mb, 1,500 MB) and time
    # limit (120 s of computing time), with a margin: a document's weight is its facts + 2 x its
    # contexts + 1/8 of all its elements (see `Size`). Measured (python -m bench.bench_limits): at most
    # 9.8 KB and 0.59 ms per unit of weight, so 100,000 stays under about 1,070 MB and 60 s.
    max_weight: int = 100_000


@dataclass(frozen=True)
class Document:
    """The one report document of an upload, parsed."""

    name: str  # for messages: the upload's name, or the path inside the package
    kind: str  # "xbrl" or "ixbrl"
    data: bytes
    root: etree._Element


class Rejected(Exception):
    """Raised inside intake with the one finding that rejects the upload."""

    def __init__(self, item: Finding) -> None:
        super().__init__(item.code)
        self.finding = item


def _reject(code: str, message: Message, name: str | None = None, line: int | None = None) -> Rejected:
    return Rejected(finding(code, "error", message, file=name, line=line))


def accept(data: bytes, filename: str, limits: Limits = Limits()) -> Document:
    """Return the upload's report document, or raise Rejected with its IN-* finding."""
    if not data:
        raise _reject(IN_EMPTY, both("The upload is empty."), filename)
    if len(data) > limits.max_upload_bytes:
        mb = limits.max_upload_bytes // (1024 * 1024)
        raise _reject(IN_SIZE, both("The upload exceeds %(mb)s MB.", mb=mb), filename)
    extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower()
    if extension in PACKAGE_EXTENSIONS:
        if not data.startswith(b"PK\x03\x04"):
            raise _reject(IN_TYPE, both("The file is named %(extension)s but is not a zip file.",
                                        extension=extension), filename)
        name, inner = _unpack(data, filename, limits)
        document = check_size(_parse(inner, name), limits)
        expected = PACKAGE_EXTENSIONS[extension]
        if expected and document.kind != expected:
            raise _reject(IN_TYPE, both("A %(extension)s package must contain %(kind)s.", extension=extension,
                                        kind=_kind(expected)), name)
        return document
    if extension not in XML_EXTENSIONS:
        raise _reject(IN_TYPE, both("Only XBRL (.xbrl, .xml), inline XBRL (.xhtml, .html) or a report package "
                                    "(.zip, .xbri, .xbr)."), filename)
    return check_size(_parse(data, filename), limits)


def _kind(kind: str) -> Message:
    return both("an inline XBRL document") if kind == "ixbrl" else both("an XBRL instance")


def _sniff(data: bytes, name: str) -> None:
    """Recognise what a would-be XML file really is, from its first bytes."""
    head = data[:8]
    if head.startswith(b"%PDF"):
        raise _reject(IN_TYPE, both("This is a PDF file, not XBRL. Upload the annual report's XBRL file."), name)
    if head.startswith(b"PK\x03\x04"):
        raise _reject(IN_TYPE, both("This is a zip file; name it .zip, .xbri or .xbr."), name)
    text = _decode_head(data)
    if not text.lstrip().startswith("<"):
        raise _reject(IN_TYPE, both("This file is not XML, so not XBRL."), name)


def _decode_head(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data[:4096].decode("utf-16", errors="replace")
    return data[:4096].decode("utf-8", errors="replace").lstrip("\ufeff")


def _has_dtd(data: bytes) -> bool:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00<\x00" in data[:64] or b"<\x00" in data[:64]:
        # UTF-16 text would hide the declaration from a byte search.
        return bool(_DTD.search(data.decode("utf-16", errors="replace").encode("utf-8")))
    return bool(_DTD.search(data))


def _parse(data: bytes, name: str) -> Document:
    _sniff(data, name)
    if _has_dtd(data):
        raise _reject(IN_DTD, both("The file contains a DOCTYPE or ENTITY declaration, which is not allowed."), name)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                             huge_tree=False, remove_comments=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno and exc.lineno > 0 else None
        for marker, code, what in _PARSER_LIMITS:
            if marker in (exc.msg or ""):
                raise _reject(code, both("The file contains %(what)s (line %(line)s); that is more than allowed.",
                                         what=both(what), line=line), name, line) from exc
        raise _reject(IN_XML, both("Not well-formed XML: %(error)s (line %(line)s).", error=exc.msg, line=line),
                      name, line) from exc
    if root.getroottree().docinfo.doctype:  # belt and braces: the byte scan should have caught it
        raise _reject(IN_DTD, both("The file contains a DOCTYPE declaration."), name)
    qname = etree.QName(root)
    if qname.namespace == XBRLI and qname.localname == "xbrl":
        return Document(name, "xbrl", data, root)
    if qname.localname == "html" and qname.namespace in (XHTML, None):
        if next(root.iter(f"{{{IX_1_0}}}*"), None) is not None:
            raise _reject(IN_TYPE, both("This is inline XBRL 1.0, which is not supported. File inline XBRL 1.1 "
                                        "(namespace %(namespace)s).", namespace=IX), name)
        if next(root.iter(f"{{{IX}}}*"), None) is None:
            raise _reject(IN_TYPE, both("This XHTML page contains no inline XBRL tags."), name)
        active.check(root, lambda message, line: _reject(IN_SCRIPT, message, name, line))
        return Document(name, "ixbrl", data, root)
    raise _reject(IN_TYPE, both("The root element <%(root)s> is not an XBRL instance or inline XBRL document.",
                                root=qname.localname), name)


def _unpack(data: bytes, filename: str, limits: Limits) -> tuple[str, bytes]:
    """The one report inside a report package, read in memory within limits."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise _reject(IN_ZIP, both("The zip file is broken."), filename) from exc
    if len(infos) > limits.max_entries:
        raise _reject(IN_ZIP, both("The package contains more than %(count)s files.", count=limits.max_entries),
                      filename)
    seen: set[str] = set()
    declared = 0
    for info in infos:
        _check_entry(info, seen, filename, limits)
        declared += info.file_size
    if declared > limits.max_unpacked_bytes:
        mb = limits.max_unpacked_bytes // (1024 * 1024)
        raise _reject(IN_SIZE, both("Unpacked, the package exceeds %(mb)s MB.", mb=mb), filename)
    reports = [i for i in infos if not i.is_dir() and PurePosixPath(i.filename).suffix.lower() in XML_EXTENSIONS
               and "META-INF" not in PurePosixPath(i.filename).parts]
    in_reports_folder = [i for i in reports if "reports" in PurePosixPath(i.filename).parts[:-1]]
    candidates = in_reports_folder or reports
    if len(candidates) != 1:
        raise _reject(IN_ZIP, both("A report package must contain exactly one report; found %(count)s.",
                                   count=len(candidates)), filename)
    info = candidates[0]
    try:
        with zf.open(info) as f:  # headers can lie: never read more than the limit
            inner = f.read(limits.max_unpacked_bytes + 1)
    except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as exc:
        raise _reject(IN_ZIP, both("The report in the package cannot be unpacked."), filename) from exc
    if len(inner) > limits.max_unpacked_bytes or len(inner) > info.file_size:
        raise _reject(IN_ZIP, both("The package unpacks to more than it declares."), filename)
    return f"{filename}/{info.filename}", inner


def _check_entry(info: zipfile.ZipInfo, seen: set[str], filename: str, limits: Limits) -> None:
    name = info.filename
    path = PurePosixPath(name)
    problem: Message | None = None
    if "\\" in name:
        problem = both("a backslash in a file name")
    elif name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        problem = both("an absolute path")
    elif ".." in path.parts:
        problem = both("a path with '..'")
    elif name.casefold() in seen:
        problem = both("a duplicate entry")
    elif info.flag_bits & 0x1:
        problem = both("an encrypted entry")
    elif info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
        problem = both("a suspicious compression ratio")
    if problem:
        raise _reject(IN_ZIP, both("Unsafe zip file: %(problem)s (%(name)s).", problem=problem, name=name[:100]),
                      filename)
    seen.add(name.casefold())


_FACT_TAGS = tuple(f"{{{ns}}}{local}" for ns in (IX, "http://www.xbrl.org/2008/inlineXBRL")
                   for local in ("nonFraction", "nonNumeric", "fraction", "tuple"))
_NOT_FACTS = (XBRLI, "http://www.xbrl.org/2003/linkbase")  # contexts, units and links at the top of an instance


@dataclass(frozen=True)
class Size:
    """What Arelle's memory and computing time grow with: facts, contexts and elements (not bytes)."""

    facts: int
    contexts: int
    elements: int  # all of them, the facts' and contexts' own included

    @property
    def weight(self) -> int:
        """Facts + 2 x contexts + elements / 8, from measurement: per unit at most 9.8 KB and
        0.59 ms in a worker, whether the units are facts, contexts (which cost Arelle about twice
        the time of a fact) or the markup of an inline document (about an eighth of a fact each)."""
        return self.facts + 2 * self.contexts + self.elements // 8


def measure(document: Document) -> Size:
    """Count facts, contexts and elements on the parsed tree (no values read: fast)."""
    root = document.root
    contexts = sum(1 for _ in root.iter(f"{{{XBRLI}}}context"))
    elements = sum(1 for _ in root.iter(etree.Element))
    if document.kind == "ixbrl":
        facts = sum(1 for _ in root.iter(*_FACT_TAGS))
    else:  # every element under a top-level item or tuple (a tuple's items count too)
        facts = sum(sum(1 for _ in child.iter(etree.Element)) for child in root
                    if isinstance(child.tag, str) and etree.QName(child).namespace not in _NOT_FACTS)
    return Size(facts, contexts, elements)


def check_size(document: Document, limits: Limits) -> Document:
    """IN-SIZE when the document is heavier than a worker can validate within its memory and time."""
    size = measure(document)
    if size.weight > limits.max_weight:
        def number(n: int) -> Message:  # thousands grouped with a point in Dutch, a comma in English
            return {"nl": f"{n:,}".replace(",", "."), "en": f"{n:,}"}

        raise _reject(IN_SIZE, both(
            "The file is too large to be checked: it holds %(facts)s facts, %(contexts)s contexts and %(elements)s "
            "XML elements, together more than a check can handle. Remove data or markup that do not belong in the "
            "annual report and upload the file again.", facts=number(size.facts), contexts=number(size.contexts),
            elements=number(size.elements)), document.name)
    return document
