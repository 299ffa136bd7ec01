"""The API's OpenAPI 3.1 description, served at /api/v1/openapi.json, written from the table of
operations that also checks every request (portal/api/operations.py)."""

from __future__ import annotations

from functools import cache
from typing import Any

from .contract import Field, Operation
from .operations import ERROR_CODES, OPERATIONS, SCHEMAS

MESSAGE = {"type": "object", "required": ["nl", "en"], "additionalProperties": False,
           "properties": {"nl": {"type": "string"}, "en": {"type": "string"}}}
ERROR: dict[str, Any] = {
    "type": "object", "required": ["error"], "additionalProperties": False,
    "properties": {"error": {
        "type": "object", "required": ["code", "message"], "additionalProperties": False,
        "properties": {"code": {"type": "string", "pattern": "^[A-Z][A-Z0-9-]*$", "examples": ["NOT-FOUND"]},
                       "message": MESSAGE,
                       # DRAFT-INVALID: every offending fact, by its position in the list sent.
                       "facts": {"type": "array", "items": {
                           "type": "object", "required": ["index", "concept", "period", "dimensions", "code",
                                                          "message"],
                           "properties": {"index": {"type": ["integer", "null"]},
                                          "concept": {"type": ["string", "null"]},
                                          "period": {"type": ["string", "null"]},
                                          "dimensions": {"type": "object"}, "code": {"type": "string"},
                                          "message": MESSAGE}}}}}}}
DESCRIPTION = (
    "Upload, validate and submit school boards' annual accounts, or fill them in as a draft of facts and "
    "file that; OCW's figures and the inspectorate's signalling values. Authenticate with a personal token: `Authorization: Bearer <token>` "
    "(`flask --app app tokens create EMAIL`). Every error is `{\"error\": {\"code\", \"message\": {\"nl\", "
    "\"en\"}}}` with a stable code; each operation lists the codes it can answer per status.")
STATUS_TEXT = {400: "the request is malformed", 401: "no valid token", 403: "for another role",
               404: "not found", 409: "a conflict with the current state; see the code", 413: "too large",
               422: "the request conflicts with an earlier one, or its facts do not fit the forms", 429: "too many requests",
               503: "temporarily unavailable"}


def _parameter(f: Field) -> dict[str, Any]:
    return {"name": f.name, "in": f.location, "required": f.required, "schema": f.schema,
            "description": f.description}


def _error_response(status: int, codes: list[str]) -> dict[str, Any]:
    listed = "; ".join(f"`{code}`: {ERROR_CODES[code]}" for code in codes)
    schema = {"allOf": [{"$ref": "#/components/schemas/Error"}],
              "properties": {"error": {"properties": {"code": {"enum": codes}}}}}
    response: dict[str, Any] = {"description": f"{STATUS_TEXT[status]}. {listed}",
                                "content": {"application/json": {"schema": schema}}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}, "required": True,
                                                    "description": "Bearer realm=\"api\""}}
    return response


def _operation(op: Operation) -> dict[str, Any]:
    result: dict[str, Any] = {"operationId": op.name, "summary": op.summary}
    if op.description:
        result["description"] = op.description
    parameters = [_parameter(f) for f in op.fields if f.location != "body"]
    if parameters:
        result["parameters"] = parameters
    body = op.in_location("body")
    if op.body_media:
        schema = {"type": "object", "required": [f.name for f in body if f.required],
                  "properties": {f.name: {**f.schema, "description": f.description} for f in body}}
        # Required when one of its fields is: filing a draft may send no body at all (a regular version).
        result["requestBody"] = {"required": any(f.required for f in body),
                                 "content": {media: {"schema": schema} for media in op.body_media}}
    if not op.auth:
        result["security"] = []
    responses: dict[str, Any] = {}
    for answer in op.answers:
        responses[str(answer.status)] = {"description": answer.description, "content": {
            media: ({"schema": schema} if schema is not None else {}) for media, schema in answer.content.items()}}
    for status, codes in op.error_codes().items():
        responses[str(status)] = _error_response(status, codes)
    result["responses"] = responses
    return result


@cache
def document() -> dict[str, Any]:
    """The OpenAPI document (made once: it depends only on the table)."""
    paths: dict[str, dict[str, Any]] = {}
    for op in OPERATIONS:
        paths.setdefault(op.path, {})[op.method] = _operation(op)
    return {
        "openapi": "3.1.0",
        "info": {"title": "Verantwoordingsportaal API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Error": ERROR, **SCHEMAS}},
        "paths": paths,
    }
