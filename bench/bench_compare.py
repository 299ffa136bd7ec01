"""What changed between two 3,000-fact filings: the engine's comparison alone, and the portal's service
call that reads both versions (get_filing), loads their kept facts and compares them, in one run.

    .venv/bin/python -m bench.bench_compare [--rounds N] [--facts N]

Two generated PO filings of board 41234 with about N facts (most of them senior officials' WNT
facts), validated once by the engine in a fresh SQLite portal: version 2 of 2025 differs from
version 1 in a handful of amounts and one text; the 2024 filing is another year's, so nearly every
fact differs once its periods are moved on. Also the compare page of each (the whole request, logged
in). Medians of N rounds in milliseconds; the issue's budget is 500 ms for a comparison of two such
filings.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from bench.bench_documents import median_ms
from portal import create_app
from portal.db import get_db
from portal.drafts.forms import forms_of
from portal.filings import services
from portal.filings.models import FilingFacts
from portal.filings.services import UploadLimits
from portal.jobs import core
from portal.migrate import upgrade
from portal.reading import compare as comparing
from portal.storage import get_store
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from validators import Engine, EngineSettings, PoolSettings, Registry
from validators.statements.compare import compare_facts

BOARD = "41234"


def _edited(data: bytes, amounts: int) -> bytes:
    """The filing with its first `amounts` whole amounts one euro higher and its first text changed."""
    count = 0

    def higher(match: re.Match[bytes]) -> bytes:
        nonlocal count
        count += 1
        return match.group(1) + (str(int(match.group(2)) + 1).encode() if count <= amounts else match.group(2))

    data = re.sub(rb'(unitRef="EUR" decimals="0">)(\d+)(?=<)', higher, data)
    return re.sub(rb'(xml:lang="nl">)([^<]+)', rb"\1\2 (gecorrigeerd)", data, count=1)


def main(argv: list[str] | None = None) -> int:
    """Validate the filings, then time the comparisons; print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--facts", type=int, default=3000)
    args = parser.parse_args(argv)
    officials = officials_for_facts(args.facts)
    first = to_xml(generate(2025, BOARD, "Stichting Benchmark", "PO", "medium", officials=officials))
    second = _edited(first, 5)
    last_year = to_xml(generate(2024, BOARD, "Stichting Benchmark", "PO", "medium", officials=officials))
    with tempfile.TemporaryDirectory() as folder, \
            Engine(EngineSettings(pool=PoolSettings(workers=1)), Registry()) as engine:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/portal.db", "WORKER": "none",
                          "SECRET_KEY": "bench"}, instance_path=str(Path(folder) / "instance"))
        upgrade(app.extensions["db_engine"])
        app.extensions["engine"] = engine
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        with app.app_context():
            from sqlalchemy import select

            from portal.users.models import User
            db = get_db()
            user = db.scalar(select(User).where(User.email == "bestuur@demo.example"))
            ids = []
            for data, year in ((first, 2025), (second, 2025), (last_year, 2024)):
                filing, _created = services.upload(db, get_store(), user, BOARD, year, data, "jv.xbrl",
                                                   UploadLimits(0, 0, 0))
                db.commit()
                ids.append(filing.id)
            while (claim := core.claim_next()) is not None:
                core.run(claim)
            v1, v2, before = ids
            facts = {i: db.get(FilingFacts, i).facts for i in ids}
            count = len(facts[v1])
            forms = forms_of(2025)
            versions = comparing.compare(db, user, v2, v1)
            years = comparing.compare(db, user, v1, before)
            client = app.test_client()
            login = client.get("/login")
            token = re.search(rb'name="csrf_token" value="([^"]+)"', login.data).group(1).decode()
            client.post("/login", data={"email": "bestuur@demo.example", "password": "demo-wachtwoord-2025",
                                        "csrf_token": token})

            def page(url: str) -> None:
                assert client.get(url).status_code == 200, url

            rows = [
                ("engine alone: two versions of 2025", median_ms(
                    lambda: compare_facts(facts[v1], facts[v2], forms=forms), args.rounds)),
                ("engine alone: 2025 against 2024 (periods moved on)", median_ms(
                    lambda: compare_facts(facts[before], facts[v1], shift=1, forms=forms), args.rounds)),
                ("service: two versions (access, kept facts loaded, compared)", median_ms(
                    lambda: (comparing.compare(db, user, v2, v1), db.expire_all()), args.rounds)),
                ("service: 2025 against 2024", median_ms(
                    lambda: (comparing.compare(db, user, v1, before), db.expire_all()), args.rounds)),
                ("page: two versions (the whole request)", median_ms(
                    lambda: page(f"/filings/{v2}/compare?with={v1}"), args.rounds)),
                ("page: 2025 against 2024, every row of the year (the whole request)", median_ms(
                    lambda: page(f"/filings/{v1}/compare?with={before}"), args.rounds)),
            ]
    print(f"compare: two filings of {count} facts ({officials} senior officials); {len(versions.changes)} changes "
          f"between the versions, {len(years.changes)} against the year before; medians of {args.rounds} rounds")
    for name, ms in rows:
        print(f"  {name:<62} {ms:8.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
