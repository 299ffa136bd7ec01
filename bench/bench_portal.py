"""200 filings uploaded through the API by 20 concurrent clients, against `python app.py`.

    .venv/bin/python -m bench.bench_portal [--filings 200] [--clients 20]

Each client uploads its share of distinct ~300-fact filings, then polls its
filings (GET /api/v1/filings/<id>: status and report) until all are validated.
Printed: uploads accepted, filings validated, lost (must be 0), the time until
the last is validated, and the p50/p95 latency of uploads and of the status /
report endpoint under that load (target: p95 under 100 ms), measured by the
clients and, from the portal's own request log, inside the server (the
difference is waiting: for a server thread, the interpreter, the CPU), the
latency of /healthz polled meanwhile (a request that does nothing: the
waiting alone), how often waitress warned that requests queued for a thread
("Task queue depth"), and the machine's load average. The portal runs
with its defaults (SQLite, the local runner, one Arelle worker per core), but
without the upload rate limits (200 uploads by one user is the point here);
any PORTAL_* variable set when the bench starts is passed on, e.g.
PORTAL_WEB_THREADS=8 PORTAL_VALIDATION_NICE=0 for the settings before they existed.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml

ROOT = Path(__file__).resolve().parent.parent
FINAL = {"valid", "valid-with-warnings", "invalid", "rejected", "error"}


def _request(url: str, token: str, data: bytes | None = None, content_type: str | None = None) -> tuple[dict, float]:
    request = urllib.request.Request(url, data=data, headers={"Authorization": f"Bearer {token}"})
    if content_type:
        request.add_header("Content-Type", content_type)
    started = time.perf_counter()
    with urllib.request.urlopen(request, timeout=60) as response:
        body = json.loads(response.read())
    return body, time.perf_counter() - started


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = b"".join([
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"board\"\r\n\r\n41234\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"year\"\r\n\r\n2025\r\n".encode(),
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"jv.xbrl\"\r\n\r\n".encode(),
        data, f"\r\n--{boundary}--\r\n".encode()])
    return body, f"multipart/form-data; boundary={boundary}"


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def main(argv: list[str] | None = None) -> int:
    """Run the load, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args(argv)
    officials = officials_for_facts(300)
    files = [to_xml(generate(2025, "41234", f"Stichting Belasting {n}", "PO", "medium", officials=officials, seed=n))
             for n in range(args.filings)]
    with tempfile.TemporaryDirectory() as tmp:
        port = 5600 + os.getpid() % 300
        env = dict(os.environ, PORTAL_INSTANCE_PATH=tmp, PORTAL_PORT=str(port), PORTAL_LOG_FORMAT="json")
        env.setdefault("PORTAL_UPLOAD_RATE_PER_USER", "0")
        env.setdefault("PORTAL_UPLOAD_RATE_PER_BOARD", "0")
        server_log = Path(tmp) / "server.log"
        flask = str(Path(sys.executable).parent / "flask")
        subprocess.run([flask, "--app", "app", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
        token = subprocess.run([flask, "--app", "app", "tokens", "create", "bestuur@demo.example"], cwd=ROOT, env=env,
                               check=True, capture_output=True, text=True).stdout.strip()
        server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=server_log.open("wb"), start_new_session=True)
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        upload_times: list[float] = []
        poll_times: list[float] = []
        ids: list[int] = []
        last_done = [0.0]
        lock = threading.Lock()

        def client(share: list[bytes]) -> None:
            mine = []
            for data in share:
                body, content_type = _multipart(data)
                filing, seconds = _request(base + "/api/v1/filings", token, body, content_type)
                mine.append(filing["id"])
                with lock:
                    upload_times.append(seconds)
            pending = set(mine)
            while pending:
                for filing_id in list(pending):
                    filing, seconds = _request(f"{base}/api/v1/filings/{filing_id}", token)
                    with lock:
                        poll_times.append(seconds)
                    if filing["status"] in FINAL:
                        pending.discard(filing_id)
                        with lock:
                            last_done[0] = time.perf_counter()
                time.sleep(0.25)
            with lock:
                ids.extend(mine)

        probe_times: list[float] = []
        running = threading.Event()
        running.set()

        def probe() -> None:
            # /healthz does almost nothing (no database): its latency under the same load is the
            # waiting alone (for a server thread, the interpreter, the CPU), not the status route's work.
            while running.is_set():
                started = time.perf_counter()
                with urllib.request.urlopen(base + "/healthz", timeout=60) as response:
                    response.read()
                probe_times.append(time.perf_counter() - started)
                time.sleep(0.2)

        started = time.perf_counter()
        threads = [threading.Thread(target=client, args=(files[i::args.clients],)) for i in range(args.clients)]
        prober = threading.Thread(target=probe)
        prober.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        running.clear()
        prober.join()
        elapsed = last_done[0] - started
        statuses = [_request(f"{base}/api/v1/filings/{i}", token)[0]["status"] for i in sorted(ids)]
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
        inside, queue_warnings = _server_side(server_log)
    print(f"filings uploaded                 {len(ids)} of {args.filings} by {args.clients} clients")
    print(f"filings validated                {sum(s in FINAL and s != 'error' for s in statuses)}  "
          f"({', '.join(f'{s}: {statuses.count(s)}' for s in sorted(set(statuses)))})")
    print(f"lost                             {args.filings - len(set(ids))}")
    print(f"time until the last is validated {elapsed:.1f} s  ({len(ids) / elapsed:.1f} filings/s)")
    print(f"upload latency p50 / p95         {statistics.median(upload_times) * 1000:.0f} / "
          f"{_percentile(upload_times, 0.95) * 1000:.0f} ms")
    print(f"status/report latency p50 / p95  {statistics.median(poll_times) * 1000:.0f} / "
          f"{_percentile(poll_times, 0.95) * 1000:.0f} ms   ({len(poll_times)} requests; target p95 < 100 ms)")
    if inside:
        print(f"  of which in the server p50 / p95 {statistics.median(inside):.0f} / {_percentile(inside, 0.95):.0f} ms"
              f"   (the rest: waiting for a server thread, the network, the client)")
    print(f"/healthz meanwhile p50 / p95     {statistics.median(probe_times) * 1000:.0f} / "
          f"{_percentile(probe_times, 0.95) * 1000:.0f} ms   (a request that does nothing: the waiting alone)")
    print(f"waitress 'Task queue depth' warnings {queue_warnings}")
    print(f"load average (1, 5, 15 min)      {' '.join(f'{x:.1f}' for x in os.getloadavg())}   "
          f"(2 cores: above 2, other work shares the machine)")
    print("settings                         " + (" ".join(f"{k}={v}" for k, v in sorted(os.environ.items())
                                                        if k.startswith("PORTAL_")) or "defaults"))
    return 0


def _server_side(log: Path) -> tuple[list[float], int]:
    """From the portal's JSON log: each status poll's time inside the server (ms), and how often
    waitress warned that requests were queued for a free thread."""
    inside, warnings = [], 0
    for line in log.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if entry.get("event") == "request" and entry.get("method") == "GET" and \
                str(entry.get("path", "")).startswith("/api/v1/filings/"):
            inside.append(float(entry["duration_ms"]))
        elif "Task queue depth" in str(entry.get("message", "")):
            warnings += 1
    return inside, warnings


if __name__ == "__main__":
    raise SystemExit(main())
