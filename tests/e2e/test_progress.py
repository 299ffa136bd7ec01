"""The filing page's live progress: when the session ends while a filing waits, the page says
so and stops asking, instead of polling the login page for ever; when the result arrives, the
page's one live region says the verdict."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from taxonomies.samples import SAMPLES_DIR

from ..samples import BROKEN
from .conftest import demo_portal, flask_command, free_port, launch, log_in, portal_env, shot


def test_progress_stops_and_says_so_when_the_session_ends(tmp_path: Path, browser: object) -> None:
    # Validation by Celery workers that are not running (the broker's port is closed), so the
    # upload is accepted and stays queued: the page keeps polling until something changes.
    env = portal_env(tmp_path / "instance", free_port(), PORTAL_CELERY_BROKER_URL=f"redis://127.0.0.1:{free_port()}/0")
    flask_command(env, "seed-demo")
    server, url = launch(env)
    context = browser.new_context(viewport={"width": 1150, "height": 900}, locale="nl-NL")
    try:
        page = context.new_page()
        log_in(page, url, "bestuur@demo.example")
        page.wait_for_url(url + "/")
        page.goto(url + "/boards/41234/2025")
        page.set_input_files("#file", str(SAMPLES_DIR / "2025/valid/po-small.xbrl"))
        page.click("text=Uploaden en controleren")
        page.wait_for_selector("#job-status")
        polls: list[str] = []
        page.on("request", lambda request: polls.append(request.url) if request.url.endswith("/status") else None)
        page.wait_for_timeout(1500)
        assert polls, "the page asks for the status while the filing is queued"
        assert page.is_hidden("#job-reload")

        context.clear_cookies()  # the session ends (expired, or logged out elsewhere)
        page.wait_for_selector("#report[data-done=expired]", state="attached", timeout=10_000)
        assert "sessie is verlopen" in page.inner_text("#job-status")
        assert page.is_visible("#job-reload") and page.is_hidden("#job-progress") and page.query_selector(".spinner") is None
        shot(page, "progress-session-ended")
        asked = len(polls)
        page.wait_for_timeout(4000)  # the old page retried every 3 s
        assert len(polls) == asked, "no more status requests once the session has ended"

        page.click("#job-reload a")
        page.wait_for_url("**/login**")
    finally:
        context.close()
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def test_the_verdict_is_said_in_the_live_region_that_stays(tmp_path: Path, browser: object) -> None:
    """When the result arrives, the page's one live region (kept, not replaced) holds the verdict,
    so a screen reader hears "Ongeldig" instead of nothing. On a portal of its own: the shared
    one's board must not get versions other tests do not expect."""
    with demo_portal(tmp_path / "instance") as server:
        context = browser.new_context(viewport={"width": 1150, "height": 900}, locale="nl-NL")
        page = context.new_page()
        log_in(page, server, "bestuur@demo.example")
        page.wait_for_url(server + "/")
        for attempt in range(4):
            page.goto(server + "/boards/41234/2025")
            # New bytes each time (a comment after the document): a fresh version, checked from the start.
            data = BROKEN + f"\n<!-- live region test {attempt} {time.time()} -->\n".encode()
            page.set_input_files("#file", {"name": "EDU-BAL-01.xbrl", "mimeType": "application/xml", "buffer": data})
            page.click("text=Uploaden en controleren")
            page.wait_for_selector("#report", state="attached")
            if page.get_attribute("#report", "data-done") == "false":
                break  # the page is following the check: what this test is about
        else:
            pytest.fail("every check ended before its page was shown; the live path was never taken")
        page.evaluate("() => { window.keptRegion = document.getElementById('job-live'); }")
        page.wait_for_selector(".summary", timeout=120_000)
        assert page.evaluate("() => document.getElementById('job-live') === window.keptRegion")  # the same element
        assert page.evaluate("() => document.querySelectorAll('[aria-live]').length") == 1
        said = page.text_content("#job-live")
        assert said.startswith("Ongeldig. ") and "fouten" in said, said
        context.close()
