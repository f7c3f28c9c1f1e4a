"""The generated client agrees with the spec: examples round-trip, every operation sends what Clio expects and
parses what Clio answers, sync and async."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import clio_calendar_api.models as models
from clio_calendar_api import AuthenticatedClient, Client
from clio_calendar_api.api.calendar_entries import (
    create_calendar_entry,
    delete_calendar_entry,
    get_calendar_entry,
    list_calendar_entries,
    update_calendar_entry,
)
from clio_calendar_api.api.calendars import get_calendar, list_calendars
from clio_calendar_api.api.contacts import get_contact
from clio_calendar_api.api.users import get_who_am_i

TOKEN = "test-token-not-secret"
BASE = "https://app.clio.com"


def schema_examples(spec: dict[str, Any]) -> list[tuple[str, Any]]:
    return [
        (name, example)
        for name, schema in spec["components"]["schemas"].items()
        for example in schema.get("examples", [])
    ]


def test_main_schemas_have_examples(spec: dict[str, Any]) -> None:
    with_examples = {name for name, _ in schema_examples(spec)}
    assert {"CalendarEntry", "CalendarEntryCreate", "CalendarEntryUpdate", "Calendar", "User", "Contact", "Error"} <= (
        with_examples
    )


def test_every_schema_example_round_trips_through_its_model(spec: dict[str, Any]) -> None:
    checked = 0
    for name, example in schema_examples(spec):
        model = getattr(models, name)
        assert model.from_dict(example).to_dict() == example, name
        checked += 1
    assert checked >= 7


# One canned answer per operation: the status Clio returns, a body taken from the spec's examples.
ENTRY = {"id": "12345", "etag": '"abc"', "summary": "Intake call", "start_at": "2024-03-15T14:00:00.000Z"}
CALENDAR = {"id": 1001, "name": "Ada Lovelace", "permission": "owner", "type": "UserCalendar"}
CREATE_BODY = models.CalendarEntryCreateRequest.from_dict(
    {
        "data": {
            "summary": "Intake call",
            "start_at": "2024-03-15T14:00:00.000Z",
            "end_at": "2024-03-15T15:00:00.000Z",
            "calendar_owner": {"id": 1001},
            "attendees": [{"id": 67890, "type": "Contact"}],
            "send_email_notification": False,
        }
    }
)
UPDATE_BODY = models.CalendarEntryUpdateRequest.from_dict({"data": {"summary": "Moved"}})

# (module, positional args, keyword args, expected method, expected path, status, response body, parsed type)
OPERATIONS: list[tuple[Any, tuple[Any, ...], dict[str, Any], str, str, int, Any, type | None]] = [
    (
        get_who_am_i,
        (),
        {},
        "GET",
        "/api/v4/users/who_am_i.json",
        200,
        {"data": {"id": 1, "name": "Ada"}},
        models.UserShow,
    ),
    (
        list_calendars,
        (),
        {"writeable": True, "order": "id(desc)", "limit": 1},
        "GET",
        "/api/v4/calendars.json",
        200,
        {"data": [CALENDAR], "meta": {"paging": {}, "records": 1}},
        models.CalendarList,
    ),
    (get_calendar, (1001,), {}, "GET", "/api/v4/calendars/1001.json", 200, {"data": CALENDAR}, models.CalendarShow),
    (
        list_calendar_entries,
        (),
        {"calendar_id": 1001},
        "GET",
        "/api/v4/calendar_entries.json",
        200,
        {
            "data": [ENTRY],
            "meta": {"paging": {"next": f"{BASE}/api/v4/calendar_entries.json?page_token=x"}, "records": 2},
        },
        models.CalendarEntryList,
    ),
    (
        create_calendar_entry,
        (),
        {"body": CREATE_BODY},
        "POST",
        "/api/v4/calendar_entries.json",
        201,
        {"data": ENTRY},
        models.CalendarEntryShow,
    ),
    (
        get_calendar_entry,
        (12345,),
        {},
        "GET",
        "/api/v4/calendar_entries/12345.json",
        200,
        {"data": ENTRY},
        models.CalendarEntryShow,
    ),
    (
        update_calendar_entry,
        (12345,),
        {"body": UPDATE_BODY},
        "PATCH",
        "/api/v4/calendar_entries/12345.json",
        200,
        {"data": ENTRY},
        models.CalendarEntryShow,
    ),
    (delete_calendar_entry, (12345,), {}, "DELETE", "/api/v4/calendar_entries/12345.json", 204, None, None),
    (
        get_contact,
        (201,),
        {},
        "GET",
        "/api/v4/contacts/201.json",
        200,
        {"data": {"id": 201, "name": "Jane Smith", "type": "Person"}},
        models.ContactShow,
    ),
]


def test_operations_table_covers_every_generated_endpoint() -> None:
    covered = {op.__name__.rsplit(".", 1)[-1] for op, *_ in OPERATIONS}
    generated = set()
    for tag in ("users", "calendars", "calendar_entries", "contacts"):
        package = importlib.import_module(f"clio_calendar_api.api.{tag}")
        generated |= {path.stem for path in Path(package.__file__).parent.glob("*.py") if path.stem != "__init__"}
    assert covered == generated


def recording_handler(status: int, body: Any, seen: list[httpx.Request]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if body is None:
            return httpx.Response(status)
        return httpx.Response(status, json=body)

    return handler


def authenticated(transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=BASE, token=TOKEN, httpx_args={"transport": transport})


def check_request(request: httpx.Request, method: str, path: str) -> None:
    assert request.method == method
    assert request.url.path == path
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def check_exchange(
    response: Any,
    seen: list[httpx.Request],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    status: int,
    body: Any,
    parsed: type | None,
) -> None:
    """One request was sent as Clio expects it, and the answer was parsed into the documented model."""
    assert response.status_code == status
    [request] = seen
    check_request(request, method, path)
    if parsed is not None:
        assert isinstance(response.parsed, parsed)
        assert response.parsed.to_dict() == body
    if "body" in kwargs:
        assert json.loads(request.content) == kwargs["body"].to_dict()
        assert request.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "op, args, kwargs, method, path, status, body, parsed",
    OPERATIONS,
    ids=[o[0].__name__.rsplit(".", 1)[-1] for o in OPERATIONS],
)
def test_sync_operation(
    op: Any,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    status: int,
    body: Any,
    parsed: type | None,
) -> None:
    seen: list[httpx.Request] = []
    client = authenticated(httpx.MockTransport(recording_handler(status, body, seen)))
    response = op.sync_detailed(*args, client=client, **kwargs)
    check_exchange(response, seen, kwargs, method, path, status, body, parsed)


@pytest.mark.parametrize(
    "op, args, kwargs, method, path, status, body, parsed",
    OPERATIONS,
    ids=[o[0].__name__.rsplit(".", 1)[-1] for o in OPERATIONS],
)
async def test_async_operation(
    op: Any,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    method: str,
    path: str,
    status: int,
    body: Any,
    parsed: type | None,
) -> None:
    seen: list[httpx.Request] = []
    client = authenticated(httpx.MockTransport(recording_handler(status, body, seen)))
    response = await op.asyncio_detailed(*args, client=client, **kwargs)
    check_exchange(response, seen, kwargs, method, path, status, body, parsed)


def test_fields_and_filters_are_sent_as_clio_expects() -> None:
    seen: list[httpx.Request] = []
    client = authenticated(httpx.MockTransport(recording_handler(200, {"data": []}, seen)))
    import datetime as dt

    list_calendar_entries.sync_detailed(
        client=client,
        fields="id,summary,attendees{id,name,type}",
        from_=dt.datetime(2024, 3, 15, tzinfo=dt.UTC),
        to=dt.datetime(2024, 3, 15, 23, 59, 59, 999000, tzinfo=dt.UTC),
        external_property_name="clio_appointments.idempotency_key",
        external_property_value="k1",
        limit=200,
    )
    params = seen[0].url.params
    assert params["fields"] == "id,summary,attendees{id,name,type}"
    assert params["from"] == "2024-03-15T00:00:00.000Z"
    assert params["to"] == "2024-03-15T23:59:59.999Z"
    assert params["external_property_name"] == "clio_appointments.idempotency_key"
    assert params["limit"] == "200"
    # Unset parameters are not sent at all.
    assert "page_token" not in params and "calendar_id" not in params


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 429])
def test_error_statuses_parse_into_clio_error_body(status: int) -> None:
    error = {"error": {"type": "Example", "message": "went wrong"}}
    client = Client(
        base_url=BASE, httpx_args={"transport": httpx.MockTransport(lambda r: httpx.Response(status, json=error))}
    )
    response = create_calendar_entry.sync_detailed(client=client, body=CREATE_BODY)
    assert isinstance(response.parsed, models.Error)
    assert response.parsed.error.message == "went wrong"


def test_request_models_refuse_unknown_properties_by_construction() -> None:
    # additionalProperties: false in the spec means the request models have no catch-all field.
    assert not hasattr(
        models.CalendarEntryCreate(
            summary="s",
            start_at=None,
            end_at=None,  # type: ignore[arg-type]
            calendar_owner=models.RecordRef(id=1),
        ),
        "additional_properties",
    )
    assert hasattr(models.CalendarEntry(), "additional_properties")


def test_generated_client_repr_never_shows_the_token() -> None:
    client = AuthenticatedClient(base_url=BASE, token="s3cr3t-token-value")
    client.get_httpx_client()  # puts the Authorization header into the client's headers
    assert "s3cr3t-token-value" not in repr(client)
    assert "s3cr3t-token-value" not in repr(client.with_headers({"X-Test": "1"}))
