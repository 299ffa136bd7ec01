"""What the browser walk checks on every page state: that it fits the screen, that axe-core finds
nothing of impact serious or critical, that no link on it is dead for the role that sees it, and
that its numbers are written in the page's language's notation.

The notation check reads the visible text word by word. A Dutch page writes "403.305" (a thousands
dot), "0,35" and "€ 1.522.407,00"; an English one "403,305", "0.35". What it reports as English
notation on a Dutch page: a thousands comma ("1,234", "1,234,567.50"), a decimal point ("0.35",
"2.33"), and a number of four or more digits without grouping ("1522407", "-5000"). What it leaves
alone: words with letters, dashes inside, colons or slashes (dates "01-07-2026" and "2025-12-31",
times "13:27", receipt numbers "JV-2025-41234-0001", hashes, URLs, "X.509"), dotted quads
("127.0.0.1"), "1.2.3" versions and a number after "versie"/"version", years, and the registry's
board and KvK numbers (identifiers, never grouped).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from axe_playwright_python.sync_playwright import Axe

from portal.cli import DEMO_BOARDS

BLOCKING = {"serious", "critical"}
# axe's default rules, and label-content-name-mismatch (WCAG 2.5.3), which axe still calls experimental.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}
AXE = Axe()
DEAD = {403, 404, 410}  # and every 5xx: a link the role that sees it cannot follow

# Numbers that are names, not quantities: the registry's board numbers and KvK numbers.
IDENTIFIERS = {field for line in DEMO_BOARDS.splitlines()[1:] for field in line.split(",")[:3:2]}
_EDGES = "([{€$+\"'“”‘’«»"
_NUMBER = re.compile(r"[-−]?\d[\d.,]*")
_EN_GROUPED = re.compile(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?")  # 1,234 / 1,234,567.50 (never Dutch "0,350")
_NL_GROUPED = re.compile(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?")  # 1.234 / 1.234.567,50
_NL_DECIMAL = re.compile(r"\d+,\d+")  # 0,35 / 253,00
_POINT_DECIMAL = re.compile(r"\d+\.\d+")  # 0.35 / 2.33 (one point only: "127.0.0.1" and "1.2.3" are not numbers)
_UNGROUPED = re.compile(r"\d{4,}(,\d+)?")
_VERSION_WORDS = {"versie", "version", "v"}  # also as the end of a word: "tabelversie 2024.1"


def _after_version(word: str) -> bool:
    return word in _VERSION_WORDS or word.endswith(("versie", "version"))


def too_wide(page: object) -> int:
    """How many CSS pixels the page is wider than the viewport (0 when it fits)."""
    return page.evaluate("() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")


def blocking_violations(page: object) -> list[str]:
    """axe-core's violations of impact serious or critical on the page as it is now, one line each.
    axe is put into the page by Playwright (not a <script> tag, which the portal's CSP would block)."""
    found = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    return [f"{v['id']} ({v['impact']}): " + "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:4])
            for v in found if v["impact"] in BLOCKING]


def page_links(page: object) -> set[str]:
    """The same-origin URLs the page leads to: every link (not those within the page, such as the skip
    link) and every form that GETs; without fragment, without /logout and mailto:."""
    found = page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .filter(a => !a.getAttribute('href').startsWith('#')).map(a => a.href)
        .concat([...document.querySelectorAll('form')].filter(f => f.method === 'get').map(f => f.action))""")
    origin = urlsplit(page.url)[:2]
    urls = set()
    for url in found:
        parts = urlsplit(url)
        if parts[:2] == origin and parts.path != "/logout":
            urls.add(urlunsplit((*parts[:4], "")))
    return urls


def dead_links(context: object, urls: dict[str, str]) -> list[str]:
    """Request every URL (mapped to the page that shows it) with the context's cookies, following
    redirects as a browser would; one line for each that answers 403, 404, 410 or 5xx."""
    problems = []
    for url, seen_on in sorted(urls.items()):
        status = context.request.get(url, timeout=60_000).status
        if status in DEAD or status >= 500:
            parts = urlsplit(url)
            problems.append(f"{seen_on}: {parts.path}{'?' if parts.query else ''}{parts.query} answers {status}")
    return problems


def _numbers(text: str) -> list[tuple[str, str]]:
    """The visible text's number words, each with the word before it (lowercase), edges trimmed."""
    found, before = [], ""
    for word in text.split():
        token = word.strip(_EDGES).rstrip(".,;:!?%)]}\"'”’»×")
        if _NUMBER.fullmatch(token):
            found.append((token.lstrip("-−"), before))
        before = word.lower().strip(_EDGES + ".,;:")
    return found


def english_numbers(text: str) -> list[str]:
    """The numbers in `text` written in English notation (or without the grouping Dutch asks for)."""
    flagged = []
    for token, before in _numbers(text):
        if _NL_GROUPED.fullmatch(token):
            continue
        if _EN_GROUPED.fullmatch(token) or (_POINT_DECIMAL.fullmatch(token) and not _after_version(before)):
            flagged.append(token)
        elif _UNGROUPED.fullmatch(token) and not _is_name(token.split(",")[0]):
            flagged.append(token)
    return flagged


def dutch_amounts(text: str) -> list[str]:
    """The numbers in `text` unmistakably in Dutch notation: a thousands dot or a decimal comma that
    English would not write ("403.305", "1.522.407,00", "0,35"; not "1,234", which could be either)."""
    return [token for token, _ in _numbers(text)
            if _NL_GROUPED.fullmatch(token) or (_NL_DECIMAL.fullmatch(token) and not _EN_GROUPED.fullmatch(token))]


def _is_name(digits: str) -> bool:
    """A year or a registry number: integers that are never grouped."""
    return (len(digits) == 4 and 1900 <= int(digits) < 2100) or digits in IDENTIFIERS
