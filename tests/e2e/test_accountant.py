"""An accountant in a real browser: sees nothing until the board authorises the firm, then the
client; pre-validates a test version; makes a signing key, and registers one made outside with
the proof of holding it (`prove-key` over the page's nonce); attaches assurance to the board's
version. The board then submits, and the receipt shows the assurance; nothing more can be attached."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from taxonomies.samples import SAMPLES_DIR
from validators import assurance

from .conftest import log_in, shot

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
BOARD_FILE = SAMPLES_DIR / "2025/valid/vo-large.xbrl"  # board 30567, opinion goedkeurend


def _log_out(page: object) -> None:
    page.click("text=Uitloggen")
    page.wait_for_url("**/login**")


def test_accountant_pre_validates_and_attaches_assurance(server: str, page: object, tmp_path: Path) -> None:
    log_in(page, server, "accountant@demo.example")
    assert "Nog geen bestuur heeft uw kantoor gemachtigd" in page.inner_text("main")
    assert page.goto(server + "/boards/30567/2025").status == 404  # not yet authorised
    page.goto(server + "/")
    _log_out(page)

    # The board: its real version, and the authorisation of the firm for 2025.
    log_in(page, server, "bestuur2@demo.example")
    page.goto(server + "/boards/30567/2025")
    page.select_option("select[name=firm_id]", label="Accountants Noord B.V.")
    page.click("text=Machtigen")
    assert "Accountants Noord B.V." in page.inner_text("#authorisations")
    page.set_input_files("#file", str(BOARD_FILE))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    assert "Geldig" in page.inner_text(".summary")
    filing_url = page.url
    shot(page, "20-board-authorised")
    _log_out(page)

    log_in(page, server, "accountant@demo.example")
    assert "30567" in page.inner_text("#clients")
    shot(page, "21-accountant-home")
    page.click("#clients >> text=Openen")
    page.set_input_files("#file", str(SAMPLES_DIR / "2025/broken/EDU-WNT-01.xbrl"))
    page.click("text=Uploaden en controleren")
    page.wait_for_selector(".summary", timeout=120_000)
    assert "TESTVERSIE" in page.inner_text("main") and "EDU-WNT-01" in page.inner_text(".findings")
    assert page.locator("#submit").count() == 0
    shot(page, "22-accountant-test-version")

    page.goto(server + "/")
    page.click("text=Ondertekeningssleutels")
    page.fill("#generate-key input[name=passphrase]", "een lange wachtwoordzin")
    page.fill("#generate-key input[name=passphrase2]", "een lange wachtwoordzin")
    page.click("#generate-key button")
    fingerprint = page.inner_text("td.mono")
    assert fingerprint.startswith("SHA256:")

    # A key made outside the portal: registered only with its holder's signature over the page's nonce.
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "wachtwoord.txt").write_text("buiten het portaal\n")
    made = subprocess.run([sys.executable, "-m", "validators", "keygen", "--out", str(tmp_path / "sleutel.pem"),
                           "--passphrase-file", str(tmp_path / "wachtwoord.txt")], cwd=root, capture_output=True,
                          text=True, check=True)
    public = made.stdout.split("-----END PUBLIC KEY-----")[0] + "-----END PUBLIC KEY-----\n"
    outside = made.stdout.strip().rsplit("\n", 1)[1]
    proof = subprocess.run([sys.executable, "-m", "validators", "prove-key", "--key", str(tmp_path / "sleutel.pem"),
                            "--nonce", page.inner_text("#key-nonce"), "--passphrase-file",
                            str(tmp_path / "wachtwoord.txt")], cwd=root, capture_output=True, text=True, check=True)
    page.fill("#register-key textarea[name=pem]", public)
    page.fill("#register-key textarea[name=proof]", "no proof")
    page.click("#register-key button")
    assert "KEY-PROOF" in page.inner_text(".error")
    page.fill("#register-key textarea[name=pem]", public)
    page.fill("#register-key textarea[name=proof]", proof.stdout)  # the page's nonce is the same while fresh
    page.click("#register-key button")
    assert outside in page.inner_text("table.list")
    shot(page, "23-accountant-keys")

    pdf = tmp_path / "controleverklaring.pdf"
    pdf.write_bytes(PDF)
    page.goto(filing_url)
    page.select_option("select[name=opinion]", "goedkeurend")
    page.fill("input[name=opinion_date]", "2026-03-15")
    page.set_input_files("input[name=pdf]", str(pdf))
    page.select_option("select[name=key_id]", label=f"Sleutel in het portaal {fingerprint[:23]}...")
    page.fill("#assurance-form input[name=passphrase]", "een lange wachtwoordzin")
    page.click("text=Ondertekenen en toevoegen")
    page.wait_for_selector("#assurance .badge.valid")
    assert fingerprint in page.inner_text("#assurance")
    shot(page, "24-assurance-attached")
    desktop = page.viewport_size
    page.set_viewport_size({"width": 390, "height": 800})  # the README shows it on a phone too
    shot(page, "24-assurance-attached-phone")
    page.set_viewport_size(desktop)
    with page.expect_download() as download:
        page.click("text=Verklaring downloaden (JSON)")
    document = json.loads(download.value.path().read_text())
    assert assurance.verify(document, BOARD_FILE.read_bytes(), PDF, filing_opinion="goedkeurend").valid
    _log_out(page)

    log_in(page, server, "bestuur2@demo.example")
    page.goto(filing_url)
    assert "geldige verklaring van Accountants Noord B.V." in page.inner_text("#submit")
    page.check("input[name=declaration]")
    page.click("text=Jaarverantwoording indienen")
    page.wait_for_selector("h1:has-text('Ontvangstbewijs')")
    receipt = page.inner_text("main")
    assert "Accountantsverklaring" in receipt and "Goedkeurend" in receipt and fingerprint in receipt
    assert "Controleverklaring" in receipt
    shot(page, "25-receipt-with-assurance")
    page.goto(filing_url)  # submitted: no form to add anything, and the assurance the receipt shows
    assert page.locator("#assurance form").count() == 0
    assert "handtekening geldig" in page.inner_text("#assurance") and fingerprint in page.inner_text("#assurance")
