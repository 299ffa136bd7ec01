"""A school's financial officer, in a real browser: log in, upload a filing with an error,
read what is wrong, upload the fixed one, see it valid."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from taxonomies.samples import SAMPLES_DIR

from ..samples import BROKEN
from .conftest import shot

PASSWORD = "demo-wachtwoord-2025"


def test_board_user_fixes_a_filing(server: str, page: object) -> None:
    page.goto(server + "/")
    assert page.url.endswith("/login?next=%2F") or "/login" in page.url
    shot(page, "01-login")
    page.fill("#email", "bestuur@demo.example")
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(server + "/")
    shot(page, "02-home")

    page.click("text=Jaarverantwoording 2025 indienen")
    shot(page, "03-board-year")
    # Drag and drop: a real drop event carrying the file, as a browser delivers it.
    payload = base64.b64encode(BROKEN).decode()
    transfer = page.evaluate_handle(
        """(b64) => { const dt = new DataTransfer();
                      const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
                      dt.items.add(new File([bytes], 'EDU-BAL-01.xbrl', {type: 'application/xml'}));
                      return dt; }""", payload)
    page.dispatch_event("#dropzone", "dragenter", {"dataTransfer": transfer})
    assert "over" in page.get_attribute("#dropzone", "class")
    page.dispatch_event("#dropzone", "drop", {"dataTransfer": transfer})
    assert page.inner_text("#chosen") == "EDU-BAL-01.xbrl"
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)  # live progress, then the report, without a reload
    shot(page, "04-report-invalid")
    assert "Ongeldig" in page.inner_text(".summary")
    finding = page.inner_text(".findings")
    assert "EDU-BAL-01" in finding and "Totaal activa" in finding and "Balans" in finding

    page.click("text=Nieuwe versie uploaden")
    page.set_input_files("#file", str(SAMPLES_DIR / "2025/valid/po-small.xbrl"))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    shot(page, "05-report-valid")
    assert "Geldig" in page.inner_text(".summary") and "Versie 2" in page.inner_text("h2")

    page.click("text=English")
    assert "Valid" in page.inner_text(".summary")
    shot(page, "06-report-valid-en")

    page.click("text=Nederlands")
    page.check("input[name=declaration]")
    page.click("text=Jaarverantwoording indienen")
    page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    shot(page, "07-receipt")
    number = page.inner_text("h2")
    assert number == "JV-2025-41234-0001"
    with page.expect_download() as download:
        page.click("text=Download PDF")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename == f"{number}.pdf"
    with page.expect_download() as download:
        page.click("text=Download JSON")
    receipt = json.loads(download.value.path().read_text())
    # 2025's deadline is 1 July 2026 (Amsterdam): whether this is late depends on today.
    late = datetime.now(timezone.utc) >= datetime(2026, 7, 1, tzinfo=ZoneInfo("Europe/Amsterdam"))
    assert receipt["number"] == number and receipt["board"] == "41234" and receipt["late"] is late
    assert len(receipt["files"][0]["sha256"]) == 64

    page.click("text=Berichten")
    assert number in page.inner_text("main")
    shot(page, "08-messages")

    page.goto(server + "/boards/41234/2025")
    year_page = page.inner_text("main")
    assert "JV-2025-41234-0001" in year_page and "filing.submitted" in year_page
    shot(page, "09-board-year-after")
