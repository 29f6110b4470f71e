"""Schemathesis against the API's own OpenAPI document, over real HTTP on 127.0.0.1: generated requests to the
read endpoints never crash the server (no 5xx), and responses match the declared status codes, content types
and schemas."""

from __future__ import annotations

import socket
import threading
import time

import pytest

schemathesis = pytest.importorskip("schemathesis")
import uvicorn  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402

from dragoman.api import create_app  # noqa: E402
from dragoman.jobs.ingest import ingest  # noqa: E402
from dragoman.paths import SAMPLES_DIR  # noqa: E402
from dragoman.store import Store  # noqa: E402


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory, coder):
    path = tmp_path_factory.mktemp("schema") / "schema.duckdb"
    ingest([SAMPLES_DIR], Store(path), coder_factory=lambda: coder)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(path), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    yield schemathesis.openapi.from_url(f"http://127.0.0.1:{port}/openapi.json").include(method="GET")
    server.should_exit = True
    thread.join(timeout=5)


def test_api_conforms_to_its_openapi_document(api_schema) -> None:
    # Driven through hypothesis directly (schemathesis's pytest plugin does not load under this pytest).
    from schemathesis.checks import positive_data_acceptance

    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 12
    for operation in operations:
        # An aggregate with a zero row for every empty period of a schema-valid but vast span ("until 8192") is
        # refused with a documented 422 naming its size: a refusal by design, not a rejected valid request.
        check_operation(operation, [positive_data_acceptance] if operation.path == "/api/aggregate" else [])


def check_operation(operation, excluded: list) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case) -> None:
        response = case.call_and_validate(excluded_checks=excluded)
        if response.status_code == 422:
            assert "would have about" in response.json()["reason"], response.text

    check()
