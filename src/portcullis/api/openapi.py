"""The OpenAPI document: every operation documents its problem responses as problem+json."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from portcullis.api.problems import PROBLEM_MEDIA_TYPE, Problem

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_PROBLEM_CONTENT = {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_REF}}
_METHODS = ("get", "put", "post", "delete", "patch")


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """Return (and cache on the app) the OpenAPI document with problem responses filled in."""
    if app.openapi_schema is not None:
        return app.openapi_schema
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema()
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for path_item in document.get("paths", {}).values():
        for method in _METHODS:
            if method in path_item:
                _document_problems(path_item[method])
    app.openapi_schema = document
    return document


def _document_problems(operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    for status, response in list(responses.items()):
        if status[0] in "45":
            response["content"] = dict(_PROBLEM_CONTENT)
    responses.setdefault(
        "4XX",
        {
            "description": "The request was refused (RFC 9457 problem)",
            "content": dict(_PROBLEM_CONTENT),
        },
    )
