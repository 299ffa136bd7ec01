"""The worker's guard stops what a filing makes Arelle open, whatever the reference checks missed.

The engine here runs with its reference checks switched off (a setting for tests only): each
exploit reaches Arelle, and only the guard stands between it and the file. That the file was
not opened is proven by naming a FIFO as the target: a writer can open a FIFO (O_NONBLOCK)
only while some process has it open for reading.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from validators import Engine, EngineSettings, PoolSettings, Registry

from ..samples import VALID

ROOT = Path(__file__).parents[2]
PACKAGE_URL = "https://xbrl.onderwijs.example/2025/"
CLIMB = "../" * 12  # more than enough to climb from Arelle's web cache or a package to the root


class Fifo:
    """A FIFO and a thread that notices any reader opening it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        os.mkfifo(path)
        self.opened = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(0.002):
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
            except OSError as exc:  # ENXIO: no reader has it open
                assert exc.errno == errno.ENXIO
                continue
            self.opened = True
            os.close(fd)  # the reader gets end of file and goes on

    def stop(self) -> bool:
        """Stop watching; True when a reader opened the FIFO meanwhile."""
        self._stop.set()
        self._thread.join()
        return self.opened


def footnote(href: str) -> bytes:
    """The valid sample with a footnote link whose locator points at `href`."""
    link = ('<link:footnoteLink xlink:type="extended" xlink:role="http://www.xbrl.org/2003/role/link">'
            f'<link:loc xlink:type="locator" xlink:href="{href}" xlink:label="f"/></link:footnoteLink>')
    return VALID.replace(b"</xbrli:xbrl>", link.encode() + b"</xbrli:xbrl>")


def schema_location(location: str) -> bytes:
    """The valid sample with a schema location hint."""
    return VALID.replace(b"<xbrli:xbrl ", b'<xbrli:xbrl xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
                         + f'xsi:schemaLocation="urn:x {location}" '.encode(), 1)


def linkbase_ref(href: str) -> bytes:
    """The valid sample with a linkbaseRef."""
    return VALID.replace(b"<xbrli:context", b'<link:linkbaseRef xlink:type="simple" xlink:arcrole="http://www.w3.org/'
                         + f'1999/xlink/properties/linkbase" xlink:href="{href}"/><xbrli:context'.encode(), 1)


def hidden_linkbase_ref(href: str) -> bytes:
    """A first-line comment that makes Arelle decode the file as unicode_escape, and a linkbaseRef
    written as \\x3c...\\x3e text: plain text to any XML parser, markup to Arelle."""
    body = VALID.split(b"?>", 1)[1].lstrip()
    hidden = (r'\x3clink:linkbaseRef xlink:type="simple" xlink:arcrole="http://www.w3.org/1999/xlink/properties/'
              rf'linkbase" xlink:href="{href}"/\x3e').encode()
    return b'<?xml version="1.0"?><!-- encoding="unicode_escape" ?> -->\n' + body.replace(
        b"<xbrli:context", hidden + b"<xbrli:context", 1)


# name -> (the filing, given the FIFO's path; the reference as written, without its fragment)
EXPLOITS = {
    "footnote loc to a path": (lambda fifo: footnote(f"{fifo}#x"), lambda fifo: f"{fifo}"),
    "footnote loc to a file URL": (lambda fifo: footnote(f"file://{fifo}#x"), lambda fifo: f"file://{fifo}"),
    "schemaLocation climbing out of the web cache": (
        lambda fifo: schema_location(f"http://www.xbrl.org/{CLIMB}{str(fifo).lstrip('/')}"),
        lambda fifo: f"http://www.xbrl.org/{CLIMB}{str(fifo).lstrip('/')}"),
    "linkbaseRef climbing out of the package": (
        lambda fifo: linkbase_ref(f"{PACKAGE_URL}{CLIMB}{str(fifo).lstrip('/')}"),
        lambda fifo: f"{PACKAGE_URL}{CLIMB}{str(fifo).lstrip('/')}"),
}


@pytest.fixture(scope="module")
def unchecked(registry: Registry) -> Iterator[Engine]:
    """An engine whose reference checks are off: only the guard is left."""
    with Engine(EngineSettings(pool=PoolSettings(workers=2), check_references=False), registry) as engine:
        yield engine


def _references(report: object) -> list[str]:
    return [f.message["en"] for f in report.findings if f.code == "FR-REFERENCE"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", sorted(EXPLOITS))
def test_the_guard_stops_each_exploit_and_never_opens_the_file(name: str, unchecked: Engine, tmp_path: Path) -> None:
    make, written = EXPLOITS[name]
    fifo = Fifo(tmp_path / "target")
    try:
        reports = unchecked.validate_many([(make(fifo.path), "a.xbrl", "41234", 2025), (VALID, "b.xbrl", "41234", 2025)])
    finally:
        opened = fifo.stop()
    assert not opened, "a worker opened the FIFO"
    hostile, valid = reports
    assert hostile.status == "invalid" and [f.code for f in hostile.findings] == ["FR-REFERENCE"]
    (item,) = hostile.findings
    assert f"'{written(fifo.path)}'" in item.message["en"] and f"'{written(fifo.path)}'" in item.message["nl"]
    assert item.severity == "error" and item.file == "a.xbrl"
    assert valid.status == "valid"
    logged = [r for r in unchecked.pool.refusals if r["file"] == "a.xbrl"]
    assert logged and logged[-1]["reference"] == written(fifo.path)
    assert os.path.realpath(logged[-1]["target"]) == os.path.realpath(fifo.path) or "cache" in logged[-1]["target"]


def test_a_hidden_reference_is_stopped_at_the_worker(unchecked: Engine, tmp_path: Path) -> None:
    # Straight to the worker, as written: whatever intake and the engine make of these bytes.
    fifo = Fifo(tmp_path / "target")
    job = tmp_path / "job"
    job.mkdir()
    (job / "filing.xbrl").write_bytes(hidden_linkbase_ref(str(fifo.path)))
    try:
        result = unchecked.pool.run(str(job / "filing.xbrl"), "a.xbrl")
    finally:
        opened = fifo.stop()
    assert not opened
    assert [f.code for f in result.findings] == ["FR-REFERENCE"]
    assert [r.reference for r in result.refused] == [str(fifo.path)]


def test_local_secrets_and_devices_are_refused_and_existence_is_not_told(unchecked: Engine, tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "secret_key").write_text("geheime-sleutel-van-het-portaal")
    uploads = [(footnote(f"{instance}/secret_key#x"), "secret.xbrl"), (footnote(f"{instance}/missing#x"), "missing.xbrl"),
               (footnote("/etc/passwd#x"), "passwd.xbrl"), (footnote("file:///etc/passwd#x"), "passwd-url.xbrl"),
               (footnote("/dev/zero#x"), "zero.xbrl"), (footnote("/proc/self/environ#x"), "environ.xbrl"),
               (VALID, "valid.xbrl")]
    before = unchecked.pool.restarts
    reports = unchecked.validate_many([(data, name, "41234", 2025) for data, name in uploads])
    *hostile, valid = reports
    for report in hostile:
        assert report.status == "invalid" and [f.code for f in report.findings] == ["FR-REFERENCE"], report.file_name
        assert "geheime-sleutel" not in report.to_json()
    assert valid.status == "valid"
    assert unchecked.pool.restarts == before  # /dev/zero was not read until the memory ceiling
    secret, missing = (_references(r)[0] for r in reports[:2])
    assert secret.replace("secret_key", "X") == missing.replace("missing", "X")  # existing or not: the same words
    refused = {r["file"]: r["reference"] for r in unchecked.pool.refusals}
    assert refused["secret.xbrl"] == f"{instance}/secret_key" and refused["zero.xbrl"] == "/dev/zero"


POLICY = """
import json, os, socket, subprocess, sys
from validators.arelle.guard import Guard, python_dirs
job, private = sys.argv[1], sys.argv[2]
guard = Guard(read_dirs=python_dirs(), read_files=[], write_dirs=[private])
guard.install()
def attempt(name, action):
    try:
        action()
        return name, "allowed"
    except PermissionError as exc:
        return name, str(exc)
results = dict([
    attempt("passwd", lambda: open("/etc/passwd").close()),
    attempt("dev", lambda: open("/dev/null").close()),
    attempt("proc", lambda: open("/proc/self/environ", "rb").close()),
    attempt("home", lambda: os.listdir(os.path.expanduser("~"))),
    attempt("stdlib", lambda: open(os.__file__).close()),
    attempt("private write", lambda: open(os.path.join(private, "x"), "w").close()),
    attempt("job before", lambda: open(os.path.join(job, "filing.xbrl")).close()),
    attempt("connect", lambda: socket.create_connection(("127.0.0.1", 9))),
    attempt("lookup", lambda: socket.getaddrinfo("example.org", 80)),
    attempt("process", lambda: subprocess.run(["true"])),
    attempt("system", lambda: os.system("true")),
])
with guard.job(job):
    results.update([attempt("job during", lambda: open(os.path.join(job, "filing.xbrl")).close()),
                    attempt("job climb", lambda: open(os.path.join(job, "..", "..", "etc", "passwd")).close())])
print(json.dumps({"results": results, "refused": guard.refused_total}))
"""


def test_the_guard_refuses_files_network_and_processes_outside_its_list(tmp_path: Path) -> None:
    (tmp_path / "job").mkdir()
    (tmp_path / "job" / "filing.xbrl").write_text("<x/>")
    (tmp_path / "private").mkdir()
    done = subprocess.run([sys.executable, "-c", POLICY, str(tmp_path / "job"), str(tmp_path / "private")],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=True)
    out = json.loads(done.stdout)
    allowed = {name for name, result in out["results"].items() if result == "allowed"}
    assert allowed == {"stdlib", "private write", "job during"}, out
    assert all("refused by the validation worker's guard" in r for n, r in out["results"].items() if n not in allowed)
    assert out["refused"] == len(out["results"]) - len(allowed)


def test_valid_filings_meet_no_refusal(registry: Registry, tmp_path: Path) -> None:
    from taxonomies.samples import SAMPLES_DIR

    entry = "https://xbrl.onderwijs.example/{year}/entrypoints/edu-rpt-jaarverantwoording-{year}.xsd"
    with Engine(EngineSettings(pool=PoolSettings(workers=1)), registry) as engine:
        for number, path in enumerate(sorted(SAMPLES_DIR.glob("*/valid/*"))):
            job = tmp_path / f"job{number}"
            (job / "oim").mkdir(parents=True)
            (job / f"filing{path.suffix}").write_bytes(path.read_bytes())
            year = int(path.parent.parent.name)
            result = engine.pool.run(str(job / f"filing{path.suffix}"), path.name, entry_point=entry.format(year=year),
                                     export_dir=str(job / "oim"))  # warm taxonomies of both years, and the exports
            assert result.loaded and not [f for f in result.findings if f.severity == "error"], path
            assert result.refused == [] and result.refused_total == 0, (path, result.refused)
            assert (job / "oim" / "filing.json").is_file()
