"""Schemathesis over the published OpenAPI of a live `vaxl serve`: no 5xx, and
every answer conforms to the schema (status codes, content type, body), for
valid bodies (positive) and invalid ones (negative)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

from vaxl.server import sheet_token

HEADERS = {"Clients": ["Client ID", "Client Name", "Billing", "Rate", "Retainer Hours"],
           "Timesheet": ["Date", "Client ID", "Hours", "Rush", "Category"]}


def shape_as_workbook(body: Any) -> None:
    """Give generated tabs vaxl's names and headers, so the fuzzed cells reach the
    parser, the checks and billing instead of stopping at "no Clients tab"."""
    if not isinstance(body, dict) or not isinstance(body.get("tabs"), dict):
        return
    generated = list(body["tabs"].values())
    body["tabs"] = {}
    for name, tab in zip(HEADERS, generated, strict=False):
        tab["values"] = [HEADERS[name], *tab.get("values", [])]
        tab.pop("number_formats", None)
        body["tabs"][name] = tab
    if not body["tabs"]:
        body["tabs"]["Clients"] = {"values": [HEADERS["Clients"]]}


@pytest.mark.parametrize(("path", "method", "mode"), [
    ("/v1/{action}", "POST", GenerationMode.POSITIVE),
    ("/v1/{action}", "POST", GenerationMode.NEGATIVE),
    ("/healthz", "GET", GenerationMode.POSITIVE),  # no inputs: nothing negative to make
])
def test_api_conforms(backend: Any, path: str, method: str, mode: GenerationMode) -> None:
    schema = schemathesis.openapi.from_url(f"{backend.url}/openapi.json")
    operation = schema[path][method]
    seen: dict[int, int] = {}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def check(case: Any) -> None:
        # This spreadsheet's own token, so generated bodies get past the door.
        headers = {}
        body = case.body
        if mode is GenerationMode.POSITIVE:
            shape_as_workbook(body)
        if isinstance(body, dict) and isinstance(body.get("spreadsheet_id"), str):
            headers["Authorization"] = "Bearer " + sheet_token(backend.secret,
                                                               body["spreadsheet_id"])
        # A schema-valid body can still hold a sheet vaxl cannot use (no Clients tab):
        # that is a 422 with a message by design, so "valid data accepted" is skipped.
        response = case.call_and_validate(headers=headers, timeout=60,
                                          excluded_checks=[positive_data_acceptance])
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        assert response.status_code < 500

    check()
    assert seen, "schemathesis generated no requests"
    if path == "/v1/{action}" and mode is GenerationMode.POSITIVE:
        assert seen.get(200, 0) > 0, seen  # valid bodies reached vaxl and were answered
