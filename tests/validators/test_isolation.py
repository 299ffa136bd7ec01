"""A worker knows nothing of the portal; one pool per engine; nothing is left behind when it closes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from validators import Engine, EngineSettings, PoolSettings, Registry

from ..samples import VALID

ROOT = Path(__file__).parents[2]

# Run as __main__, like app.py: the portal is imported and configured, with a secret in the environment.
MAIN = """
import json, os, sys
os.environ["PORTAL_SECRET_KEY"] = "geheim-uit-de-omgeving"
os.environ["PORTAL_DATABASE_URL"] = "postgresql+psycopg://portal:wachtwoord@db/portal"
import flask
import portal
from validators import Engine, EngineSettings, PoolSettings, Registry
engine = Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry([sys.argv[1]]))
with engine:
    (about,) = engine.pool.about()
    with open(f"/proc/{about['ready']}/environ", "rb") as f:
        environ = f.read().decode(errors="replace")
    cmdline = open(f"/proc/{about['ready']}/cmdline", "rb").read().decode().split("\\0")
print(json.dumps({"about": about, "environ": environ, "cmdline": cmdline}))
"""


def test_a_worker_started_under_the_portal_knows_nothing_of_it(packages_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "app_like.py").write_text(MAIN)
    done = subprocess.run([sys.executable, str(tmp_path / "app_like.py"), str(packages_dir)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    about = out["about"]
    assert "validators" in about["modules"] and "arelle" in about["modules"] and about["guard"] is True
    assert not {"portal", "flask", "app_like", "werkzeug", "sqlalchemy"} & set(about["modules"])
    assert not [name for name in about["environment"] if name.startswith("PORTAL_")]
    assert "PORTAL_" not in out["environ"] and "geheim-uit-de-omgeving" not in out["environ"]
    assert out["cmdline"][1:5] == ["-s", "-B", "-m", "validators.arelle.worker"]


def _worker_children() -> list[int]:
    """This process's children that are validation workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        if parent == os.getpid() and b"validators.arelle.worker" in cmdline and stat.rsplit(")", 1)[1].split()[0] != "Z":
            found.append(int(entry.name))
    return found


def _temp_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Temp files of this process and of any process it starts go to `folder`, unless a worker is told otherwise."""
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))


def test_one_pool_per_engine_whatever_the_threads(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    _temp_folder(monkeypatch, tmp_path)
    before = set(_worker_children())
    engine = Engine(EngineSettings(pool=PoolSettings(workers=2)), registry)
    try:
        # Two threads ask for the pool at the same moment (it is started on first use).
        reports = engine.validate_many([(VALID, "a.xbrl", "41234", 2025), (VALID, "b.xbrl", "41234", 2025)])
        assert [r.status for r in reports] == ["valid", "valid"]
        workers = set(_worker_children()) - before
        assert len(workers) == 2 and engine.pool.started == 2
        assert sorted(p.name.split("-")[1] for p in tmp_path.iterdir()) == ["worker", "worker"]
    finally:
        engine.close()
    assert not set(_worker_children()) & workers  # stopped and reaped
    assert list(tmp_path.iterdir()) == []  # no edu-worker-*, edu-arelle-cache-* or edu-validate-* folder left


def test_a_killed_worker_leaves_no_folder_either(registry: Registry, monkeypatch: pytest.MonkeyPatch,
                                                 tmp_path: Path) -> None:
    _temp_folder(monkeypatch, tmp_path)
    with Engine(EngineSettings(pool=PoolSettings(workers=1, kill_mb=60)), registry) as engine:
        assert engine.validate(VALID, "a.xbrl", "41234", 2025).status == "error"  # 60 MB: killed at once
        assert engine.pool.restarts == 1 and len(list(tmp_path.iterdir())) == 1  # only the new worker's folder
    assert list(tmp_path.iterdir()) == []


def test_the_pool_unpickles_plain_data_only() -> None:
    import pickle

    from validators.arelle.pool import plain_data

    answer = {"status": "ok", "result": {"facts": [{"value": "12", "line": 3, "dimensions": {}}], "timings": (1.5,)}}
    assert plain_data(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)) == answer

    class Exploit:  # what a worker that ran a hostile file's code could send back
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("touch /tmp/pwned",))

    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        with pytest.raises(pickle.UnpicklingError, match="plain data, not"):
            plain_data(pickle.dumps({"status": "ok", "result": Exploit()}, protocol=protocol))


ORPHAN = """
import sys, time
from validators import Engine, EngineSettings, PoolSettings, Registry
engine = Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry([sys.argv[1]]))
(about,) = engine.pool.about()
print(about["ready"], engine.pool._idle.queue[0].private_dir, flush=True)
time.sleep(600)
"""


def test_a_worker_whose_pool_was_killed_clears_up_and_ends(packages_dir: Path) -> None:
    caller = subprocess.Popen([sys.executable, "-c", ORPHAN, str(packages_dir)], stdout=subprocess.PIPE, text=True,
                              cwd=ROOT)
    try:
        pid, folder = caller.stdout.readline().split()  # type: ignore[union-attr]
        assert Path(folder).is_dir()
    finally:
        caller.kill()  # no Engine.close(), no atexit: only the worker is left to clear up
        caller.wait()
    for _ in range(200):
        if not Path(f"/proc/{pid}").exists() and not Path(folder).exists():
            break
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists() and not Path(folder).exists()


def test_a_workers_plain_answer_becomes_a_typed_result_or_is_refused() -> None:
    from validators.arelle.results import ArelleResult

    finding = {"code": "EDU-BAL-01", "severity": "error", "message": {"nl": "n", "en": "e"}, "line": 4}
    answer = {"findings": [finding], "facts": [{"concept": "edu:Assets", "line": 7}], "labels": {}, "required": {},
              "namespaces": [], "loaded": True, "timings": {"arelle_ms": 12.5, "extract_ms": 1, "warm": True},
              "pid": 42, "refused": [{"event": "open", "target": "/etc/passwd", "reference": None, "line": 3}],
              "refused_total": 1}
    result = ArelleResult.from_plain(answer)
    assert result.findings[0].code == "EDU-BAL-01" and result.findings[0].line == 4
    assert result.timings.arelle_ms == 12.5 and result.timings.warm and result.refused[0].target == "/etc/passwd"
    broken = [None, [], {**answer, "findings": "EDU-BAL-01"}, {**answer, "facts": ["x"]},
              {**answer, "loaded": "yes"}, {**answer, "timings": {"arelle_ms": "1"}}, {**answer, "pid": True},
              {**answer, "refused": [{"event": "open"}]}, {k: v for k, v in answer.items() if k != "labels"},
              {**answer, "findings": [{**finding, "severity": "fatal"}]}, {**answer, "findings": [{"code": "X"}]}]
    for data in broken:
        with pytest.raises(ValueError):
            ArelleResult.from_plain(data)
