"""An inline filing that loads comes back prepared for Arelle's ixbrl-viewer (Report.viewer); an
xBRL-XML one does not; and a filing the viewer cannot be added to keeps exactly its verdict."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from lxml import etree

from validators import Engine, EngineSettings, PoolSettings, Registry
from validators.arelle.viewer import SCRIPT_URL, VERSION, script_file

from ..samples import VALID, VALID_INLINE

DATA_BLOCK = re.compile(rb'<script type="application/x\.ixbrl-viewer\+json">(.*?)</script>', re.S)


def viewer_data(document: bytes) -> dict:
    """The viewer's JSON data block of a prepared document."""
    match = DATA_BLOCK.search(document)
    assert match, document[-2000:]
    return json.loads(match.group(1))


def test_an_inline_filing_comes_back_with_its_viewer_document(engine: Engine) -> None:
    report = engine.validate(VALID_INLINE, "po-small.xhtml", "41234", 2025)
    assert report.status == "valid", [f.code for f in report.findings]  # the guard refused none of the builder's files
    assert report.viewer is not None and "viewer_ms" in report.timings
    assert "viewer" not in report.to_dict()  # kept beside the report, never in its published JSON
    # The viewer's script from the portal's own path, once, named by this package version.
    assert SCRIPT_URL == f"/static/ixbrl-viewer/{VERSION}/ixbrlviewer.js" and script_file().is_file()
    assert report.viewer.count(f'src="{SCRIPT_URL}"'.encode()) == 1
    # Still well-formed XHTML with every fact of the filing in the viewer's data.
    root = etree.fromstring(report.viewer)
    assert root.tag == "{http://www.w3.org/1999/xhtml}html"
    (target,) = viewer_data(report.viewer)["sourceReports"][0]["targetReports"]
    assert len(target["facts"]) == len(report.facts)
    concepts = {fact["a"]["c"] for fact in target["facts"].values()}
    assert "edu:Assets" in concepts and "edu:BoardNumber" in concepts
    assert target["concepts"]["edu:Assets"]["labels"]["std"]["nl"] == "Totaal activa"
    # Each fact the viewer knows is an element of the document with that id (what a click finds).
    ids = set(root.xpath("//@id"))
    assert set(target["facts"]) <= ids


def test_an_xbrl_xml_filing_has_no_viewer_document(engine: Engine) -> None:
    report = engine.validate(VALID, "po-small.xbrl", "41234", 2025)
    assert report.status == "valid" and report.facts and report.viewer is None
    assert "viewer_ms" not in report.timings


@pytest.fixture(scope="module")
def engine_without_viewer(registry: Registry) -> Iterator[Engine]:
    """The same engine with the viewer switched off: the verdict to compare with."""
    with Engine(EngineSettings(pool=PoolSettings(workers=1), viewer_script=None), registry) as e:
        yield e


def test_a_filing_the_viewer_cannot_be_added_to_keeps_its_verdict(engine: Engine,
                                                                   engine_without_viewer: Engine) -> None:
    # An inline document without a body: Arelle loads its facts (and finds the schema error), but
    # the builder has nowhere to put the viewer. A real failure of the builder, not a staged one.
    no_body = VALID_INLINE.replace(b"<body>", b"<div>").replace(b"</body>", b"</div>")
    with_viewer = engine.validate(no_body, "no-body.xhtml", "41234", 2025)
    without = engine_without_viewer.validate(no_body, "no-body.xhtml", "41234", 2025)
    assert with_viewer.viewer is None and "viewer_ms" in with_viewer.timings  # it was tried
    assert with_viewer.facts  # the filing loaded
    assert with_viewer.status == without.status == "invalid"
    assert [f.to_dict() for f in with_viewer.findings] == [f.to_dict() for f in without.findings]
    assert without.viewer is None and "viewer_ms" not in without.timings
