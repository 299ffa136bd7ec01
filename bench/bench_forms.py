"""The online forms against the pages a board already used, side by side in one run.

    .venv/bin/python -m bench.bench_forms [--rounds N] [--officials N]

A draft holding a complete report (a generated PO filing, with N senior officials) on SQLite, in
a fresh instance folder. Measured through the Flask test client, as a browser's request is
served (logged in, CSRF on): each statement's form page, a save of the balance sheet and of the
WNT disclosure (every official's fields), and for comparison the board's year page (the upload
form and the versions). Medians of N rounds in milliseconds; the issue's budget is 300 ms for a
form page and 200 ms for a save.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from bench.bench_documents import median_ms, print_ratios
from portal import create_app
from portal.db import get_db
from portal.drafts import services
from portal.migrate import upgrade
from taxonomies.generator import generate
from taxonomies.instance import to_xml
from validators.forms import read_instance

BOARD, YEAR = "41234", 2025
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


def _form_fields(page: bytes) -> dict[str, str]:
    """The inputs of a form page as the browser would post them back unchanged."""
    fields = dict(re.findall(r'<input type="(?:text|date)"[^>]* name="([^"]+)"[^>]* value="([^"]*)"', page.decode()))
    fields.update(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.decode()))
    for name, text in re.findall(r'<textarea id="[^"]+" name="([^"]+)"[^>]*>([^<]*)</textarea>', page.decode()):
        fields[name] = text
    for name, value in re.findall(r'<select id="[^"]+" name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected',
                                  page.decode(), re.S):
        fields[name] = value
    return fields


def main(argv: list[str] | None = None) -> int:
    """Fill a draft, then time the pages and saves; print one line per measurement."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--officials", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"DATABASE_URL": f"sqlite:///{folder}/portal.db", "WORKER": "none",
                          "SECRET_KEY": "bench"}, instance_path=str(Path(folder) / "instance"))
        upgrade(app.extensions["db_engine"])
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        forms = services.forms_of(YEAR)
        facts = read_instance(forms, to_xml(generate(YEAR, BOARD, "Stichting Benchmark", "PO", "medium",
                                                     officials=args.officials)))
        client = app.test_client()
        login = client.get("/login")
        client.post("/login", data={"email": "bestuur@demo.example", "password": "demo-wachtwoord-2025",
                                    "csrf_token": TOKEN.search(login.data).group(1).decode()})
        with app.app_context():
            from portal.users.models import User
            from sqlalchemy import select
            db = get_db()
            user = db.scalar(select(User).where(User.email == "bestuur@demo.example"))
            services.save(db, user, BOARD, YEAR, None, facts, via="api")
            db.commit()
        rows = [("the board's year page (for comparison)", median_ms(
            lambda: client.get(f"/boards/{BOARD}/{YEAR}"), args.rounds))]
        for statement in forms.statements:
            url = f"/boards/{BOARD}/{YEAR}/form/{statement.id}"
            assert client.get(url).status_code == 200, url
            rows.append((f"form page: {statement.labels['en']}", median_ms(lambda u=url: client.get(u), args.rounds)))
        for statement_id in ("BalanceSheet", "WNTDisclosure"):
            url = f"/boards/{BOARD}/{YEAR}/form/{statement_id}"

            def save(u: str = url) -> None:
                fields = _form_fields(client.get(u).data)  # the newest revision, as a page reloaded after a save
                answer = client.post(u, data=fields, headers={"Accept": "application/json"})
                assert answer.status_code == 200, answer.data[:300]

            page_ms = median_ms(lambda u=url: client.get(u), args.rounds)
            rows.append((f"save: {statement_id} (the page's request included, minus it)",
                         median_ms(save, args.rounds) - page_ms))
    print(f"online forms: a complete report with {args.officials} senior officials, {len(facts)} facts, "
          f"medians of {args.rounds} rounds")
    print_ratios(rows, "the year page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
