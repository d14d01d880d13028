"""Schemathesis against /openapi.json: generated requests to every route get no server error, and every
response matches the documented schema (status codes, content types, headers, bodies).

One check is left out: "schema-valid data is accepted". A cursor is opaque (any base64url string is
schema-valid, few decode to a cursor), so a well-formed but forged cursor is rightly a 400; the rejection
of bad parameters is tested in test_api.py.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from newsevents.serve import create_app
from tests.serve.test_api import _seed

ROUTES = sorted(create_app(":memory:").openapi()["paths"])


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory) -> Any:
    db = Path(tmp_path_factory.mktemp("schema")) / "store.db"
    _seed(str(db))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return schemathesis.openapi.from_asgi("/openapi.json", create_app(str(db)))


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_conforms_to_its_schema(api_schema: Any, path: str) -> None:
    operation = api_schema[path]["GET"]

    @given(case=operation.as_strategy())
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    check()
