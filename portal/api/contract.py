"""The API's contract as data: each operation with its parameters, body, answers and error codes.

The table of operations (portal/api/operations.py) is built from these classes; the OpenAPI
document is written from it and every request is checked against it, so what the document
promises and what the views accept cannot drift apart."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Literal

from flask import Blueprint, Request, g, request
from jsonschema import Draft202012Validator

from ..errors import ServiceError
from ..i18n import text_in
from ..vocabulary import N_

Location = Literal["path", "query", "header", "body"]
# Codes every checked request may get; an operation adds its own (Operation.errors).
AUTH_CODES = ("AUTH-REQUIRED", "AUTH-INVALID")
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
INTEGER = re.compile(r"-?[0-9]{1,30}")  # ASCII digits only: int() would take '²', '1_000' and ' 7 '


@dataclass(frozen=True)
class Rejection:
    """The error a field's value gets when it breaks one JSON Schema keyword (e.g. 'maximum').
    `{value}` in the texts is replaced by what was sent; the keyword "required" is for a missing
    value, "*" for any other."""

    code: str
    nl: str
    en: str


@dataclass(frozen=True)
class Field:
    """One parameter or body property: where it is, its JSON Schema, and what it means."""

    name: str
    location: Location
    schema: dict[str, Any]
    description: str
    expect: tuple[str, str]  # what a good value is, in Dutch and English, for the error message
    required: bool = False
    code: str = "REQUEST-INVALID"  # the error for a missing or malformed value
    rejections: dict[str, Rejection] = field(default_factory=dict)  # by JSON Schema keyword
    # How a value sent as text (path, query, header, form) is read before it is checked (default:
    # digits as an integer where the schema wants one), and what the view gets once it passed.
    read: Callable[[str], Any] | None = None
    convert: Callable[[Any], Any] | None = None

    def __post_init__(self) -> None:
        if self.location == "path" and (self.code != "NOT-FOUND" or self.rejections):
            raise ValueError(f"path parameter {self.name}: a path that names nothing is NOT-FOUND (404)")

    @property
    def binary(self) -> bool:
        """A file part of a multipart body."""
        return self.schema.get("format") == "binary"

    def rejection_codes(self) -> list[str]:
        """Every code a bad value of this field can get."""
        return [self.code, *(r.code for r in self.rejections.values())]


@dataclass(frozen=True)
class Answer:
    """A successful answer: status, description, and the body per media type (a JSON Schema, or
    None for a body the document does not describe, such as a zip)."""

    status: int
    description: str
    content: dict[str, dict[str, Any] | None]


@dataclass(frozen=True)
class Operation:
    """One API operation. `errors` lists, per status, the codes its service can answer with;
    the codes of authentication, of the request checks and of an unavailable database are added."""

    name: str  # the Flask endpoint and the OpenAPI operationId
    method: str
    path: str  # as in the OpenAPI document, under /api/v1: /filings/{id}
    summary: str
    answers: tuple[Answer, ...]
    fields: tuple[Field, ...] = ()
    body_media: tuple[str, ...] = ()  # media types the body may come in
    errors: dict[int, tuple[str, ...]] = field(default_factory=dict)
    auth: bool = True
    description: str = ""

    def in_location(self, location: Location) -> list[Field]:
        """The fields at one location, in the table's order."""
        return [f for f in self.fields if f.location == location]

    def error_codes(self) -> dict[int, list[str]]:
        """Every error status this operation can answer, with its codes."""
        result: dict[int, list[str]] = {}

        def add(status: int, *codes: str) -> None:
            result.setdefault(status, [])
            result[status] += [c for c in codes if c not in result[status]]

        for f in self.fields:
            for code in f.rejection_codes():
                add(404 if f.location == "path" else 400, code)
        if self.auth:
            add(401, *AUTH_CODES)
        for status, codes in self.errors.items():
            add(status, *codes)
        if self.auth:  # the token is looked up in the database
            add(503, "SERVICE-UNAVAILABLE")
        return dict(sorted(result.items()))

    @property
    def flask_rule(self) -> str:
        """The URL rule: path parameters as plain strings, checked by `parse` (not by converters,
        which would answer a bad id before the token is checked)."""
        return "/" + "/".join(f"<{part[1:-1]}>" if part.startswith("{") else part
                              for part in self.path.strip("/").split("/"))


def _reject(f: Field, value: Any, keyword: str | None) -> ServiceError:
    r = f.rejections.get(keyword or "") or (f.rejections.get("*") if keyword != "required" else None)
    if r is not None:
        return ServiceError.said(r.code, {"nl": r.nl.format(value=value), "en": r.en.format(value=value)})
    if f.location == "path":
        return ServiceError(f.code, "Not found.", 404)
    where = {"query": N_("query parameter"), "header": N_("header"), "body": N_("field")}[f.location]
    # The expected form is the contract's own text per language (Field.expect: Dutch, English).
    return ServiceError.said(f.code, {
        lang: text_in(lang, "Missing or invalid %(where)s '%(name)s': expected %(expect)s.",
                      where=text_in(lang, where), name=f.name, expect=f.expect[i])
        for i, lang in enumerate(("nl", "en"))})


def _read(f: Field, raw: str) -> Any:
    """A value sent as text as the field reads it; what cannot be read stays text, so the schema
    check rejects it."""
    if f.read is not None:
        return f.read(raw)
    if f.schema.get("type") == "integer" and INTEGER.fullmatch(raw):
        return int(raw)
    return raw


def _check(f: Field, value: Any) -> Any:
    error = next(iter(Draft202012Validator(f.schema).iter_errors(value)), None)
    if error is not None:
        raise _reject(f, value, str(error.validator))
    return value


def _body(operation: Operation, req: Request) -> tuple[dict[str, Any], bool]:
    """The body's properties and whether they came as text (forms) rather than JSON."""
    if req.mimetype == "application/json" and "application/json" in operation.body_media:
        payload = req.get_json(silent=True)
        if not isinstance(payload, dict):
            raise ServiceError("REQUEST-INVALID", "The body must be a JSON object.", 400)
        return payload, False
    if req.mimetype in FORMS and req.mimetype in operation.body_media:
        values: dict[str, Any] = {k: req.form.get(k) for k in req.form}
        values.update({k: req.files.get(k) for k in req.files})
        return values, True
    return {}, True


def parse(operation: Operation, req: Request, path: dict[str, str]) -> dict[str, Any]:
    """The operation's fields from the request, each checked against its schema and converted
    to its type (a file part as the uploaded file); a ServiceError for the first bad one."""
    sources: dict[Location, tuple[Mapping[str, Any], bool]] = {
        "path": (path, True), "query": (req.args, True), "header": (req.headers, True)}
    if operation.body_media:
        sources["body"] = _body(operation, req)
    values: dict[str, Any] = {}
    for f in operation.fields:
        given, as_text = sources[f.location]
        raw = given.get(f.name)
        if f.binary:
            raw = raw if hasattr(raw, "read") else None  # a file part, not a text field of that name
        elif hasattr(raw, "read"):
            raw = None  # a file where text was expected
        if raw is None:
            if f.required:
                raise _reject(f, None, "required")
            values[f.name] = None
            continue
        value = raw if f.binary else _check(f, _read(f, raw) if as_text else raw)
        values[f.name] = f.convert(value) if f.convert is not None else value
    return values


def endpoint(bp: Blueprint, operation: Operation,
             authenticate: Callable[[], Any]) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a view for `operation`: the token is checked (401), then the request against the
    table (400, or 404 for the path), then the view runs with the checked values. A ServiceError
    from any of them reaches the app's one handler (portal/errors.py), which answers the API's
    JSON error with its code."""
    def decorator(view: Callable[[dict[str, Any]], Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(**path: str) -> Any:
            if operation.auth:
                g.api_user = authenticate()
            return view(parse(operation, request, path))

        bp.add_url_rule(operation.flask_rule, operation.name, wrapped, methods=[operation.method])
        return view
    return decorator


def dumps(body: Any) -> str:
    """JSON as the API writes it (UTF-8 text, not escaped)."""
    return json.dumps(body, ensure_ascii=False)
