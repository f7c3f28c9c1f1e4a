"""The hand-kept spec is valid OpenAPI 3.1 and says what the rest of the project relies on."""

from __future__ import annotations

from typing import Any

from openapi_spec_validator import validate

EXPECTED_OPERATIONS = {
    ("get", "/api/v4/users/who_am_i.json"): "getWhoAmI",
    ("get", "/api/v4/calendars.json"): "listCalendars",
    ("get", "/api/v4/calendars/{id}.json"): "getCalendar",
    ("get", "/api/v4/calendar_entries.json"): "listCalendarEntries",
    ("post", "/api/v4/calendar_entries.json"): "createCalendarEntry",
    ("get", "/api/v4/calendar_entries/{id}.json"): "getCalendarEntry",
    ("patch", "/api/v4/calendar_entries/{id}.json"): "updateCalendarEntry",
    ("delete", "/api/v4/calendar_entries/{id}.json"): "deleteCalendarEntry",
    ("get", "/api/v4/contacts/{id}.json"): "getContact",
}


def test_spec_is_valid_openapi_31(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def test_spec_has_exactly_the_subset(spec: dict[str, Any]) -> None:
    found = {
        (method, path): op["operationId"]
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in {"get", "post", "patch", "delete", "put"}
    }
    assert found == EXPECTED_OPERATIONS


def test_entry_id_is_string_in_bodies_and_integer_in_paths(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    assert schemas["CalendarEntry"]["properties"]["id"] == {"type": "string"}
    assert spec["components"]["parameters"]["RecordId"]["schema"]["type"] == "integer"
    assert schemas["AttendeeType"]["enum"] == ["Contact", "Calendar"]


def test_request_bodies_reject_unknown_properties(spec: dict[str, Any]) -> None:
    schemas = spec["components"]["schemas"]
    for name in (
        "CalendarEntryCreateRequest",
        "CalendarEntryCreate",
        "CalendarEntryUpdateRequest",
        "CalendarEntryUpdate",
        "AttendeeInput",
        "ExternalPropertyInput",
        "ExternalPropertyNew",
        "RecordRef",
        "RecordRefPartial",
    ):
        assert schemas[name]["additionalProperties"] is False, name
    assert schemas["CalendarEntryCreate"]["properties"]["external_properties"]["maxItems"] == 5


def test_every_operation_documents_auth_and_rate_limit_errors(spec: dict[str, Any]) -> None:
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert {"401", "429", "5XX"} <= set(op["responses"]), (method, path)
    too_many = spec["components"]["responses"]["TooManyRequests"]
    assert "Retry-After" in too_many["headers"]


def test_create_links_to_get_patch_delete(spec: dict[str, Any]) -> None:
    links = spec["paths"]["/api/v4/calendar_entries.json"]["post"]["responses"]["201"]["links"]
    assert {link["operationId"] for link in links.values()} == {
        "getCalendarEntry",
        "updateCalendarEntry",
        "deleteCalendarEntry",
    }
    for link in links.values():
        assert link["parameters"] == {"id": "$response.body#/data/id"}
