"""IN-SCRIPT: nothing in an inline XBRL document may run or load anything in a viewer's browser,
however it is spelled; what only looks like it stays allowed."""

from __future__ import annotations

import pytest

from validators import Engine
from validators.intake import Rejected, accept

from ..samples import VALID_INLINE, sample

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}</svg>'


def _in_body(markup: str) -> bytes:
    return VALID_INLINE.replace(b"<body>", b"<body>" + markup.encode(), 1)


def _in_head(markup: str) -> bytes:
    return VALID_INLINE.replace(b"</head>", markup.encode() + b"</head>", 1)


ACTIVE = {
    "javascript: with a tab inside the scheme": _in_body('<a href="java&#x09;script:alert(1)">x</a>'),
    "javascript: with a newline and a carriage return inside": _in_body('<a href="jav&#x0A;a&#x0D;script:x()">x</a>'),
    "javascript: behind spaces and a character reference": _in_body('<a href=" &#x20;&#106;avascript:x()">x</a>'),
    "vbscript:": _in_body('<a href="VBScript:x">x</a>'),
    "HTML data: URL with a tab": _in_body('<a href="data:text/h&#x09;tml,&lt;b&gt;x">x</a>'),
    "SVG set adding an event handler": _in_body(SVG.format('<set attributeName="onmouseover" to="alert(1)"/>')),
    "SVG set adding an event handler, name in lower case": _in_body(SVG.format(
        '<set attributename="onclick" to="alert(1)"/>')),
    "SVG animate adding an event handler": _in_body(SVG.format(
        '<rect width="5" height="5"><animate attributeName="onclick" values="alert(1)"/></rect>')),
    "SVG animate putting javascript: in a link": _in_body(SVG.format(
        '<a><animate attributeName="href" values="#a;javascript:alert(1)"/><text>x</text></a>')),
    "meta refresh": _in_head('<meta http-equiv="refresh" content="0;url=https://evil.example/"/>'),
    "meta refresh, other case": _in_head('<meta HTTP-EQUIV=" Refresh " content="5"/>'),
    "external stylesheet": _in_head('<link rel="stylesheet" href="https://evil.example/x.css"/>'),
    "external stylesheet among other rel values": _in_head('<link rel="alternate Stylesheet" href="x.css"/>'),
    "@import in a style element": _in_head('<style>@import url(https://evil.example/x.css);</style>'),
    "@import spelled with a CSS escape": _in_head('<style>@im\\70 ort "https://evil.example/x.css";</style>'),
    "url(http...) after an @namespace rule without its semicolon": _in_head(
        '<style>@namespace x url(a) p{} div { background: url(//evil.example/p) }</style>'),
    "url(http...) in a style element": _in_head('<style>body { background: url(https://evil.example/p) }</style>'),
    "url( spelled with a CSS escape": _in_head('<style>body { background: u\\72 l(https://evil.example/p) }</style>'),
    "url( split by a comment inside": _in_head('<style>b { background: url(/**/https://evil.example/p) }</style>'),
    "url(http...) after what only looks like a comment": _in_head(
        '<style>p { color: red } /\\2a  div { background: url(//evil.example/p) } */</style>'),
    "url( never closed": _in_head("<style>b { background: url('//evil.example/p</style>"),
    "url() in a style attribute": _in_body('<p style="background-image: url(\'//evil.example/p.png\')">x</p>'),
    "url() to a relative path in a style attribute": _in_body('<p style="background: url(img/p.png)">x</p>'),
    "image-set() in a style attribute": _in_body('<p style="background: image-set(\'https://e.example/p\' 1x)">x</p>'),
    "expression() in a style attribute": _in_body('<p style="width: expression(alert(1))">x</p>'),
    "url(javascript:) in a style attribute": _in_body('<p style="background: url(javascript:alert(1))">x</p>'),
    "SVG fill from another site": _in_body(SVG.format('<rect width="5" height="5" '
                                                      'fill="url(https://evil.example/p.svg#g)"/>')),
    "SVG style element with @import": _in_body(SVG.format('<style>@import "https://evil.example/x.css";</style>')),
}


@pytest.mark.parametrize("name", sorted(ACTIVE))
def test_active_content_is_refused(name: str, engine: Engine) -> None:
    report = engine.validate(ACTIVE[name], "a.xhtml", "41234", 2025)
    assert [f.code for f in report.findings] == ["IN-SCRIPT"], [f.to_dict() for f in report.findings]
    (item,) = report.findings
    assert item.line and item.message["nl"] and item.message["en"]
    assert report.status == "rejected" and "arelle_ms" not in report.timings


ALLOWED_IN_BODY = {
    "a link to a web page": '<a href="https://www.example.org/jaarverslag">x</a>',
    "an image as a data: URL in a style attribute": '<p style="background: url(data:image/png;base64,iVBORw0KGgo=)">'
                                                    "x</p>",
    "an SVG fill from a gradient in the document": SVG.format('<rect width="5" height="5" fill="url(#g)"/>'),
    "an SVG animation of a colour": SVG.format('<rect width="5" height="5"><animate attributeName="fill" '
                                               'values="red;blue" dur="1s"/></rect>'),
    "text that mentions javascript": '<p title="Over javascript: niets">javascript:alert(1)</p>',
}
ALLOWED_IN_HEAD = {
    "a CSS namespace rule": '<style type="text/css">@namespace svg url(http://www.w3.org/2000/svg); '
                            "svg|rect { fill: red }</style>",
    "an icon as a data: URL": '<link rel="icon" href="data:image/png;base64,iVBORw0KGgo="/>',
    "a meta element that is no redirect": '<meta http-equiv="X-UA-Compatible" content="IE=edge"/>',
}


@pytest.mark.parametrize("name", sorted(ALLOWED_IN_BODY) + sorted(ALLOWED_IN_HEAD))
def test_what_only_looks_active_is_accepted(name: str) -> None:
    accept(_in_body(ALLOWED_IN_BODY[name]) if name in ALLOWED_IN_BODY else _in_head(ALLOWED_IN_HEAD[name]), "a.xhtml")


def test_an_inline_report_with_all_of_it_stays_valid(engine: Engine) -> None:
    # SVG is left out: Arelle's XHTML schema for inline XBRL has no place for it.
    html = "".join(markup for markup in ALLOWED_IN_BODY.values() if "<svg" not in markup)
    combined = _in_body(f"<div>{html}</div>").replace(
        b"</head>", "".join(ALLOWED_IN_HEAD.values()).encode() + b"</head>", 1)
    report = engine.validate(combined, "a.xhtml", "41234", 2025)
    assert report.status == "valid", [f.to_dict() for f in report.findings]


@pytest.mark.parametrize("path", ["2024/valid/po-small.xhtml", "2025/valid/po-small.xhtml"])
def test_the_inline_samples_are_accepted(path: str) -> None:
    try:
        accept(sample(path), "a.xhtml")
    except Rejected as rejected:  # pragma: no cover - the failure message is the point
        pytest.fail(str(rejected.finding.to_dict()))
