"""The table of API operations: every URL, parameter, body, answer and error code of /api/v1.

The views are registered from it, requests are checked against it and the OpenAPI document is
written from it (portal/api/openapi.py). URLs, JSON keys and codes are a contract with software
vendors: add to them, never rename."""

from __future__ import annotations

from typing import Any

from validators.report import SUBMITTABLE

from ..filings.services import FIRST_YEAR, LAST_YEAR
from .contract import Answer, Field, Operation, Rejection

# What each error code means (the document lists, per operation and status, the codes it can give).
ERROR_CODES = {
    "AUTH-REQUIRED": "no `Authorization: Bearer <token>` header",
    "AUTH-INVALID": "the token is unknown or revoked, or its user is deactivated",
    "REQUEST-INVALID": "a parameter or body field is missing or malformed (the message names it)",
    "IDEMPOTENCY-KEY": "the Idempotency-Key header is not 1 to 200 printable ASCII characters",
    "IDEMPOTENCY-MISMATCH": "the Idempotency-Key was used before for a different request",
    "FILING-YEAR": "the reporting year is outside the years the portal accepts",
    "FILING-TEST-ONLY": "an accountant uploads test versions only",
    "FILING-BUSY": "uploads raced for the same version number; send again",
    "UPLOAD-RATE": "too many uploads in a short time; wait and send again",
    "IN-SIZE": "the request is larger than the upload limit",
    "NOT-FOUND": "no such resource, or not one this token may see",
    "NOT-SUBMITTED": "this version was not submitted, so it has no receipt",
    "EXPORT-NOT-READY": "the xBRL-JSON and xBRL-CSV versions are made once the submitted version is delivered to OCW",
    "SUBMIT-DECLARATION": "submitting needs `\"declaration\": true`",
    "SUBMIT-TEST": "a test version cannot be submitted",
    "SUBMIT-NOT-VALID": "only a validated version without errors can be submitted",
    "SUBMIT-BUSY": "submissions raced for the same receipt number; send again",
    "FORBIDDEN": "this data is for another role (figures: OCW; signals: the inspectorate); an accountant changing "
                 "a draft, which only the board changes",
    "DRAFT-STALE": "the draft was saved by someone else after the revision sent (the message says who and when); "
                   "nothing was saved: read the draft again and apply the change to its current revision",
    "DRAFT-INVALID": "facts that do not fit the year's forms (unknown concept, a period or dimensions the form has "
                     "no field for, a value that does not fit the type, a fact twice); `error.facts` lists each "
                     "with its index, code and message; nothing was saved",
    "DRAFT-EMPTY": "the draft holds no facts yet, so there is nothing to file",
    "COMPARE-MISMATCH": "the two versions cannot be compared: another board's, or a year other than the same or the "
                        "one before",
    "COMPARE-NO-FACTS": "a version's figures were not kept (not validated yet, refused at intake, or validated "
                        "before the portal kept them), so there is nothing to compare",
    "STATEMENTS-NOT-READY": "the version has no statements to show: not validated yet, its facts could not be read, "
                            "or it was validated before the portal kept facts",
    "SERVICE-UNAVAILABLE": "the database cannot be reached right now; send again later",
    "STORAGE-UNAVAILABLE": "the file store cannot read or write a file right now (nothing was stored or changed); "
                           "send again after Retry-After",
    "METHOD-NOT-ALLOWED": "the URL exists, but not with this method (the Allow header lists those it has)",
    "INTERNAL-ERROR": "the portal failed (a bug, never part of an operation's contract)",
}

YEAR = {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR, "examples": [2025]}
YEAR_EXPECT = (f"een verslagjaar van {FIRST_YEAR} tot en met {LAST_YEAR}",
               f"a reporting year from {FIRST_YEAR} to {LAST_YEAR}")
BOARD = {"type": "string", "pattern": "^[0-9]{5}$", "examples": ["41234"]}
BOARD_EXPECT = ("het nummer van een bevoegd gezag (5 cijfers)", "a board's number (5 digits)")
# Ids are PostgreSQL integers: a larger number names nothing (and the database would refuse it).
ID = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1, "examples": [1]}
# A multipart field is text: the flags the upload has always read (true/1/yes), in any case.
FLAG = "^([Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|[Yy][Ee][Ss]|[Nn][Oo]|1|0)$"
FORMAT = {"type": "string", "enum": ["json", "csv"], "default": "json"}
FORMAT_EXPECT = ("json of csv", "json or csv")

# A path that names nothing is not found, whatever is wrong with it.
FILING_ID = Field("id", "path", ID, "the filing's id", ("een filing-id", "a filing id"), required=True,
                  code="NOT-FOUND")
DATETIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
DRAFT_PATH = (Field("board", "path", BOARD, "the board's number", BOARD_EXPECT, required=True, code="NOT-FOUND"),
              Field("year", "path", YEAR, "the reporting year", YEAR_EXPECT, required=True, code="NOT-FOUND"))
MAX_DRAFT_FACTS = 20_000  # a full report has a few hundred; the largest generated one 3,000

RECEIPT: dict[str, Any] = {
    "type": "object",
    "required": ["number", "submitted_at", "submitted_by", "board", "year", "files", "taxonomy", "status", "late"],
    "properties": {
        "number": {"type": "string", "examples": ["JV-2025-41234-0001"]},
        "submitted_at": {"type": "string", "format": "date-time"},
        "submitted_by": {"type": "string"}, "board": {"type": "string"}, "year": {"type": "integer"},
        "version": {"type": "integer"},
        "files": {"type": "array", "items": {"type": "object", "required": ["name", "size", "sha256"], "properties": {
            "kind": {"enum": ["xbrl", "annual-report", "auditor-report"]}, "name": {"type": "string"},
            "size": {"type": "integer"}, "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}}},
        "taxonomy": {"type": ["object", "null"]},
        "status": {"enum": list(SUBMITTABLE)},
        "late": {"type": "boolean"},
        "assurance": {"type": ["object", "null"], "description": "the accountant's signed assurance, if any",
                      "properties": {"opinion": {"type": "string"}, "opinion_date": {"type": "string"},
                                     "firm": {"type": "string"}, "accountant": {"type": "string"},
                                     "key_fingerprint": {"type": "string"},
                                     "auditor_report_sha256": {"type": ["string", "null"]},
                                     "signature_valid": {"type": "boolean"}}}}}
FILING: dict[str, Any] = {
    "type": "object", "required": ["id", "board", "year", "version", "status", "report", "receipt"],
    "properties": {
        "id": {"type": "integer"}, "board": {"type": "string"}, "year": {"type": "integer"},
        "version": {"type": ["integer", "null"],
                    "description": "the version number; null for a file refused at intake (status rejected), "
                                   "which is no version"},
        "test": {"type": "boolean"},
        "status": {"enum": ["queued", "validating", "valid", "valid-with-warnings", "invalid", "rejected", "error"]},
        "report": {"type": ["object", "null"], "description": "the validation report, once validated"},
        "receipt": {"oneOf": [{"$ref": "#/components/schemas/Receipt"}, {"type": "null"}]},
        "deliveries": {"type": "array", "items": {"type": "object", "properties": {
            "recipient": {"enum": ["duo", "ocw", "inspectorate"]},
            "state": {"enum": ["pending", "delivered", "acknowledged", "superseded"]},
            "delivered_at": DATETIME_OR_NULL, "acknowledged_at": DATETIME_OR_NULL,
            "failed_attempts": {"type": "integer", "minimum": 0,
                                "description": "failed attempts so far while the delivery is being retried"},
            "next_attempt_at": {**DATETIME_OR_NULL, "description": "when a failed delivery is tried again"}}}},
        "exports": {"type": "object", "description": "the submitted version as OIM, made on its delivery to OCW: "
                    "the path of each download, or null before",
                    "properties": {"xbrl-json": {"type": ["string", "null"]},
                                   "xbrl-csv": {"type": ["string", "null"]}}}}}
FACT = {"type": "object", "required": ["board", "year", "concept", "period", "dimensions", "value", "unit"],
        "properties": {"board": {"type": "string"}, "year": {"type": "integer"}, "concept": {"type": "string"},
                       "period": {"type": "string"}, "dimensions": {"type": "object"},
                       "value": {"type": ["string", "null"], "description": "as filed"},
                       "unit": {"type": ["string", "null"]}}}
SIGNAL = {"type": "object", "required": ["value", "threshold", "breach", "computable", "reason"],
          "properties": {"value": {"type": ["number", "null"]}, "threshold": {"type": ["number", "null"]},
                         "breach": {"type": "boolean"}, "computable": {"type": "boolean"},
                         "reason": {"type": ["string", "null"]}}}
# A draft's fact: the figures API's shape without board and year, the value in its canonical lexical form.
FACT_PROPERTIES: dict[str, Any] = {
    "concept": {"type": "string", "description": "the concept's local name", "examples": ["Equity"]},
    "period": {"type": "string", "description": "an instant or start/end", "examples": ["2025-12-31",
                                                                                    "2025-01-01/2025-12-31"]},
    "dimensions": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "{} or as the figures API writes them: {\"edu:ScenarioAxis\": "
                                  "\"edu:BudgetMember\"}, {\"edu:WNTOfficialAxis\": \"TF1\"}"},
    "value": {"type": "string", "description": "the canonical lexical value: 1234567, -41902, 0.90, 2025-06-12, "
                                               "text; never empty (leave the fact out instead)"},
    "unit": {"type": ["string", "null"], "description": "derived from the concept: iso4217:EUR, xbrli:pure or null"}}
DRAFT_FACT = {"type": "object", "required": ["concept", "period", "dimensions", "value", "unit"],
              "properties": FACT_PROPERTIES}
DRAFT = {"type": "object", "required": ["board", "year", "revision", "facts", "updated_at", "updated_by"],
         "properties": {"board": {"type": "string"}, "year": {"type": "integer"},
                        "revision": {"type": "integer", "minimum": 0,
                                     "description": "0 before the first save; each save adds one"},
                        "facts": {"type": "array", "items": {"$ref": "#/components/schemas/DraftFact"}},
                        "updated_at": DATETIME_OR_NULL,
                        "updated_by": {"type": ["string", "null"], "description": "who saved it last (e-mail)"}}}
VALUE_OR_NULL = {"type": ["string", "null"]}
COMPARED_VERSION = {"type": "object", "required": ["id", "year", "version"],
                    "properties": {"id": {"type": "integer"}, "year": {"type": "integer"},
                                   "version": {"type": ["integer", "null"]}}}
CHANGE = {"type": "object", "required": ["concept", "period", "dimensions", "old", "new"],
          "additionalProperties": False,
          "properties": {"concept": {"type": "string", "description": "the concept's local name",
                                     "examples": ["Equity"]},
                         "period": {"type": ["string", "null"],
                                    "description": "the newer version's period (an older year's moved on a year)",
                                    "examples": ["2025-12-31", "2025-01-01/2025-12-31"]},
                         "dimensions": {"type": "object", "additionalProperties": {"type": "string"},
                                        "description": "as the newer version writes them"},
                         "old": {**VALUE_OR_NULL, "description": "as filed in the older version; null: added"},
                         "new": {**VALUE_OR_NULL, "description": "as filed in the newer version; null: removed"}}}
COMPARISON = {"type": "object", "required": ["changes"], "properties": {
    "changes": {"type": "array", "items": {"$ref": "#/components/schemas/Change"}},
    "old": {**COMPARED_VERSION, "description": "the older of the two (the year before, or the lower version)"},
    "new": {**COMPARED_VERSION, "description": "the newer of the two"},
    "findings": {"type": "object", "required": ["new", "resolved"],
                 "description": "findings of the newer report the older did not have, and the older's it no "
                                "longer has (each as in the report)",
                 "properties": {"new": {"type": "array", "items": {"type": "object"}},
                                "resolved": {"type": "array", "items": {"type": "object"}}}}}}
STATEMENTS = {"type": "object", "required": ["statements"], "properties": {
    "filing": {"type": "integer"}, "board": {"type": "string"}, "year": {"type": "integer"},
    "version": {"type": ["integer", "null"]}, "facts": {"type": "integer", "description": "facts in the file"},
    "statements": {"type": "array", "items": {
        "type": "object", "required": ["role", "title", "columns", "rows"], "properties": {
            "id": {"type": "string"}, "role": {"type": "string"}, "title": {"type": "string"},
            "columns": {"type": "array", "items": {"type": "object", "required": ["period", "dimensions"], "properties": {
                "period": {"type": "string"}, "instant": {"type": ["string", "null"]},
                "dimensions": {"type": "object", "additionalProperties": {"type": "string"}},
                "label": {"type": "string"}}}},
            "rows": {"type": "array", "items": {
                "type": "object", "required": ["concept", "label", "depth", "total", "values"], "properties": {
                    "concept": {"type": "string", "description": "local name"}, "label": {"type": "string"},
                    "depth": {"type": "integer"}, "total": {"type": "boolean"}, "abstract": {"type": "boolean"},
                    "values": {"type": "array", "items": {"type": ["string", "null"]}}}}}}}}}}
SCHEMAS = {"Receipt": RECEIPT, "Filing": FILING, "Fact": FACT, "Signal": SIGNAL, "Draft": DRAFT,
           "DraftFact": DRAFT_FACT, "Change": CHANGE, "Comparison": COMPARISON}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _list_of(key: str, name: str) -> dict[str, Any]:
    return {"type": "object", "required": [key], "properties": {key: {"type": "array", "items": _ref(name)}}}


OPERATIONS: tuple[Operation, ...] = (
    Operation(
        "create_filing", "post", "/filings", "Upload a version; it is validated in the background",
        description="The same bytes for the same board, year and kind give the existing version. With an "
                    "`Idempotency-Key`, a retry of the same request (the same board, year, test, file name and "
                    "bytes) gets the first answer again; the same key with a different request gets 422.",
        answers=(Answer(202, "the filing, queued for validation (or the existing version of the same bytes)",
                        {"application/json": _ref("Filing")}),),
        body_media=("multipart/form-data",),
        fields=(
            Field("Idempotency-Key", "header", {"type": "string", "pattern": "^[ -~]{1,200}$"},
                  "a key of 1 to 200 printable ASCII characters: a retried POST with the same key and the same "
                  "request gets the first answer again", ("1 tot 200 afdrukbare ASCII-tekens",
                                                          "1 to 200 printable ASCII characters"),
                  code="IDEMPOTENCY-KEY"),
            Field("file", "body", {"type": "string", "format": "binary"},
                  "the filing: XBRL, inline XBRL (XHTML) or a report package (zip, xbri)",
                  ("een bestand", "a file"), required=True),
            Field("board", "body", BOARD, "the board's number", BOARD_EXPECT, required=True),
            Field("year", "body", YEAR, "the reporting year", YEAR_EXPECT, required=True,
                  rejections={k: Rejection("FILING-YEAR", "Onbekend verslagjaar {value}.",
                                           "Unknown reporting year {value}.") for k in ("minimum", "maximum")}),
            Field("test", "body", {"type": "string", "pattern": FLAG, "default": "false"},
                  "a test version: validated, never submitted nor delivered, deleted after the retention period "
                  "(accountants upload only these): true, 1 or yes; false, 0 or no (any case) for a regular one",
                  ("true of false", "true or false"), convert=lambda text: text.lower() in ("true", "1", "yes")),
        ),
        errors={403: ("FILING-TEST-ONLY",), 404: ("NOT-FOUND",), 409: ("FILING-BUSY",), 413: ("IN-SIZE",),
                422: ("IDEMPOTENCY-MISMATCH",), 429: ("UPLOAD-RATE",), 503: ("STORAGE-UNAVAILABLE",)}),
    Operation(
        "list_filings", "get", "/filings", "The versions of a board and year, newest first",
        answers=(Answer(200, "the versions", {"application/json": _list_of("filings", "Filing")}),),
        fields=(Field("board", "query", BOARD, "the board's number", BOARD_EXPECT, required=True),
                Field("year", "query", YEAR, "the reporting year", YEAR_EXPECT, required=True)),
        errors={404: ("NOT-FOUND",)}),
    Operation(
        "get_filing", "get", "/filings/{id}", "A filing, its report once validated and its receipt once submitted",
        answers=(Answer(200, "the filing", {"application/json": _ref("Filing")}),),
        fields=(FILING_ID,), errors={404: ("NOT-FOUND",)}),
    Operation(
        "submit_filing", "post", "/filings/{id}/submit",
        "Submit a validated version (201), or get its receipt again (200)",
        answers=(Answer(201, "submitted: the receipt", {"application/json": _ref("Receipt")}),
                 Answer(200, "submitted before: its receipt", {"application/json": _ref("Receipt")})),
        body_media=("application/json", "application/x-www-form-urlencoded"),
        fields=(FILING_ID,
                Field("declaration", "body", {"const": True},
                      "the filer's declaration that the version is complete and correct: true (in a form: true or "
                      "yes)", ("true", "true"), required=True,
                      read=lambda text: True if text.lower() in ("true", "yes") else text,
                      rejections={k: Rejection("SUBMIT-DECLARATION", "Bevestig eerst de verklaring.",
                                               "Please confirm the declaration first.") for k in ("required", "*")})),
        errors={404: ("NOT-FOUND",), 409: ("SUBMIT-TEST", "SUBMIT-NOT-VALID", "SUBMIT-BUSY"), 413: ("IN-SIZE",),
                503: ("STORAGE-UNAVAILABLE",)}),  # the assurance is verified against the stored files
    Operation(
        "get_receipt", "get", "/filings/{id}/receipt", "The receipt of a submitted version",
        answers=(Answer(200, "the receipt", {"application/json": _ref("Receipt")}),),
        fields=(FILING_ID,), errors={404: ("NOT-FOUND", "NOT-SUBMITTED")}),
    Operation(
        "get_export", "get", "/filings/{id}/exports/{format}",
        "The submitted version as xBRL-JSON, or xBRL-CSV in a zip (404 EXPORT-NOT-READY before its delivery "
        "to OCW)",
        answers=(Answer(200, "the file, as a download", {"application/json": {"type": "object"},
                                                         "application/zip": None}),),
        fields=(FILING_ID, Field("format", "path", {"type": "string", "enum": ["xbrl-json", "xbrl-csv"]},
                                 "xbrl-json or xbrl-csv", ("xbrl-json of xbrl-csv", "xbrl-json or xbrl-csv"),
                                 required=True, code="NOT-FOUND")),
        errors={404: ("NOT-FOUND", "EXPORT-NOT-READY"), 503: ("STORAGE-UNAVAILABLE",)}),
    Operation(
        "compare_filing", "get", "/filings/{id}/compare",
        "What changed between two versions of a board: of the same year, or this one and the year before",
        description="Per fact (concept by local name, period, dimensions; a text also by language) that was "
                    "added (`old` null), removed (`new` null) or changed, with its values as filed; numbers "
                    "compare by value (1000 and 1000.00 are the same). The older of the two versions is always "
                    "the old side, whichever the URL names first. Against the year before, its periods are moved "
                    "on a year so that they line up with this year's. Both versions must be ones the token may "
                    "read (a recipient: submitted versions only), of the same board; another board's or a year "
                    "further off is 422 `COMPARE-MISMATCH`; a version whose figures were not kept is 409 "
                    "`COMPARE-NO-FACTS`.",
        answers=(Answer(200, "the changes, in the statements' order", {"application/json": _ref("Comparison")}),),
        fields=(FILING_ID, Field("with", "query", ID, "the id of the version to compare with",
                                 ("een filing-id", "a filing id"), required=True)),
        errors={404: ("NOT-FOUND",), 409: ("COMPARE-NO-FACTS",), 422: ("COMPARE-MISMATCH",)}),
    Operation(
        "figures", "get", "/figures", "OCW's figures: one concept for every board, or every fact of one board",
        description="Send `concept` (one value per board: the year's own fact, without dimensions) or `board` "
                    "(every fact of the board's latest submission); without either, 400 REQUEST-INVALID.",
        answers=(Answer(200, "the facts", {"application/json": _list_of("facts", "Fact"),
                                           "text/csv": {"type": "string"}}),),
        fields=(Field("year", "query", YEAR, "the reporting year", YEAR_EXPECT, required=True),
                Field("concept", "query", {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_.-]{0,199}$",
                                           "examples": ["Equity"]},
                      "a concept's local name", ("de lokale naam van een concept", "a concept's local name")),
                Field("board", "query", BOARD, "the board's number", BOARD_EXPECT),
                Field("format", "query", FORMAT, "json (the default) or csv", FORMAT_EXPECT)),
        errors={403: ("FORBIDDEN",)}),
    Operation(
        "signals", "get", "/signals", "The inspectorate's signalling values of every board for a year",
        answers=(Answer(200, "every board's values", {
            "application/json": {"type": "object", "required": ["boards"], "properties": {"boards": {
                "type": "array", "items": {"type": "object", "required": ["board", "year", "signals"], "properties": {
                    "board": {"type": "string"}, "year": {"type": "integer"},
                    "signals": {"type": "object", "additionalProperties": _ref("Signal")}}}}}},
            "text/csv": {"type": "string"}}),),
        fields=(Field("year", "query", YEAR, "the reporting year", YEAR_EXPECT, required=True),
                Field("format", "query", FORMAT, "json (the default) or csv", FORMAT_EXPECT)),
        errors={403: ("FORBIDDEN",)}),
    Operation(
        "get_draft", "get", "/drafts/{board}/{year}", "A board's draft of a year: its facts and revision",
        description="The board's members and the accountants authorised for the year read it. No draft yet: "
                    "revision 0, no facts, `updated_at` and `updated_by` null. A year without forms: 404.",
        answers=(Answer(200, "the draft", {"application/json": _ref("Draft")}),),
        fields=DRAFT_PATH, errors={404: ("NOT-FOUND",)}),
    Operation(
        "put_draft", "put", "/drafts/{board}/{year}", "Replace a draft's facts (the board's members)",
        description="Send the revision the change was made on (absent, null or 0 when there is no draft yet) and "
                    "every fact of the draft: they replace its facts, as the next revision. If someone saved "
                    "after that revision, 409 `DRAFT-STALE` and nothing is saved (no last writer wins). Facts "
                    "that do not fit the year's forms: 422 `DRAFT-INVALID` with `error.facts` listing each, and "
                    "nothing is saved. An accountant reads a draft but does not change it (403).",
        answers=(Answer(200, "the draft as saved, at its new revision", {"application/json": _ref("Draft")}),),
        body_media=("application/json",),
        fields=(*DRAFT_PATH,
                Field("revision", "body", {"type": ["integer", "null"], "minimum": 0, "maximum": 2**31 - 1},
                      "the revision the change was made on; absent, null or 0 when creating the draft",
                      ("een revisienummer (0 of meer)", "a revision number (0 or more)")),
                Field("facts", "body", {"type": "array", "maxItems": MAX_DRAFT_FACTS, "items": {
                    "type": "object", "required": ["concept", "period", "value"], "properties": FACT_PROPERTIES}},
                      "every fact of the draft (`dimensions` {} and `unit` may be left out)",
                      ("een lijst feiten, elk met concept, period en value",
                       "a list of facts, each with concept, period and value"), required=True)),
        errors={403: ("FORBIDDEN",), 404: ("NOT-FOUND",), 409: ("DRAFT-STALE",), 413: ("IN-SIZE",),
                422: ("DRAFT-INVALID",)}),
    Operation(
        "file_draft", "post", "/drafts/{board}/{year}/file",
        "File a draft: its facts as an XBRL instance, a new version validated in the background",
        description="The draft's facts written as an xBRL-XML instance of the year's entry point and uploaded as "
                    "`POST /filings` does, with the same answer; then submit it as any filing. The same facts "
                    "filed again give the existing version. `test` makes a test version (accountants file only "
                    "these).",
        answers=(Answer(202, "the filing, queued for validation (or the existing version of the same facts)",
                        {"application/json": _ref("Filing")}),),
        body_media=("application/json",),
        fields=(*DRAFT_PATH,
                Field("test", "body", {"type": ["boolean", "null"], "default": False},
                      "true for a test version: validated, never submitted nor delivered, deleted after the "
                      "retention period; absent, null or false for a regular version",
                      ("true of false", "true or false"))),
        errors={403: ("FILING-TEST-ONLY",), 404: ("NOT-FOUND",), 409: ("DRAFT-EMPTY",), 429: ("UPLOAD-RATE",),
                503: ("STORAGE-UNAVAILABLE",)}),
    Operation(
        "get_statements", "get", "/filings/{id}/statements",
        "A version's statements: the facts as the taxonomy's presentation lays them out",
        description="One entry per statement of the year's taxonomy (general information, balance sheet, income "
                    "statement, cash flow statement, continuity section, WNT table), in its order, then `other` "
                    "with any fact no statement shows: every fact of the file is in exactly one place per "
                    "statement that shows its concept. A column per period and dimensions the facts hold (a "
                    "calendar year is one column: `period` is its duration, `instant` its last day); rows in "
                    "presentation order with their depth and whether they are a total, without rows that have "
                    "no value (their headings stay); values as filed, null where there is none. Labels and "
                    "titles in `lang`. Read from what the validation kept: the file is not read again.",
        answers=(Answer(200, "the statements", {"application/json": STATEMENTS}),),
        fields=(FILING_ID, Field("lang", "query", {"type": "string", "enum": ["nl", "en"], "default": "nl"},
                                 "the language of labels and titles", ("nl of en", "nl or en"))),
        errors={404: ("NOT-FOUND", "STATEMENTS-NOT-READY")}),
    Operation(
        "openapi", "get", "/openapi.json", "This document", auth=False,
        answers=(Answer(200, "the OpenAPI 3.1 document", {"application/json": {"type": "object"}}),)),
)
BY_NAME = {op.name: op for op in OPERATIONS}
