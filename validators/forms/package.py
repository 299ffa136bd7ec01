"""The taxonomy documents of one entry point, read straight from a Taxonomy Package zip.

The forms are made from the registered package itself, never from the model the
shipped packages are built from, so another year's package (or the ministry's own)
brings its forms along. Only what the package holds is read: a URL is looked up in
the package's catalog (rewriteURI), and a document outside it (the XBRL standard's
own schemas) is not fetched but left out. Every document is parsed with a hardened
parser: no network, no DTD, no entities.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urldefrag, urljoin

from lxml import etree

XS = "http://www.w3.org/2001/XMLSchema"
LINK = "http://www.xbrl.org/2003/linkbase"
XLINK = "http://www.w3.org/1999/xlink"
CATALOG = "urn:oasis:names:tc:entity:xmlns:xml:catalog"
# A package's documents are small; a larger one is no taxonomy document of ours.
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
MAX_DOCUMENTS = 500


class PackageError(ValueError):
    """The package cannot be read as a taxonomy (broken zip, bad XML, a missing document)."""


def parser() -> etree.XMLParser:
    """A parser that opens nothing a document names: no network, no DTD, no entities, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def parse(data: bytes, name: str) -> etree._Element:
    """`data` as XML with the hardened parser; PackageError when it is not well-formed or has a DOCTYPE."""
    try:
        root = etree.fromstring(data, parser())
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"{name}: not well-formed XML ({exc.msg})") from exc
    if root.getroottree().docinfo.doctype:
        raise PackageError(f"{name}: a DOCTYPE is not allowed")
    return root


@dataclass
class Documents:
    """The schemas and linkbases reachable from an entry point, by URL, in discovery order."""

    schemas: dict[str, etree._Element] = field(default_factory=dict)
    linkbases: dict[str, etree._Element] = field(default_factory=dict)


class Package:
    """A Taxonomy Package zip, its catalog's URL mappings and the documents inside it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            with zipfile.ZipFile(path) as zf:
                self._infos = {info.filename: info for info in zf.infolist() if not info.is_dir()}
                catalog = next((n for n in self._infos if n.endswith("META-INF/catalog.xml")), None)
                self._rewrites = self._catalog(zf, catalog) if catalog else []
        except (OSError, zipfile.BadZipFile) as exc:
            raise PackageError(f"{path.name}: {exc}") from exc

    def _catalog(self, zf: zipfile.ZipFile, name: str) -> list[tuple[str, str]]:
        root = parse(self._read(zf, name), name)
        folder = posixpath.dirname(name)
        rewrites = []
        for node in root.iter(f"{{{CATALOG}}}rewriteURI"):
            start, prefix = node.get("uriStartString", ""), node.get("rewritePrefix", "")
            if start:
                target = posixpath.normpath(posixpath.join(folder, prefix))
                rewrites.append((start, target + "/" if prefix.endswith("/") else target))
        # The longest prefix wins, as catalog resolution prescribes.
        return sorted(rewrites, key=lambda pair: -len(pair[0]))

    def _read(self, zf: zipfile.ZipFile, name: str) -> bytes:
        info = self._infos[name]
        if info.file_size > MAX_DOCUMENT_BYTES:
            raise PackageError(f"{self.path.name}: {name} is larger than a taxonomy document may be")
        with zf.open(info) as f:
            data = f.read(MAX_DOCUMENT_BYTES + 1)
        if len(data) > MAX_DOCUMENT_BYTES:
            raise PackageError(f"{self.path.name}: {name} unpacks to more than it declares")
        return data

    def member(self, url: str) -> str | None:
        """The zip entry a URL maps onto, or None when the package does not hold it."""
        for start, target in self._rewrites:
            if url.startswith(start):
                name = posixpath.normpath(target + url[len(start):])
                return name if name in self._infos else None
        return None

    def documents(self, entry_point: str) -> Documents:
        """Every schema (xs:import, xs:include) and linkbase (link:linkbaseRef) the package holds that is
        reachable from `entry_point`; PackageError when the entry point itself is not in the package."""
        found = Documents()
        if self.member(entry_point) is None:
            raise PackageError(f"{self.path.name}: the entry point {entry_point} is not in the package")
        pending = [(entry_point, "schema")]
        seen: set[str] = set()
        with zipfile.ZipFile(self.path) as zf:
            while pending:
                url, kind = pending.pop(0)
                name = self.member(url)
                if url in seen or name is None:
                    continue  # the standard's own schemas: not part of the forms
                seen.add(url)
                if len(seen) > MAX_DOCUMENTS:
                    raise PackageError(f"{self.path.name}: more than {MAX_DOCUMENTS} documents")
                root = parse(self._read(zf, name), name)
                (found.schemas if kind == "schema" else found.linkbases)[url] = root
                pending.extend(_references(url, root))
        return found


def _references(url: str, root: etree._Element) -> list[tuple[str, str]]:
    """The documents one document points at: (absolute URL, "schema" or "linkbase")."""
    refs = []
    for tag in (f"{{{XS}}}import", f"{{{XS}}}include"):
        for node in root.iter(tag):
            if node.get("schemaLocation"):
                refs.append((urldefrag(urljoin(url, node.get("schemaLocation"))).url, "schema"))
    for node in root.iter(f"{{{LINK}}}linkbaseRef"):
        href = node.get(f"{{{XLINK}}}href")
        if href:
            refs.append((urldefrag(urljoin(url, href)).url, "linkbase"))
    return refs


def locate(base: str, href: str) -> tuple[str, str] | None:
    """A locator's href, relative to the linkbase at `base`, as (document URL, element id); None for a
    href that does not point at an element by its id (an XPointer scheme is not followed)."""
    target = urljoin(base, href)
    document, fragment = urldefrag(target)
    if not fragment or "(" in fragment:
        return None
    return document, fragment
