"""The API keeps the promise of its OpenAPI document: schemathesis sends generated requests, valid
and invalid, to every operation in-process, with the token of each role and with none, on both
databases, against demo data with a real filing validated, submitted and delivered (so ids,
receipts, exports, figures and signals exist). Every answer must be documented: no 500, a status
code the operation lists, a body matching its schema, every error `{"error": {"code", "message":
{"nl", "en"}}}` with a code the operation lists for that status.

Bounded and deterministic: a fixed seed, derandomized generation, a few fuzzed examples per
operation, no example database on disk. The run goes through schemathesis' engine (what its
command line uses) rather than its pytest plugin, which does not work with this pytest."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

import pytest
import schemathesis
from flask import Flask
from flask.testing import FlaskCliRunner
from schemathesis.engine import Status, events, from_schema
from sqlalchemy import select

from portal.accountants.services import authorise
from portal.users.models import User
from portal.api.operations import OPERATIONS
from portal.db import get_db
from portal.jobs import deliveries

from ..samples import BROKEN, VALID
from .conftest import run_jobs

# The board the data belongs to, a recipient for each kind of data, and an accountant (who may
# upload test versions only, and only for boards that authorised the firm); and no token at all.
ROLES = {"board": "bestuur@demo.example", "ocw": "ocw@demo.example", "inspectorate": "inspectie@demo.example",
         "accountant": "accountant@demo.example"}
CONFIG: dict[str, Any] = {
    "seed": 20250701,
    # How fast requests are generated is not what is tested, and this machine is shared.
    "suppress-health-check": ["too_slow"],
    "generation": {"deterministic": True, "database": "none", "max-examples": 8,
                   # The tokens are the roles' own (below), never generated ones.
                   "with-security-parameters": False},
    "phases": {"stateful": {"enabled": False}},
    "checks": {
        # Its probe without credentials breaks on in-process apps in this version (it hands
        # requests' max_redirects to werkzeug); the run without a token checks the same (below).
        "ignored_auth": {"enabled": False}},
}
# Where an operation's well-formed requests may be refused for more than the usual reasons.
ACCEPTED = {
    # OpenAPI cannot say "concept or board" of two optional parameters: without either, the
    # request is well formed by the document and still refused, with 400 REQUEST-INVALID.
    "figures": ["2xx", "400", "401", "403"],
    # A well-formed upload can reuse the key of an earlier, different one: a conflict with what
    # was sent before (422 IDEMPOTENCY-MISMATCH), not a malformed request.
    "create_filing": ["2xx", "401", "403", "404", "409", "422", "429"],
    # Well-formed facts may name concepts and periods the year's forms do not have (422 DRAFT-INVALID),
    # and a well-formed revision may be one someone saved since (409 DRAFT-STALE); filing a draft
    # that holds nothing yet is 409 DRAFT-EMPTY.
    "put_draft": ["2xx", "401", "403", "404", "409", "422"],
    "file_draft": ["2xx", "401", "403", "404", "409", "429"],
    # Two well-formed ids may name versions that cannot be compared (another board's, a year further
    # off: 422 COMPARE-MISMATCH) or one whose facts were not kept (409 COMPARE-NO-FACTS).
    "compare_filing": ["2xx", "401", "403", "404", "409", "422"],
}
# The operations where a role's answers go past the token check into its own data: there the
# coverage phase (every boundary and wrong type of every field) runs too; elsewhere the role gets
# the generated examples and fuzzed requests only, which keeps the run short.
OWN = {"board": {op.name for op in OPERATIONS}, "ocw": {"figures", "get_filing"}, "inspectorate": {"signals"},
       "accountant": {"create_filing", "list_filings", "get_draft", "put_draft"}, "none": set()}


def _config(role: str, headers: dict[str, str]) -> schemathesis.Config:
    """The run's configuration for one role (an [[operations]] entry for every operation: an
    entry also selects what runs)."""
    operations = [{"include-operation-id": op.name, "enabled": True,
                   "phases": {"coverage": {"enabled": op.name in OWN[role]}},
                   **({"checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED[op.name]}}}
                      if op.name in ACCEPTED else {})} for op in OPERATIONS]
    extra = {"headers": headers} if headers else {}
    return schemathesis.Config.from_dict({**CONFIG, "operations": operations, **extra})


def _headers(runner: FlaskCliRunner, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {runner.invoke(args=['tokens', 'create', email]).output.strip()}"}


@pytest.fixture
def tokens(runner: FlaskCliRunner, demo: None) -> dict[str, dict[str, str]]:
    """Each role's headers, and none."""
    return {**{role: _headers(runner, email) for role, email in ROLES.items()}, "none": {}}


@pytest.fixture
def filed(app: Flask, tokens: dict[str, dict[str, str]]) -> None:
    """Filing 1 (valid) submitted and delivered, so it has a receipt, exports, figures and signals;
    2 found invalid; 3 a test version."""
    client = app.test_client()
    for data, test in ((VALID, "false"), (BROKEN, "false"), (VALID, "true")):
        response = client.post("/api/v1/filings", headers=tokens["board"], content_type="multipart/form-data",
                               data={"file": (io.BytesIO(data), "jv.xbrl"), "board": "41234", "year": "2025",
                                     "test": test})
        assert response.status_code == 202, response.get_json()
    assert run_jobs(app) == ["valid", "invalid", "valid"]
    assert client.post("/api/v1/filings/1/submit", headers=tokens["board"],
                       json={"declaration": True}).status_code == 201
    with app.app_context():
        deliveries.process(app)
        db = get_db()  # the accountant's firm may work on the board's 2025 filings
        board, accountant = (db.scalar(select(User).where(User.email == ROLES[r])) for r in ("board", "accountant"))
        authorise(db, board, "41234", 2025, accountant.firm_id)
        db.commit()
    assert client.get("/api/v1/figures?year=2025&concept=Equity", headers=tokens["ocw"]).get_json()["facts"]
    # The board's draft of 2025, so reading and filing it reach real facts.
    draft = [{"concept": "Equity", "period": "2025-12-31", "value": "1000"}]
    assert client.put("/api/v1/drafts/41234/2025", headers=tokens["board"], json={"facts": draft}).status_code == 200


def _run(app: Flask, role: str, headers: dict[str, str]) -> tuple[list[str], dict[str, set[int]]]:
    """Every operation through schemathesis as one role: the problems found, and the statuses each
    operation answered."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=_config(role, headers))
    problems: list[str] = []
    statuses: dict[str, set[int]] = defaultdict(set)
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            for interaction in event.recorder.interactions.values():
                # Not the probes with methods the operation does not have (405, or OPTIONS)
                if interaction.response is not None and str(event.label).startswith(interaction.request.method):
                    statuses[str(event.label)].add(interaction.response.status_code)
            if event.status in (Status.FAILURE, Status.ERROR):
                problems += [f"{event.label} ({event.phase}): {check.name}: {check.failure_info.failure.title}\n"
                             f"{check.failure_info.failure.message}\n{check.failure_info.code_sample}"
                             for checks in event.recorder.checks.values() for check in checks if check.failure_info]
        elif isinstance(event, events.NonFatalError):  # e.g. an exception escaping a view
            problems.append(f"{event.label} ({event.phase}): {event.info.format()}")
        elif isinstance(event, events.FatalError):
            problems.append(f"schemathesis failed: {event.exception!r}")
    return problems, statuses


def test_every_answer_is_documented(app: Flask, tokens: dict[str, dict[str, str]], filed: None) -> None:
    """Each role's run finds nothing undocumented, reaches every operation, and reaches the real
    data where the role may see it; without a token every operation but the document is 401."""
    seen: dict[str, dict[str, set[int]]] = {}
    for role, headers in tokens.items():
        problems, seen[role] = _run(app, role, headers)
        assert not problems, f"as {role}:\n\n" + "\n\n".join(problems)
    labels = {f"{op.method.upper()} {op.path}" for op in OPERATIONS}
    for role, statuses in seen.items():
        assert set(statuses) == labels, role
    board = seen["board"]
    assert 202 in board["POST /filings"] and 200 in board["GET /filings"] and 200 in board["GET /filings/{id}"]
    assert {200, 404} <= board["GET /filings/{id}/receipt"] and 200 in board["GET /filings/{id}/exports/{format}"]
    assert 200 in seen["ocw"]["GET /figures"] and 200 in seen["inspectorate"]["GET /signals"]
    assert 403 in board["GET /figures"] and 403 in board["GET /signals"]
    assert 403 in seen["accountant"]["POST /filings"]  # FILING-TEST-ONLY: the accountant's firm is authorised
    assert 200 in board["GET /filings/{id}/compare"] and 400 in board["GET /filings/{id}/compare"]
    assert 200 in board["GET /drafts/{board}/{year}"] and 200 in seen["accountant"]["GET /drafts/{board}/{year}"]
    anonymous = {label: codes for label, codes in seen["none"].items() if label != "GET /openapi.json"}
    assert {code for codes in anonymous.values() for code in codes} == {401}, anonymous
