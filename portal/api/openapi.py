"""The API's OpenAPI 3.1 description, served at /api/v1/openapi.json."""

from __future__ import annotations

from typing import Any

_ERROR = {"type": "object", "required": ["error"], "properties": {"error": {
    "type": "object", "required": ["code", "message"],
    "properties": {"code": {"type": "string", "examples": ["NOT-FOUND", "AUTH-REQUIRED"]},
                   "message": {"type": "object", "properties": {"nl": {"type": "string"}, "en": {"type": "string"}}}}}}}
_RECEIPT = {"type": "object", "required": ["number", "submitted_at", "submitted_by", "board", "year", "files", "taxonomy",
                                           "status", "late"],
            "properties": {"number": {"type": "string", "examples": ["JV-2025-41234-0001"]},
                           "submitted_at": {"type": "string", "format": "date-time"},
                           "submitted_by": {"type": "string"}, "board": {"type": "string"}, "year": {"type": "integer"},
                           "files": {"type": "array", "items": {"type": "object", "properties": {
                               "name": {"type": "string"}, "size": {"type": "integer"}, "sha256": {"type": "string"}}}},
                           "taxonomy": {"type": ["object", "null"]}, "status": {"type": "string"},
                           "late": {"type": "boolean"}}}
_FILING = {"type": "object", "required": ["id", "board", "year", "version", "status", "report", "receipt"],
           "properties": {"id": {"type": "integer"}, "board": {"type": "string"}, "year": {"type": "integer"},
                          "version": {"type": "integer"}, "test": {"type": "boolean"},
                          "status": {"enum": ["queued", "validating", "valid", "valid-with-warnings", "invalid",
                                              "rejected", "error"]},
                          "report": {"type": ["object", "null"], "description": "the validation report (REPORT.md)"},
                          "receipt": {"oneOf": [{"$ref": "#/components/schemas/Receipt"}, {"type": "null"}]},
                          "deliveries": {"type": "array", "items": {"type": "object", "properties": {
                              "recipient": {"enum": ["duo", "ocw", "inspectorate"]},
                              "state": {"enum": ["pending", "delivered", "acknowledged", "superseded"]},
                              "delivered_at": {"type": ["string", "null"], "format": "date-time"},
                              "acknowledged_at": {"type": ["string", "null"], "format": "date-time"}}}},
                          "exports": {"type": "object", "description": "the submitted version as OIM, made on its "
                                      "delivery to OCW: the path of each download, or null before",
                                      "properties": {"xbrl-json": {"type": ["string", "null"]},
                                                     "xbrl-csv": {"type": ["string", "null"]}}}}}


def _responses(ok: str, schema: str, *errors: int) -> dict[str, Any]:
    result: dict[str, Any] = {ok: {"description": "OK", "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}}
    for status in errors:
        result[str(status)] = {"description": "error", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Error"}}}}
    return result


def document() -> dict[str, Any]:
    """The OpenAPI document."""
    filing_id = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Verantwoordingsportaal API", "version": "1",
                 "description": "Upload, validate and submit school boards' annual accounts. Authenticate with a "
                                "personal token: `Authorization: Bearer <token>` (`flask --app app tokens create`)."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}],
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
                       "schemas": {"Error": _ERROR, "Receipt": _RECEIPT, "Filing": _FILING}},
        "paths": {
            "/filings": {
                "post": {"summary": "Upload a version; it is validated in the background",
                         "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False,
                                         "schema": {"type": "string", "maxLength": 200},
                                         "description": "a retried POST with the same key returns the first answer"}],
                         "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                             "type": "object", "required": ["file", "board", "year"],
                             "properties": {"file": {"type": "string", "format": "binary"},
                                            "board": {"type": "string", "examples": ["41234"]},
                                            "year": {"type": "integer", "examples": [2025]},
                                            "test": {"type": "boolean", "description": "a test version: validated, "
                                                     "never submitted nor delivered, deleted after the retention "
                                                     "period (accountants upload only these)"}}}}}},
                         "responses": _responses("202", "Filing", 400, 401, 404, 413, 422)},
                "get": {"summary": "The versions of a board and year",
                        "parameters": [{"name": "board", "in": "query", "required": True, "schema": {"type": "string"}},
                                       {"name": "year", "in": "query", "required": True, "schema": {"type": "integer"}}],
                        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {
                            "type": "object", "properties": {"filings": {"type": "array", "items": {
                                "$ref": "#/components/schemas/Filing"}}}}}}},
                            "401": {"description": "error", "content": {"application/json": {
                                "schema": {"$ref": "#/components/schemas/Error"}}}}}}},
            "/filings/{id}": {"get": {"summary": "A filing, its report and receipt", "parameters": [filing_id],
                                      "responses": _responses("200", "Filing", 401, 404)}},
            "/filings/{id}/submit": {"post": {
                "summary": "Submit a validated version (201), or get its receipt again (200)", "parameters": [filing_id],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["declaration"],
                    "properties": {"declaration": {"const": True, "description": "the filer's declaration"}}}}}},
                "responses": {**_responses("201", "Receipt", 400, 401, 404, 409),
                              "200": {"description": "submitted before", "content": {"application/json": {
                                  "schema": {"$ref": "#/components/schemas/Receipt"}}}}}}},
            "/filings/{id}/receipt": {"get": {"summary": "The receipt of a submitted version", "parameters": [filing_id],
                                              "responses": _responses("200", "Receipt", 401, 404)}},
            "/filings/{id}/exports/{format}": {"get": {
                "summary": "The submitted version as xBRL-JSON, or xBRL-CSV in a zip (404 EXPORT-NOT-READY before "
                           "its delivery to OCW)",
                "parameters": [filing_id, {"name": "format", "in": "path", "required": True,
                                           "schema": {"enum": ["xbrl-json", "xbrl-csv"]}}],
                "responses": {"200": {"description": "the file", "content": {
                    "application/json": {}, "application/zip": {}}},
                    **{k: v for k, v in _responses("200", "Receipt", 401, 404).items() if k != "200"}}}},
        },
    }
