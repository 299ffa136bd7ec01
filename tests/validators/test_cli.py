"""The command line, as an accountant runs it."""

from __future__ import annotations

import base64
import datetime
import json
import subprocess
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.x509.oid import NameOID

from taxonomies.samples import SAMPLES_DIR
from validators.assurance import Signer, Statement, fingerprint, generate_key, possession_proven, sign

from ..samples import VALID

ROOT = Path(__file__).parents[2]


def _cli(*args: str, packages: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "validators", *args[:1], "--packages", str(packages), *args[1:]],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_several_files_json_one_report_per_line_and_exit_1(packages_dir: Path) -> None:
    files = [SAMPLES_DIR / "2025/valid/po-small.xbrl", SAMPLES_DIR / "2025/broken/EDU-BAL-01.xbrl"]
    done = _cli("validate", *map(str, files), "--board", "41234", "--year", "2025", "--format", "json",
                packages=packages_dir)
    assert done.returncode == 1, done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert [r["status"] for r in reports] == ["valid", "invalid"]
    assert reports[1]["findings"][0]["code"] == "EDU-BAL-01"


def test_text_for_people_and_exit_0_with_warnings(packages_dir: Path) -> None:
    done = _cli("validate", str(SAMPLES_DIR / "2025/broken/EDU-EQ-01.xbrl"), "--board", "41234", "--lang", "en",
                packages=packages_dir)
    assert done.returncode == 0, done.stderr
    first, *rest = done.stdout.splitlines()
    assert "VALID WITH WARNINGS" in first and "school board 41234" in first and "year 2025" in first
    assert any(line.strip().startswith("EDU-EQ-01:") for line in rest)
    assert any("line" in line and "Nettoresultaat" in line for line in rest)


def test_usage_errors_exit_2(packages_dir: Path) -> None:
    assert _cli("validate", "missing.xbrl", "--board", "41234", packages=packages_dir).returncode == 2
    assert _cli("validate", str(SAMPLES_DIR / "2025/valid/po-small.xbrl"), "--board", "12",
                packages=packages_dir).returncode == 2
    assert subprocess.run([sys.executable, "-m", "validators", "validate"], cwd=ROOT,
                          capture_output=True).returncode == 2


def test_taxonomies_json(packages_dir: Path) -> None:
    done = _cli("taxonomies", "--format", "json", packages=packages_dir)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["year"], Path(r["package"]).name) for r in rows] == [
        (2024, "edu-rpt-jaarverantwoording-2024.zip"), (2025, "edu-rpt-jaarverantwoording-2025.zip")]
    assert rows[1]["entry_point"] == "https://xbrl.onderwijs.example/2025/entrypoints/edu-rpt-jaarverantwoording-2025.xsd"


# --- digital assurance: keygen, sign-assurance, verify-assurance -------------------------------------------

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PASSPHRASE = "een lang wachtwoord voor de test"
ACCOUNTANT, FIRM = "a.de.vries@noord.example", "Accountants Noord B.V."


def _run(*args: str | Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    # A new session has no terminal: getpass then reads standard input instead of waiting at a prompt.
    return subprocess.run([sys.executable, "-m", "validators", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=120, input=stdin, start_new_session=True)


def _files(tmp_path: Path) -> dict[str, Path]:
    """A filing, its auditor's report, a passphrase file and an accountant's key made by keygen."""
    files = {"filing": tmp_path / "jaarverslag.xbrl", "pdf": tmp_path / "controleverklaring.pdf",
             "passphrase": tmp_path / "wachtwoord.txt", "key": tmp_path / "sleutel.pem",
             "public": tmp_path / "publiek.pem", "assurance": tmp_path / "verklaring.json"}
    files["filing"].write_bytes(VALID)
    files["pdf"].write_bytes(PDF)
    files["passphrase"].write_text(PASSPHRASE + "\n")
    made = _run("keygen", "--out", files["key"], "--passphrase-file", files["passphrase"])
    assert made.returncode == 0, made.stderr
    files["public"].write_text(made.stdout)
    return files


def _sign(files: dict[str, Path], *extra: str | Path, opinion: str = "goedkeurend") -> subprocess.CompletedProcess[str]:
    return _run("sign-assurance", files["filing"], "--pdf", files["pdf"], "--board", "41234", "--year", "2025",
                "--opinion", opinion, "--date", "2026-06-14", "--accountant", ACCOUNTANT, "--firm", FIRM,
                "--key", files["key"],
                "--passphrase-file", files["passphrase"], *extra)


def test_keygen_writes_an_encrypted_key_0600_and_never_overwrites(tmp_path: Path) -> None:
    files = _files(tmp_path)
    key = files["key"].read_bytes()
    assert files["key"].stat().st_mode & 0o777 == 0o600
    assert key.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    serialization.load_pem_private_key(key, PASSPHRASE.encode())  # the passphrase opens it
    public, print_ = files["public"].read_text().rsplit("-----END PUBLIC KEY-----\n", 1)
    assert print_.strip() == fingerprint(public.encode() + b"-----END PUBLIC KEY-----\n")
    again = _run("keygen", "--out", files["key"], "--passphrase-file", files["passphrase"])
    assert again.returncode == 2 and "bestaat al" in again.stderr and "already exists" in again.stderr
    assert files["key"].read_bytes() == key


def test_keygen_asks_twice_and_refuses_an_empty_or_missing_passphrase(tmp_path: Path) -> None:
    asked = _run("keygen", "--out", tmp_path / "a.pem", stdin="geheim\ngeheim\n")
    assert asked.returncode == 0, asked.stderr
    assert (tmp_path / "a.pem").read_bytes().startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
    for stdin in ("geheim\nanders\n", "\n\n", ""):  # differing, empty, none at all
        refused = _run("keygen", "--out", tmp_path / "b.pem", stdin=stdin)
        assert refused.returncode == 2 and "Traceback" not in refused.stderr, refused.stderr
        assert not (tmp_path / "b.pem").exists()
    (tmp_path / "empty.txt").write_text("\nsecond line\n")
    empty = _run("keygen", "--out", tmp_path / "b.pem", "--passphrase-file", tmp_path / "empty.txt")
    assert empty.returncode == 2 and "leeg" in empty.stderr and not (tmp_path / "b.pem").exists()


def test_sign_then_verify_assurance(tmp_path: Path) -> None:
    files = _files(tmp_path)
    signed = _sign(files, "--out", files["assurance"])
    assert signed.returncode == 0, signed.stderr
    document = json.loads(files["assurance"].read_text())
    assert document["statement"]["opinion"] == "goedkeurend" and document["algorithm"] == "Ed25519"
    assert document["type"] == "edu-assurance/2"
    assert document["statement"]["signer"] == {"accountant": ACCOUNTANT, "firm": FIRM}
    assert json.loads(_sign(files).stdout)["statement"] == document["statement"]  # to standard output

    text = _run("verify-assurance", files["filing"], files["assurance"])
    assert text.returncode == 0, text.stderr
    verdict, *rest = text.stdout.splitlines()
    assert "VERKLARING GELDIG" in verdict and "goedkeurend" in verdict and "41234" in verdict
    assert rest[0].strip() == f"ondertekenaar (zo genoemd in de ondertekende verklaring): {ACCOUNTANT} ({FIRM})"
    assert any("vingerafdruk" in line and "--public-key" in line for line in rest)
    full = _run("verify-assurance", files["filing"], files["assurance"], "--pdf", files["pdf"],
                "--public-key", files["public"], "--format", "json", "--lang", "en")
    assert full.returncode == 0, full.stderr
    result = json.loads(full.stdout)
    assert result["valid"] is True and result["problems"] == [] and result["certificate_subject"] is None
    assert result["signer"] == {"accountant": ACCOUNTANT, "firm": FIRM} and result["type"] == "edu-assurance/2"
    assert result["statement"] == document["statement"] and result["fingerprint"].startswith("SHA256:")
    assert full.stdout.count("\n") == 1 and "fingerprint" not in full.stderr  # trusted key: no note
    untrusted = _run("verify-assurance", files["filing"], files["assurance"], "--pdf", files["pdf"], "--lang", "en")
    assert "only proves that the holder of the key" in untrusted.stdout


def test_sign_assurance_with_a_certificate_shows_the_signer(tmp_path: Path) -> None:
    files = _files(tmp_path)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "drs. M. de Wit RA")])
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(1).not_valid_before(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
                   .not_valid_after(datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    files["key"].unlink()
    files["key"].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.BestAvailableEncryption(PASSPHRASE.encode())))
    assert _sign(files, "--certificate", tmp_path / "cert.pem", "--out", files["assurance"]).returncode == 0
    done = _run("verify-assurance", files["filing"], files["assurance"], "--public-key", tmp_path / "cert.pem",
                "--lang", "en")
    assert done.returncode == 0, done.stdout
    assert "drs. M. de Wit RA, according to the certificate" in done.stdout


def test_sign_assurance_refuses_an_opinion_the_filing_does_not_report(tmp_path: Path) -> None:
    files = _files(tmp_path)
    refused = _sign(files, "--out", files["assurance"], opinion="afkeurend")
    assert refused.returncode == 1 and "ASSURANCE-OPINION" in refused.stderr
    assert "'goedkeurend', niet 'afkeurend'" in refused.stderr and "'goedkeurend', not 'afkeurend'" in refused.stderr
    assert not files["assurance"].exists()


def test_sign_assurance_wrong_passphrase_and_usage_errors(tmp_path: Path) -> None:
    files = _files(tmp_path)
    (tmp_path / "fout.txt").write_text("niet het wachtwoord\n")
    wrong = _sign(files, "--passphrase-file", tmp_path / "fout.txt")
    assert wrong.returncode == 1 and "ASSURANCE-PASSPHRASE" in wrong.stderr and "Traceback" not in wrong.stderr
    assert "wachtwoord van de sleutel is onjuist" in wrong.stderr and "passphrase is wrong" in wrong.stderr
    options: dict[str, str | Path] = {"--pdf": files["pdf"], "--board": "41234", "--year": "2025",
                                      "--opinion": "goedkeurend", "--date": "2026-06-14", "--key": files["key"],
                                      "--passphrase-file": files["passphrase"], "--accountant": ACCOUNTANT,
                                      "--firm": FIRM}
    for option, value in (("--board", "123"), ("--date", "2026-02-30"), ("--year", "twintig"),
                          ("--accountant", "geen adres"), ("--firm", ""),
                          ("--opinion", "positief"), ("--pdf", files["filing"]), ("--key", tmp_path / "missing.pem")):
        given = {**options, option: value}
        done = _run("sign-assurance", files["filing"], *[x for pair in given.items() for x in pair])
        assert done.returncode == 2 and "Traceback" not in done.stderr, (option, done.stderr)


def test_verify_assurance_reports_each_problem_with_its_code(tmp_path: Path) -> None:
    files = _files(tmp_path)
    assert _sign(files, "--out", files["assurance"]).returncode == 0
    changed = bytearray(files["filing"].read_bytes())
    changed[len(changed) // 2] ^= 0x01
    (tmp_path / "changed.xbrl").write_bytes(bytes(changed))
    (tmp_path / "other.pdf").write_bytes(PDF + b"% another page\n")
    _, other_public = generate_key(None)
    (tmp_path / "other.pem").write_bytes(other_public)
    cases = [((tmp_path / "changed.xbrl", files["assurance"]), "ASSURANCE-FILING"),
             ((files["filing"], files["assurance"], "--pdf", tmp_path / "other.pdf"), "ASSURANCE-PDF"),
             ((files["filing"], files["assurance"], "--public-key", tmp_path / "other.pem"), "ASSURANCE-KEY")]
    for args, code in cases:
        text = _run("verify-assurance", *args, "--lang", "en")
        assert text.returncode == 1, text.stderr
        verdict, *rest = text.stdout.splitlines()
        assert "ASSURANCE INVALID" in verdict and any(line.strip().startswith(f"{code}: ") for line in rest)
        result = json.loads(_run("verify-assurance", *args, "--format", "json").stdout)
        assert [p["code"] for p in result["problems"]] == [code] and set(result["problems"][0]["message"]) == {
            "nl", "en"}
    # A filing whose own AuditOpinionType differs from what was signed (the library signs it; the CLI would not):
    # verify-assurance reads the filing's opinion by itself.
    other_opinion = files["filing"].read_bytes().replace(b">goedkeurend</edu:AuditOpinionType>",
                                                        b">met-beperking</edu:AuditOpinionType>")
    (tmp_path / "met-beperking.xbrl").write_bytes(other_opinion)
    statement = Statement.for_files(other_opinion, PDF, "41234", 2025, "goedkeurend", "2026-06-14",
                                    Signer(ACCOUNTANT, FIRM))
    document = sign(statement, files["key"].read_bytes(), PASSPHRASE.encode())
    (tmp_path / "mismatch.json").write_text(json.dumps(document))
    mismatch = _run("verify-assurance", tmp_path / "met-beperking.xbrl", tmp_path / "mismatch.json", "--format", "json")
    assert mismatch.returncode == 1
    assert [p["code"] for p in json.loads(mismatch.stdout)["problems"]] == ["ASSURANCE-OPINION"]


def test_verify_assurance_hostile_files_never_a_traceback(tmp_path: Path) -> None:
    files = _files(tmp_path)
    hostile = {"not-json.json": b"dit is geen json", "list.json": b"[1, 2, 3]", "binary.json": b"\xff\x00\xfe",
               "huge.json": b'{"signature": "' + b"A" * (2 * 1024 * 1024) + b'"}',
               "deep.json": b"[" * 200_000 + b"]" * 200_000,
               "garbage-pem.json": json.dumps({"type": "edu-assurance/1", "statement": {}, "algorithm": "Ed25519",
                                               "public_key": "-----BEGIN PUBLIC KEY-----\nxx\n-----END PUBLIC KEY-----",
                                               "certificate": None, "signature": "AAAA"}).encode()}
    for name, data in hostile.items():
        (tmp_path / name).write_bytes(data)
        for output in ("text", "json"):
            done = _run("verify-assurance", files["filing"], tmp_path / name, "--format", output)
            assert done.returncode == 1 and "Traceback" not in done.stderr, (name, done.stderr)
            assert "ASSURANCE-FORMAT" in done.stdout, name
    assert _run("verify-assurance", files["filing"], tmp_path / "missing.json").returncode == 2
    assert _run("verify-assurance", files["filing"], tmp_path / "list.json", "--public-key",
                tmp_path / "not-json.json").returncode == 2


def test_prove_key_signs_the_portals_nonce(tmp_path: Path) -> None:
    files = _files(tmp_path)
    nonce = "q8Yd2kL0vN5xT7bR1cW3zH9fJ4mP6sA-gE_uK2oI8e"
    done = _run("prove-key", "--key", files["key"], "--nonce", nonce, "--passphrase-file", files["passphrase"])
    assert done.returncode == 0, done.stderr
    proof = done.stdout.strip()
    public = files["public"].read_text().split("-----END PUBLIC KEY-----")[0] + "-----END PUBLIC KEY-----\n"
    assert possession_proven(public, nonce, proof) and fingerprint(public.encode()) in done.stderr
    assert not possession_proven(public, nonce[::-1], proof)
    asked = _run("prove-key", "--key", files["key"], "--nonce", nonce, stdin=PASSPHRASE + "\n")
    assert asked.returncode == 0 and possession_proven(public, nonce, asked.stdout.strip())
    (tmp_path / "fout.txt").write_text("niet het wachtwoord\n")
    wrong = _run("prove-key", "--key", files["key"], "--nonce", nonce, "--passphrase-file", tmp_path / "fout.txt")
    assert wrong.returncode == 1 and "ASSURANCE-PASSPHRASE" in wrong.stderr and wrong.stdout == ""
    bad = _run("prove-key", "--key", files["key"], "--nonce", "kort!", "--passphrase-file", files["passphrase"])
    assert bad.returncode == 1 and "KEY-NONCE" in bad.stderr and "Traceback" not in bad.stderr
    assert _run("prove-key", "--key", tmp_path / "missing.pem", "--nonce", nonce).returncode == 2


def test_verify_assurance_checks_the_signer_and_reads_earlier_documents(tmp_path: Path) -> None:
    files = _files(tmp_path)
    assert _sign(files, "--out", files["assurance"]).returncode == 0
    same = _run("verify-assurance", files["filing"], files["assurance"], "--accountant", ACCOUNTANT.upper(),
                "--firm", FIRM)
    assert same.returncode == 0, same.stdout
    other = _run("verify-assurance", files["filing"], files["assurance"], "--accountant", "b@zuid.example",
                 "--firm", "Accountants Zuid", "--format", "json")
    assert other.returncode == 1
    assert [p["code"] for p in json.loads(other.stdout)["problems"]] == ["ASSURANCE-SIGNER"]
    assert _run("verify-assurance", files["filing"], files["assurance"], "--firm", FIRM).returncode == 2
    # An edu-assurance/1 document, as signed before the signer was named: valid, naming no one.
    key = ed25519.Ed25519PrivateKey.generate()
    statement = Statement.for_files(files["filing"].read_bytes(), PDF, "41234", 2025, "goedkeurend", "2026-06-14")
    legacy = {"type": "edu-assurance/1", "statement": statement.to_dict(), "algorithm": "Ed25519",
              "public_key": key.public_key().public_bytes(serialization.Encoding.PEM,
                                                          serialization.PublicFormat.SubjectPublicKeyInfo).decode(),
              "certificate": None, "signature": base64.b64encode(key.sign(statement.canonical())).decode()}
    (tmp_path / "v1.json").write_text(json.dumps(legacy))
    text = _run("verify-assurance", files["filing"], tmp_path / "v1.json", "--pdf", files["pdf"], "--lang", "en")
    assert text.returncode == 0, text.stdout
    assert "ASSURANCE VALID" in text.stdout and "the assurance (edu-assurance/1) names no signer" in text.stdout
    result = json.loads(_run("verify-assurance", files["filing"], tmp_path / "v1.json", "--format", "json").stdout)
    assert result["valid"] and result["signer"] is None and result["type"] == "edu-assurance/1"
    expected = _run("verify-assurance", files["filing"], tmp_path / "v1.json", "--accountant", ACCOUNTANT,
                    "--firm", FIRM, "--format", "json")
    assert [p["code"] for p in json.loads(expected.stdout)["problems"]] == ["ASSURANCE-SIGNER"]


def test_a_file_that_runs_out_of_time_gets_its_own_report_and_exit_3(packages_dir: Path, tmp_path: Path) -> None:
    from taxonomies.generator import generate, officials_for_facts
    from taxonomies.instance import to_xml

    huge = tmp_path / "groot.xbrl"  # about 30,000 facts: well over 10 s; the small sample: under 1 s
    huge.write_bytes(to_xml(generate(2025, "41234", "Stichting Groot", "PO", "large",
                                     officials=officials_for_facts(30_000))))
    valid = SAMPLES_DIR / "2025/valid/po-small.xbrl"
    done = _cli("validate", str(huge), str(valid), "--board", "41234", "--format", "json", "--timeout", "4",
                packages=packages_dir)
    assert done.returncode == 3, done.stderr
    first, second = (json.loads(line) for line in done.stdout.splitlines())
    assert (first["file"]["name"], first["status"]) == ("groot.xbrl", "error")
    assert [f["code"] for f in first["findings"]] == ["ENGINE-TIMEOUT"] and first["signals"] is None
    assert "meer dan 4 seconden rekentijd" in first["findings"][0]["message"]["nl"]
    assert (second["file"]["name"], second["status"]) == ("po-small.xbrl", "valid")
    text = _cli("validate", str(huge), "--board", "41234", "--timeout", "4", "--lang", "en", packages=packages_dir)
    assert text.returncode == 3 and text.stdout.startswith("groot.xbrl: NOT COMPLETED") and "ENGINE-TIMEOUT" in text.stdout
