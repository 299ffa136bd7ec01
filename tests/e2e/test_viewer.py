"""An inline filing in the ixbrl-viewer, in a real browser: a click on an amount shows its concept;
and a hostile document in the viewer's place reaches neither the portal's cookie nor its API."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from taxonomies.samples import SAMPLES_DIR

from .conftest import demo_portal, log_in, shot

HOSTILE = b"""<!DOCTYPE html><html><head><title>untouched</title></head><body>
<p id="loot">nothing</p>
<img src="x" onerror="document.getElementById('loot').textContent = 'onerror ran: ' + document.cookie">
<script>
  document.title = 'script ran';
  fetch('/api/v1/filings', {credentials: 'include'}).then(r => r.text()).then(t => { document.title = 'api: ' + t; });
</script>
</body></html>"""


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """A portal of its own (its database and file store are changed under it); URL and instance folder."""
    instance = tmp_path_factory.mktemp("viewer-instance")
    with demo_portal(instance) as url:
        yield url, instance


def _upload_inline(page: object, url: str) -> str:
    """Upload the inline sample as board 41234's 2025 version; the version's page URL once checked."""
    log_in(page, url, "bestuur@demo.example")
    page.goto(url + "/boards/41234/2025")
    page.set_input_files("#file", str(SAMPLES_DIR / "2025/valid/po-small.xhtml"))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    return page.url


def test_click_an_amount_and_see_its_concept(portal: tuple[str, Path], page: object) -> None:
    url, _ = portal
    _upload_inline(page, url)
    page.click("text=Bekijk de jaarverantwoording zoals ingediend")
    page.wait_for_selector("#viewer-frame")
    viewer = page.frame_locator("#viewer-frame")
    # The viewer moves the filing into its own inner frame; the loader goes when it is ready.
    viewer.locator("#ixv").wait_for(state="attached", timeout=60_000)
    viewer.locator("#ixv .loader").wait_for(state="detached", timeout=60_000)
    document = viewer.frame_locator("#iframe-container iframe")
    document.locator('[name="edu:Assets"]').first.click()
    inspector = viewer.locator("#inspector")
    text = ""
    for _ in range(60):  # inner_text is what is shown: the inspector's fact panel, once it is filled
        text = inspector.inner_text()
        if "Totaal activa" in text:
            break
        page.wait_for_timeout(500)
    assert "Totaal activa" in text and "Assets" in text and "1,211,802" in text, text[:500]
    shot(page, "viewer-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "viewer-390")


def test_a_hostile_document_gets_nothing(portal: tuple[str, Path], page: object) -> None:
    url, instance = portal
    filing_url = _upload_inline(page, url)
    filing_id = int(filing_url.rstrip("/").rsplit("/", 1)[1])
    # Intake refuses scripts (IN-SCRIPT), so the engine never makes such a document: the hostile bytes
    # are put in the viewer document's place directly, in the store and the version's row.
    sha256 = hashlib.sha256(HOSTILE).hexdigest()
    stored = instance / "files" / sha256[:2] / sha256
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.write_bytes(HOSTILE)
    with sqlite3.connect(instance / "portal.db") as db:
        assert db.execute("UPDATE filing_facts SET viewer_sha256 = ? WHERE filing_id = ?",
                          (sha256, filing_id)).rowcount == 1
    cookies_before = {c["name"]: c["httpOnly"] for c in page.context.cookies()}
    assert cookies_before.get("session") is True
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text) if message.type == "error" else None)
    page.goto(f"{url}/filings/{filing_id}/viewer")
    frame = page.frame_locator("#viewer-frame")
    frame.locator("#loot").wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(1500)  # time for anything that would run
    hostile = next(f for f in page.frames if f.url.startswith("data:"))
    # Layer one, the policy: neither the inline script nor the event handler ran.
    assert hostile.title() == "untouched" and frame.locator("#loot").inner_text() == "nothing"
    assert any("Content Security Policy" in text for text in violations), violations
    # Layer two, the origin: even code that does run there (put in by the test's own driver, past the
    # policy) has an opaque origin: no cookie, no parent page, and no answer from the API, a filing
    # page, or even the one portal address the policy lets it ask (its own document: no session goes).
    paths = ["/api/v1/filings", f"/filings/{filing_id}", f"/filings/{filing_id}/viewer/document"]
    reached = hostile.evaluate("""async ([base, paths]) => {
        const out = {origin: self.origin};
        try { out.cookie = document.cookie; } catch (e) { out.cookie = 'refused'; }
        try { document.cookie = 'session=stolen; path=/'; out.set = 'set'; } catch (e) { out.set = 'refused'; }
        try { out.parent = parent.document.title; } catch (e) { out.parent = 'refused'; }
        for (const path of paths) {
          try {
            const answer = await fetch(base + path, {credentials: 'include'});
            out[path] = answer.status + ' ' + (await answer.text()).slice(0, 80);
          } catch (e) { out[path] = 'refused'; }
        }
        return out; }""", [url, paths])
    assert reached == {"origin": "null", "cookie": "refused", "set": "refused", "parent": "refused",
                       **{path: "refused" for path in paths}}, reached
    # The portal's cookies are the ones they were (the portal itself re-signs the session as it is
    # used, so its value may move on), and the session still works.
    assert {c["name"]: c["httpOnly"] for c in page.context.cookies()} == cookies_before
    page.goto(filing_url)
    assert "Jaarverantwoording" in page.inner_text("h2") and "/login" not in page.url
