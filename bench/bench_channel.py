"""The recipients' side at national scale: 1,500 boards x 3 years in the fact store.

    .venv/bin/python -m bench.bench_channel [--boards 1500] [--postgres URL]

Fills a fresh database (built by the migrations) with generated figures for
every board and year (about 150 facts each, as a typical filing's reporting-year
facts) and their signalling values, then measures through the app, side by
side on SQLite and (if reachable) PostgreSQL: the wide CSV and wide Parquet
downloads of one year, the figures API (one concept, one value per board:
p50/p95 over 40 requests) and the inspectorate's list page (all boards).
Targets: wide CSV and Parquet under 2 s each, figures API p95 under 200 ms,
list page under 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from sqlalchemy import insert

from portal import create_app
from portal.boards.models import Board
from portal.db import get_db, utcnow
from portal.figures.models import StoredFact
from portal.filings.models import Filing, Receipt
from portal.inspectorate.models import SignalValue
from portal.migrate import upgrade
from taxonomies.model import year as model_year

YEARS = (2023, 2024, 2025)
SIGNALS = ("solvency2", "current_ratio", "cash", "excess_public_equity", "housing_ratio", "resilience")


def _fill(app: object, boards: int) -> int:
    """Boards, one submitted filing per board and year, its facts and signals; returns the fact count."""
    rng = random.Random(7)
    concepts = [c for c in model_year(2025).concepts if c.section != "wnt"]
    with app.app_context():  # type: ignore[attr-defined]
        db = get_db()
        db.execute(insert(Board), [{"number": f"{10000 + n:05d}", "name": f"Stichting {n}", "kvk": f"{n:08d}",
                                    "sectors": rng.choice(["PO", "VO", "MBO", "PO SO"])} for n in range(boards)])
        db.commit()
        runner = app.test_cli_runner()  # type: ignore[attr-defined]
        runner.invoke(args=["users", "create", "ocw@bench.example", "--role", "ocw"], input="bench-password-1\n")
        runner.invoke(args=["users", "create", "insp@bench.example", "--role", "inspectorate"], input="bench-password-1\n")
        runner.invoke(args=["users", "create", "b@bench.example", "--role", "board", "--board", "10000"],
                      input="bench-password-1\n")
        now, count = utcnow(), 0
        filings = [{"board_id": b + 1, "year": y, "version": 1, "file_name": "jv.xbrl", "file_size": 1,
                    "file_sha256": "0" * 64, "uploaded_by_id": 1, "uploaded_at": now, "status": "valid",
                    "queued_at": now, "attempts": 1} for y in YEARS for b in range(boards)]
        db.execute(insert(Filing), filings)
        db.execute(insert(Receipt), [{"number": f"JV-{f['year']}-{f['board_id']}", "filing_id": i + 1,
                                      "board_id": f["board_id"], "year": f["year"], "sequence": 1, "submitted_at": now,
                                      "submitted_by_id": 1, "late": False, "body_json": "{}"}
                                     for i, f in enumerate(filings)])
        for i, f in enumerate(filings):
            number = f"{10000 + f['board_id'] - 1:05d}"
            year = f["year"]
            rows = [{"board_id": f["board_id"], "board": number, "year": year, "receipt_id": i + 1, "concept": c.name,
                     "period": f"{year}-12-31" if c.period == "instant" else f"{year}-01-01/{year}-12-31",
                     "dimensions": "{}", "value": str(rng.randint(0, 10**8)), "unit": "iso4217:EUR"}
                    for c in concepts]
            rows += [dict(r, period=f"{year - 1}-12-31") for r in rows if r["period"] == f"{year}-12-31"]
            db.execute(insert(StoredFact), rows)
            db.execute(insert(SignalValue), [{"board_id": f["board_id"], "board": number, "year": year,
                                              "receipt_id": i + 1, "name": s, "value": rng.random() * 2,
                                              "threshold": 0.3, "breach": rng.random() < 0.1, "computable": True,
                                              "reason": None, "sectors": "PO", "income": float(rng.randint(10**6, 10**8))}
                                             for s in SIGNALS])
            count += len(rows)
            if i % 300 == 0:
                db.commit()
        db.commit()
    return count


def _timed(call: object, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = call()  # type: ignore[operator]
        body = response.get_data()
        assert response.status_code == 200, response.status_code
        times.append(time.perf_counter() - started)
        del body
    return times


def _measure(url: str, instance: Path, boards: int) -> dict[str, object]:
    app = create_app({"DATABASE_URL": url, "WORKER": "none"}, instance_path=str(instance))
    upgrade(app.extensions["db_engine"])
    started = time.perf_counter()
    facts = _fill(app, boards)
    fill_seconds = time.perf_counter() - started
    client = app.test_client()

    def log_in(email: str) -> None:
        client.get("/login")
        token = client.get("/login").get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        client.post("/login", data={"email": email, "password": "bench-password-1", "csrf_token": token})

    log_in("ocw@bench.example")
    wide = _timed(lambda: client.get("/ocw/2025/wide.csv"), 3)
    wide_parquet = _timed(lambda: client.get("/ocw/2025/wide.parquet"), 3)
    runner = app.test_cli_runner()
    api_token = runner.invoke(args=["tokens", "create", "ocw@bench.example"]).output.strip()
    figures = _timed(lambda: client.get("/api/v1/figures?year=2025&concept=Equity",
                                        headers={"Authorization": f"Bearer {api_token}"}), 40)
    client.post("/logout", data={"csrf_token": client.get("/ocw/2025").get_data(as_text=True)
                                 .split('name="csrf_token" value="')[1].split('"')[0]})
    log_in("insp@bench.example")
    listing = _timed(lambda: client.get("/inspectie/2025?all=1"), 5)
    app.extensions["db_engine"].dispose()
    return {"facts": facts, "fill_s": fill_seconds, "wide_s": statistics.median(wide),
            "wide_parquet_s": statistics.median(wide_parquet),
            "figures_p50": statistics.median(figures), "figures_p95": sorted(figures)[int(0.95 * len(figures)) - 1],
            "list_s": statistics.median(listing)}


def main(argv: list[str] | None = None) -> int:
    """Run on SQLite and, if reachable, PostgreSQL; print a table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--boards", type=int, default=1500)
    parser.add_argument("--postgres", default="postgresql+psycopg://portal:portal@127.0.0.1:5432/postgres")
    args = parser.parse_args(argv)
    results = {}
    with ExitStack() as stack:
        tmp = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        results["SQLite"] = _measure(f"sqlite:///{tmp / 'bench.db'}", tmp / "i1", args.boards)
        try:
            os.environ.setdefault("PORTAL_TEST_POSTGRES_URL", args.postgres)
            from tests.portal.conftest import fresh_postgres_database  # a fresh database, dropped afterwards

            url = stack.enter_context(fresh_postgres_database())
            results["PostgreSQL"] = _measure(url, tmp / "i2", args.boards)
        except Exception as exc:  # noqa: BLE001 - PostgreSQL is optional here
            print(f"PostgreSQL skipped: {exc}")
    print(f"{'':12} {'facts':>9} {'fill s':>7} {'wide CSV s':>10} {'wide Parquet s':>14} {'figures p50/p95 ms':>19} "
          f"{'list page ms':>12}")
    for name, r in results.items():
        print(f"{name:12} {r['facts']:>9,} {r['fill_s']:>7.1f} {r['wide_s']:>10.2f} {r['wide_parquet_s']:>14.2f} "
              f"{r['figures_p50'] * 1000:>8.0f} / {r['figures_p95'] * 1000:<8.0f} {r['list_s'] * 1000:>12.0f}")
    print("targets: wide CSV and wide Parquet < 2 s each, figures API p95 < 200 ms, list page < 300 ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
