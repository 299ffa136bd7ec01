"""One warm Arelle worker process: `python -m validators.arelle.worker FD`, started by pool.py.

The worker knows nothing of whoever started it: it is a fresh interpreter
(not a fork, not multiprocessing's spawn, which re-imports the caller's main
module, e.g. the portal's app.py), with an environment that carries only what
Python and Arelle need (pool.py builds it). It imports `validators` and
Arelle, warms up, installs the guard (guard.py) and then serves jobs, one at a
time, over the connection on file descriptor FD. Jobs come as JSON; answers
go back pickled, and hold plain data only (dicts, lists, strings, numbers):
the pool unpickles them with every class and function refused, so a worker
that read a hostile file cannot make the caller run anything. The caller
builds the typed result from it (results.py).

    caller -> worker: {"packages", "warmup", "formula_timeout", "private_dir", "guard"}  (once)
    worker -> caller: {"ready": pid, "modules", "environment", "guard"}  (JSON)
    caller -> worker: {"path", "name", "packages", "entry_point", "export_dir", "viewer"} ... or null to stop
    worker -> caller: {"status": "ok", "result": {...}} or {"status": "failed", "error": "..."}  (pickled)
"""

from __future__ import annotations

import gc
import json
import os
import pickle
import shutil
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from ..codes import FR_REFERENCE
from ..i18n import both, require
from .guard import REFUSED, Guard, Refusal, module_dir, python_dirs, watch_arelle_loads
from .runner import ArelleRunner, install_xpath_cache
from .viewer import preload as preload_viewer

# The `validators` package the worker runs from: readable, like the rest of the code it imports.
VALIDATORS_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# Arelle's own messages about a document it could not open: when the guard refused the open, the
# FR-REFERENCE finding says it instead (in plain words, the same whether or not the target exists).
_LOAD_FAILURES = ("IOerror", "FileNotLoadable")


def make_guard(packages: list[str], private_dir: str) -> Guard:
    """The allow-list of a worker: the packages, Arelle, Python, the `validators` package and its own folder."""
    import arelle
    import lxml

    read_dirs = python_dirs() | {module_dir(arelle), module_dir(lxml), VALIDATORS_DIR}
    return Guard(read_dirs=read_dirs, read_files=packages, write_dirs=[private_dir])


def reference_finding(refusal: Refusal, display_name: str) -> dict[str, Any]:
    """FR-REFERENCE for one refused reference: names it as written, never whether it exists."""
    reference = refusal.reference or refusal.target
    shown = reference if len(reference) <= 200 else reference[:200] + "..."
    return {
        "code": FR_REFERENCE, "severity": "error",
        "message": both("The file refers to '%(reference)s'. Only the registered taxonomy and the file itself are "
                        "read; this reference was not followed. Remove the reference and upload the file again.",
                        reference=shown),
        "concept": None, "label": None, "context": None, "period": None, "dimensions": {}, "values": [],
        "file": display_name, "line": refusal.line,
    }


def with_refusals(result: dict[str, Any] | None, refused: list[Refusal], display_name: str,
                  started: float) -> dict[str, Any]:
    """The result with one FR-REFERENCE per refused reference, in place of Arelle's load errors."""
    if result is None:  # Arelle gave up after a refusal: the refusal is the verdict
        result = {"facts": [], "labels": {}, "required": {}, "namespaces": [], "loaded": False, "pid": os.getpid(),
                  "findings": [], "timings": {"arelle_ms": (time.perf_counter() - started) * 1000, "extract_ms": 0.0}}
    seen: set[str] = set()
    findings = []
    for refusal in refused:
        key = refusal.reference or refusal.target
        if key not in seen:
            seen.add(key)
            findings.append(reference_finding(refusal, display_name))
    kept = [f for f in result["findings"]
            if not (f["code"] in _LOAD_FAILURES and REFUSED in json.dumps(f["message"], ensure_ascii=False))]
    result["findings"] = findings + kept
    return result


def serve(conn: Connection) -> None:
    """Read the configuration, warm up, install the guard, then answer jobs until told to stop."""
    config = json.loads(conn.recv_bytes())
    packages: list[str] = config["packages"]
    formula_timeout: float = config["formula_timeout"]
    private_dir: str = config["private_dir"]
    cache_dir = os.path.join(private_dir, "cache")
    os.makedirs(cache_dir, exist_ok=True)
    require()  # the catalogues are read before the guard is installed, once
    runner = ArelleRunner(cache_dir)  # everything this process keeps from one filing to the next
    install_xpath_cache()
    if config.get("warmup"):
        try:
            runner.warm_up(config["warmup"], packages, formula_timeout)
        except Exception:  # a failed warm-up only costs speed
            pass
    # The ixbrl-viewer's builder is imported before the guard is installed, like Arelle: a job then
    # opens none of its files (the guard would allow them, as part of the Python installation).
    preload_viewer()
    guard = make_guard(packages, private_dir)
    if config.get("guard", True):
        watch_arelle_loads(guard)
        guard.install()
    # Arelle builds and drops a large object graph per file. The warm state
    # (modules, caches) is frozen out of the collector's sight, and collection
    # runs after each reply instead of during the validation (about 10% faster).
    gc.collect()
    gc.freeze()
    # What this process holds, by name only (for monitoring and the isolation tests): the top-level
    # modules it imported and the names of its environment variables.
    conn.send_bytes(json.dumps({"ready": os.getpid(), "modules": sorted({m.split(".")[0] for m in sys.modules}),
                                "environment": sorted(os.environ), "guard": guard.installed}).encode())
    while True:
        try:
            job = json.loads(conn.recv_bytes())
        except (EOFError, OSError):  # the pool went away (its process killed, say): nobody else clears up
            shutil.rmtree(private_dir, ignore_errors=True)
            return
        if job is None:
            return
        reply = _run(job, runner, guard, formula_timeout)
        try:
            payload = pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:  # never expected: plain data only
            payload = pickle.dumps({"status": "failed", "error": f"answer not serialisable: {exc}"})
        try:
            conn.send_bytes(payload)
        except OSError:  # the pool went away during the job
            shutil.rmtree(private_dir, ignore_errors=True)
            return
        gc.collect()


def _run(job: dict[str, Any], runner: ArelleRunner, guard: Guard, formula_timeout: float) -> dict[str, Any]:
    path, name = job["path"], job["name"]
    started = time.perf_counter()
    gc.disable()
    try:
        with guard.job(os.path.dirname(path), files=job["packages"]) as refused:
            try:
                result: dict[str, Any] | None = runner.run(
                    path, name, job["packages"], formula_timeout, job.get("entry_point"), job.get("export_dir"),
                    job.get("viewer"))
            except Exception as exc:  # Arelle raised: report it, keep serving
                if not refused:
                    return {"status": "failed", "error": f"{type(exc).__name__}: {exc}"}
                result = None
        if refused:
            result = with_refusals(result, list(refused), name, started)
        assert result is not None
        result["refused"] = [r.to_dict() for r in refused]  # the guard's log of this job (for tests, monitoring)
        result["refused_total"] = guard.refused_total  # since the guard was installed, between jobs too
        return {"status": "ok", "result": result}
    finally:
        gc.enable()


def main(argv: list[str]) -> int:
    """Serve on the connection whose file descriptor is argv[1]."""
    conn = Connection(int(argv[1]))
    try:
        serve(conn)
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
