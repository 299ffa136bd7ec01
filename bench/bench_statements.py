"""The statements of a 3,000-fact filing as a page and through the API, beside the version's own
page, in one run.

    .venv/bin/python -m bench.bench_statements [--rounds N] [--facts N]

A generated PO filing with enough senior officials for N facts (3,000 by default) is uploaded
through the board's upload form and validated by the real engine, as the worker would, on SQLite
in a fresh instance folder; its kept facts are then read as statements: the page (Dutch, logged
in), the API's JSON, and the layout alone (validators.statements, no database or template).
Medians of N rounds in milliseconds; the issue's budget is 300 ms for the page.
"""

from __future__ import annotations

import argparse
import io
import re
import tempfile
from pathlib import Path

from bench.bench_documents import median_ms, print_ratios
from portal import create_app
from portal.db import get_db
from portal.drafts.forms import forms_of
from portal.filings.models import FilingFacts
from portal.jobs import core
from portal.migrate import upgrade
from taxonomies.generator import generate, officials_for_facts
from taxonomies.instance import to_xml
from validators.statements.build import read_statements

BOARD, YEAR = "41234", 2025
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


def main(argv: list[str] | None = None) -> int:
    """Upload and validate the filing, then time its pages; print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--facts", type=int, default=3000)
    args = parser.parse_args(argv)
    data = to_xml(generate(YEAR, BOARD, "Stichting Benchmark", "PO", "medium",
                           officials=officials_for_facts(args.facts)))
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/portal.db", "WORKER": "none", "SECRET_KEY": "bench"},
                         instance_path=str(Path(folder) / "instance"))
        upgrade(app.extensions["db_engine"])
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        client = app.test_client()
        login = client.get("/login")
        client.post("/login", data={"email": "bestuur@demo.example", "password": "demo-wachtwoord-2025",
                                    "csrf_token": TOKEN.search(login.data).group(1).decode()})
        year_page = client.get(f"/boards/{BOARD}/{YEAR}")
        answer = client.post(f"/boards/{BOARD}/{YEAR}/upload", content_type="multipart/form-data",
                             data={"csrf_token": TOKEN.search(year_page.data).group(1).decode(),
                                   "file": (io.BytesIO(data), "jv.xbrl")})
        filing_id = int(answer.headers["Location"].rsplit("/", 1)[1])
        with app.app_context():
            while (claim := core.claim_next()) is not None:
                core.run(claim)
            kept = get_db().get(FilingFacts, filing_id)
            assert kept is not None, "the validation kept no facts"
            facts, count = kept.facts, kept.count
            forms = forms_of(YEAR)
            core.engine(app).close()
        token = app.test_cli_runner().invoke(args=["tokens", "create", "bestuur@demo.example"]).output.strip()
        page = f"/filings/{filing_id}/statements"
        assert client.get(page).status_code == 200
        rows = [("the version's page with its report (for comparison)",
                 median_ms(lambda: client.get(f"/filings/{filing_id}"), args.rounds)),
                ("statements page (HTML, Dutch)", median_ms(lambda: client.get(page), args.rounds)),
                ("statements API (JSON)", median_ms(lambda: client.get(
                    f"/api/v1{page}", headers={"Authorization": f"Bearer {token}"}), args.rounds)),
                ("the layout alone (validators.statements)", median_ms(lambda: read_statements(forms, facts),
                                                                        args.rounds))]
    print(f"statements: a generated filing of {count} facts, medians of {args.rounds} rounds")
    print_ratios(rows, "the version's page", width=56)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
