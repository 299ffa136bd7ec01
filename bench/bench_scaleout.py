"""Throughput with one worker host and with two, side by side in one run.

    .venv/bin/python -m bench.bench_scaleout [--filings 40] [--facts 300] [--rounds 2]
        [--postgres postgresql+psycopg://portal:portal@127.0.0.1:5432/postgres] [--redis redis://127.0.0.1:6390/15]

The scale-out configuration on this machine: `python app.py` on a fresh PostgreSQL database
with the database file store, Redis as the broker, and worker hosts that are Celery workers
(`--pool threads --concurrency 2`) with an instance folder and an environment of their own
(the database URL, the broker URL, the store) and one Arelle worker each, as a one-core host
would have. Per round, for one host and then two: the hosts start, `--filings` distinct
~300-fact filings are uploaded through the API by 4 clients, and the clock stops when the
last is validated. Printed per round: filings/s and the time; then the median of each and
the ratio two hosts / one. On a 2-core machine that also runs the web server, PostgreSQL and
Redis, the ratio shows whether the design serialises the hosts (it would stay near 1), not
what a second real machine would add.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml

from .bench_portal import _multipart, _request

ROOT = Path(__file__).resolve().parent.parent
FINAL = ("valid", "valid-with-warnings", "invalid", "rejected", "error")


def _host(folder: Path, database_url: str, broker_url: str) -> subprocess.Popen[bytes]:
    """A worker host: a Celery worker told only the database, the broker and the store."""
    (folder / "instance").mkdir(parents=True)
    env = {key: os.environ[key] for key in ("PATH", "LANG", "TMPDIR") if key in os.environ}
    env.update(HOME=str(folder), PORTAL_INSTANCE_PATH=str(folder / "instance"), PORTAL_DATABASE_URL=database_url,
               PORTAL_CELERY_BROKER_URL=broker_url, PORTAL_FILE_STORE="database", PORTAL_VALIDATION_WORKERS="1")
    log = open(folder / "worker.log", "wb")  # noqa: SIM115 - the worker writes it
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "portal.jobs.worker", "worker", "--pool",
                             "threads", "--concurrency", "2", "-n", f"{uuid.uuid4().hex}@%h", "--loglevel", "INFO"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log, start_new_session=True)


def _ready(folder: Path) -> bool:
    return " ready." in (folder / "worker.log").read_text(errors="replace")


def _validated(folder: Path) -> int:
    """How many validations this host finished (its log's succeeded validate tasks)."""
    return sum("portal.validate[" in line and "succeeded" in line
               for line in (folder / "worker.log").read_text(errors="replace").splitlines())


def _stop(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    process.wait(timeout=60)


def _round(hosts: int, files: list[bytes], base: str, token: str, database_url: str, broker_url: str,
           tmp: Path) -> tuple[float, list[int]]:
    """Start `hosts` worker hosts, upload `files`, wait until all are validated; the seconds and
    how many each host validated."""
    folders = [tmp / f"round-{uuid.uuid4().hex[:8]}-host-{n}" for n in range(hosts)]
    workers = [_host(folder, database_url, broker_url) for folder in folders]
    try:
        deadline = time.monotonic() + 180
        while not all(_ready(folder) for folder in folders):
            assert time.monotonic() < deadline, "the worker hosts did not start"
            time.sleep(0.2)
        time.sleep(1)  # their start-up sweeps find nothing: let them pass
        engine = create_engine(database_url)
        with engine.connect() as connection:
            before = connection.scalar(text("SELECT COALESCE(MAX(id), 0) FROM filings"))
        started = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(lambda data: _request(base + "/api/v1/filings", token, *_multipart(data)), files))
        while True:
            with engine.connect() as connection:
                done = connection.scalar(text("SELECT COUNT(*) FROM filings WHERE id > :id AND status IN "
                                              "('valid', 'valid-with-warnings', 'invalid', 'rejected', 'error')"),
                                         {"id": before})
            if done == len(files):
                break
            assert time.perf_counter() - started < 600, f"only {done} of {len(files)} validated"
            time.sleep(0.1)
        elapsed = time.perf_counter() - started
        engine.dispose()
    finally:
        for worker in workers:
            _stop(worker)
    return elapsed, [_validated(folder) for folder in folders]


def main(argv: list[str] | None = None) -> int:
    """Run the rounds, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--filings", type=int, default=40)
    parser.add_argument("--facts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--postgres", default=os.environ.get(
        "PORTAL_TEST_POSTGRES_URL", "postgresql+psycopg://portal:portal@127.0.0.1:5432/postgres"))
    parser.add_argument("--redis", default="redis://127.0.0.1:6390/15")
    args = parser.parse_args(argv)
    officials = officials_for_facts(args.facts)
    batches = [[to_xml(generate(2025, "41234", f"Stichting Schaal {r}-{n}", "PO", "medium", officials=officials,
                                seed=r * 1000 + n)) for n in range(args.filings)] for r in range(2 * args.rounds)]
    import redis

    broker = redis.Redis.from_url(args.redis)
    broker.flushdb()
    admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database_url = make_url(args.postgres).set(database=name).render_as_string(hide_password=False)
    times: dict[int, list[float]] = {1: [], 2: []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            port = 5900 + os.getpid() % 90
            env = dict(os.environ, PORTAL_INSTANCE_PATH=str(Path(tmp) / "web"), PORTAL_PORT=str(port),
                       PORTAL_DATABASE_URL=database_url, PORTAL_CELERY_BROKER_URL=args.redis,
                       PORTAL_FILE_STORE="database", PORTAL_UPLOAD_RATE_PER_USER="0", PORTAL_UPLOAD_RATE_PER_BOARD="0")
            flask = str(Path(sys.executable).parent / "flask")
            subprocess.run([flask, "--app", "app", "seed-demo"], cwd=ROOT, env=env, check=True, capture_output=True)
            token = subprocess.run([flask, "--app", "app", "tokens", "create", "bestuur@demo.example"], cwd=ROOT,
                                   env=env, check=True, capture_output=True, text=True).stdout.strip()
            server = subprocess.Popen([sys.executable, "app.py"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.DEVNULL, start_new_session=True)
            base = f"http://127.0.0.1:{port}"
            for _ in range(150):
                try:
                    urllib.request.urlopen(base + "/login", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            try:
                for n, batch in enumerate(batches):
                    hosts = 1 + n % 2
                    seconds, shares = _round(hosts, batch, base, token, database_url, args.redis, Path(tmp))
                    times[hosts].append(seconds)
                    print(f"round {n // 2 + 1}, {hosts} host{'s' if hosts > 1 else ' '}  {len(batch)} filings in "
                          f"{seconds:5.1f} s  {len(batch) / seconds:5.2f} filings/s  validated per host: "
                          f"{' / '.join(map(str, shares))}", flush=True)
            finally:
                _stop(server)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        broker.flushdb()
    rate = {hosts: args.filings / statistics.median(seconds) for hosts, seconds in times.items()}
    print(f"one worker host    {rate[1]:5.2f} filings/s (median of {args.rounds})")
    print(f"two worker hosts   {rate[2]:5.2f} filings/s (median of {args.rounds})")
    print(f"ratio two / one    {rate[2] / rate[1]:5.2f}x   (cores here: {os.cpu_count()})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
