"""The client and the server share one contract: every client operation is a documented server route."""

import inspect
import types
from typing import Any, get_type_hints

from fastapi import FastAPI
from pydantic import BaseModel

from api_client import API_PREFIX, Operation, ops


def _sample(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.model_construct()
    return 1 if annotation is int else "1"


def all_operations() -> list[Operation[Any]]:
    built = []
    for module in vars(ops).values():
        if not isinstance(module, types.ModuleType):
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            hints = get_type_hints(function)
            required = {
                p.name: _sample(hints[p.name])
                for p in inspect.signature(function).parameters.values()
                if p.default is inspect.Parameter.empty
            }
            built.append(function(**required))
    return built


def test_every_client_operation_is_a_server_route_with_its_parameters(app: FastAPI) -> None:
    spec = app.openapi()["paths"]
    operations = all_operations()
    assert len(operations) >= 8
    for op in operations:
        path = API_PREFIX + op.route
        assert path in spec, f"{op.method} {path} is not served"
        documented = spec[path].get(op.method.lower())
        assert documented is not None, f"{op.method} {path} is not served"
        query = {p["name"] for p in documented.get("parameters", []) if p["in"] == "query"}
        assert set(op.query) <= query, f"{op.method} {path}: unknown query parameters {set(op.query) - query}"
        sends_body = op.body is not None or op.files is not None
        assert sends_body == ("requestBody" in documented), f"{op.method} {path}: body mismatch"


def test_every_server_route_has_a_client_operation(app: FastAPI) -> None:
    spec = app.openapi()["paths"]
    served = {(method.upper(), path) for path, item in spec.items() for method in item}
    covered = {(op.method, API_PREFIX + op.route) for op in all_operations()}
    assert served - covered == set()


def test_every_route_documents_its_error_statuses(app: FastAPI) -> None:
    spec = app.openapi()["paths"]
    for path, item in spec.items():
        for method, operation in item.items():
            assert {"422", "500"} <= set(operation["responses"]), f"{method} {path}"
    for op in all_operations():
        if op.authenticated:
            statuses = spec[API_PREFIX + op.route][op.method.lower()]["responses"]
            assert "401" in statuses, f"{op.method} {op.route} needs a token but does not document 401"
