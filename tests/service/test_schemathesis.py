"""Property-based conformance of the whole API with its own ``/openapi.json`` (schemathesis, in process).

Every operation is called with generated valid requests, authenticated as an
admin: no response may be a server error, and every response must be a status
code, media type, header set and body that the schema documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anomaly import InvoiceAnomalyModel, TimeEntryAnomalyModel, read_context
from service.app import create_app
from service.auth import create_api_key
from service.db.migrate import upgrade_database
from service.db.session import make_engine, make_session_factory
from service.model_serving import LoadedModel, ServingModels
from service.settings import Settings
from tests.anomaly.conftest import context_dict, history_rows, invoice_context, invoice_rows

pytestmark = pytest.mark.slow


@schemathesis.check
def not_a_server_error_unless_not_ready(ctx: Any, response: Any, case: Any) -> bool | None:
    """No 5xx, except the documented 503s of a service run without trained models or an LLM server.

    This run does not train models (HANDOFF_BOOTSTRAP_MODELS=false), so /readyz says "not ready" and
    endpoints that need a model answer the ``model-unavailable`` problem; an extraction asking for the
    LLM backend answers ``backend-unavailable``. All are documented answers. Any other 5xx fails.
    """
    if response.status_code == 503:
        body = response.json()
        if case.operation.path == "/readyz" and body.get("status") == "not ready":
            return None
        if str(body.get("type", "")).endswith("/model-unavailable"):
            return None
        if str(body.get("type", "")).endswith("/backend-unavailable"):
            return None  # ?backend=llm or hybrid, and this run configures no LLM server
    return not_a_server_error(ctx, response, case)


CHECKS = [
    not_a_server_error_unless_not_ready,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass(frozen=True)
class ServiceUnderTest:
    app: FastAPI
    admin_key: str


@pytest.fixture(scope="module")
def service_under_test(tmp_path_factory: pytest.TempPathFactory) -> ServiceUnderTest:
    settings_ = Settings(
        home=tmp_path_factory.mktemp("schemathesis"), bootstrap_models=False, log_level="ERROR"
    )
    settings_.ensure_home()
    upgrade_database(settings_.resolved_database_url)
    engine = make_engine(settings_.resolved_database_url)
    with make_session_factory(engine)() as db:
        key = create_api_key(db, role="admin", name="schemathesis").key
        db.commit()
    engine.dispose()
    return ServiceUnderTest(app=create_app(settings_), admin_key=key)


@pytest.fixture(scope="module")
def api_schema(service_under_test: ServiceUnderTest) -> Iterator[Any]:
    yield schemathesis.openapi.from_asgi("/openapi.json", service_under_test.app)
    # from_asgi keeps the app's lifespan (engine, dispatcher) running for the process; end it here.
    asgi.shutdown_lifespans()


@pytest.fixture(scope="module")
def scoring_models() -> ServingModels:
    """Small anomaly models, so generated batches reach the scoring code instead of a 503."""
    time_model = TimeEntryAnomalyModel(n_estimators=20, random_state=0).fit(
        history_rows(), context=read_context(context_dict())
    )
    invoices, lines = invoice_rows()
    invoice_model = InvoiceAnomalyModel(n_estimators=20, random_state=0).fit(
        invoices, lines, context=invoice_context()
    )
    return ServingModels(
        loaded={
            "time-entries": LoadedModel("time-entries", "handoff-time-entries", "1", time_model),
            "invoices": LoadedModel("invoices", "handoff-invoices", "1", invoice_model),
        }
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, BaseExceptionGroup):
        return "; ".join(_describe(inner) for inner in exc.exceptions)
    return " ".join(str(exc).split())[:600]


def test_every_operation_conforms_to_its_schema(
    api_schema: Any, service_under_test: ServiceUnderTest, scoring_models: ServingModels
) -> None:
    # schemathesis' own pytest loader (from_fixture) does not run under this pytest, so each operation
    # gets a plain Hypothesis test over its strategy; failures are gathered so one run names them all.
    headers = {"Authorization": f"Bearer {service_under_test.admin_key}"}
    failures: dict[str, str] = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10

    for operation in operations:
        # Set before each operation: POST /v1/models/reload swaps in the (empty) store's models.
        service_under_test.app.state.serving_models = scoring_models

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        try:
            conforms()
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis' FailureGroup is a BaseExceptionGroup
            failures[operation.label] = _describe(exc)

    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())


@schemathesis.check
def a_refusal_is_a_problem(ctx: Any, response: Any, case: Any) -> bool | None:
    """Every 4xx is application/problem+json with type, title, status (the response's) and detail."""
    if not 400 <= response.status_code < 500:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    assert content_type.startswith("application/problem+json"), content_type
    body = response.json()
    assert str(body.get("type", "")).startswith("https://handoff.dev/problems/"), body
    assert body.get("title") and body.get("detail") and body.get("status") == response.status_code, body
    return None


# Not schemathesis' negative_data_rejection: it counts an unknown query parameter as invalid data,
# and the API ignores unknown query parameters (as most do), by design.
NEGATIVE_CHECKS = [not_a_server_error_unless_not_ready, a_refusal_is_a_problem]


def test_every_operation_refuses_invalid_requests_with_a_problem(
    api_schema: Any, service_under_test: ServiceUnderTest, scoring_models: ServingModels
) -> None:
    # Requests that break the schema (wrong types, missing or extra members, out-of-range values):
    # none may be a 5xx, and every refusal must be a problem with its four members.
    headers = {"Authorization": f"Bearer {service_under_test.admin_key}"}
    failures: dict[str, str] = {}
    exercised = 0
    for operation in [result.ok() for result in api_schema.get_all_operations()]:
        service_under_test.app.state.serving_models = scoring_models

        @given(case=operation.as_strategy(generation_mode=GenerationMode.NEGATIVE))
        @settings(
            max_examples=10,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def refuses(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=NEGATIVE_CHECKS)

        try:
            refuses()
        except Unsatisfiable:
            continue  # no parameter and no body (GET /healthz): nothing a request could get wrong
        except (Exception, BaseExceptionGroup) as exc:
            failures[operation.label] = _describe(exc)
        exercised += 1

    assert exercised >= 15
    assert not failures, "\n\n".join(f"{label}: {error}" for label, error in failures.items())
