"""Requests generated from our own OpenAPI document by schemathesis (a tool we did not write): the API
never answers 500, answers only statuses it documents, and its bodies match the documented schemas."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
import schemathesis.checks as checks
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings

from server.app import create_app
from server.config import Settings
from server.lifecycle import prepare

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.response_schema_conformance,
    checks.content_type_conformance,
    checks.negative_data_rejection,
]
# Schema-valid but refused on purpose: resident ID checksums, weak passwords and the like are checked by
# validators whose rules JSON Schema cannot state, so generated "valid" data is often rightly rejected.
EXCLUDED = [checks.positive_data_acceptance]


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    config = Settings.resolve(data_dir=tmp_path_factory.mktemp("conformance"))
    prepare(config)
    app = create_app(config)
    yield app
    app.state.engine.dispose()


def _labels() -> list[str]:
    app = create_app(Settings(database_url="sqlite:///:memory:", data_dir=Path()))
    schema = schemathesis.openapi.from_dict(app.openapi())
    app.state.engine.dispose()
    return [result.ok().label for result in schema.get_all_operations()]


@pytest.mark.parametrize("label", _labels())
def test_operation_conforms_to_the_documented_contract(seeded_app: FastAPI, label: str) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", seeded_app)
    operation = next(r.ok() for r in schema.get_all_operations() if r.ok().label == label)

    @given(case=operation.as_strategy())
    @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS, excluded_checks=EXCLUDED)

    check()
