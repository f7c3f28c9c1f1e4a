"""Property tests of the facade against the emulator, with values drawn from the spec's own request schemas.

The strategies are schemathesis's for createCalendarEntry and updateCalendarEntry (built from the spec's
CalendarEntryCreateRequest and CalendarEntryUpdateRequest, not hand-copied shapes): their summaries, descriptions
and RFC 3339 date-times become App Connect payloads. For each payload the facade must either refuse it without
a request (when the oracle below says it cannot be sent) or send a body the spec's request schema accepts, which
the emulator stores, and reading the entry back must give exactly what the payload asked for.

The oracle is written from DESIGN.md's semantics table, independently of clio_appointments' code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from schemathesis import GenerationMode

from clio_appointments import ClioCalendar
from clio_calendar_api import Client
from clio_calendar_api.api.calendar_entries import get_calendar_entry
from clio_conformance import load_schema, spec_path
from clio_emulator import SEED, Emulator, create_app

from .conftest import AUTH

SCHEMA = load_schema()
CREATE = SCHEMA["/api/v4/calendar_entries.json"]["POST"]
UPDATE = SCHEMA["/api/v4/calendar_entries/{id}.json"]["PATCH"]
CONTACT_IDS = tuple(contact.id for contact in SEED.contacts)
READ_FIELDS = "id,summary,description,start_at,end_at,attendees{id,type}"
PROPERTY_SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))

# ---- the spec's request schemas, to validate what the facade sends --------------------------------------------

_SPEC = yaml.safe_load(spec_path().read_text(encoding="utf-8"))
_REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:spec", Resource.from_contents(_SPEC, default_specification=DRAFT202012)
)
_FORMATS = FormatChecker(formats=())
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})?\Z", re.ASCII)


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    return not isinstance(value, str) or (_RFC3339.match(value) is not None and value[-1] in "Zz0123456789")


def request_errors(component: str, body: object) -> list[str]:
    validator = Draft202012Validator(
        {"$ref": f"urn:spec#/components/schemas/{component}"}, registry=_REGISTRY, format_checker=_FORMATS
    )
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(body)]


# ---- the oracle ----------------------------------------------------------------------------------------------------


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def expected_start(text: str) -> datetime | None:
    """An RFC 3339 date-time (no zone: UTC) as UTC, cut to the millisecond; None when it is not a real instant."""
    match = _RFC3339.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    millis = int(((fraction or ".")[1:] + "000")[:3])
    offset = timedelta(0)
    if zone and zone not in "Zz":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            return None
        offset = timedelta(hours=hours, minutes=minutes) * (1 if zone[0] == "+" else -1)
    try:
        local = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), millis * 1000)
        return local.replace(tzinfo=timezone(offset)).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def duration_ms(value: object) -> int:
    """Minutes as whole milliseconds, cut, in integer arithmetic; a float as the JSON number that spells it (which may
    carry an exponent: 1e-05)."""
    if value is None:
        return 0
    text = json.dumps(value) if isinstance(value, float) else str(value).strip()
    mantissa, _, exponent = text.lower().partition("e")
    whole, _, fraction = mantissa.partition(".")
    scale = int(exponent or 0) - len(fraction)
    ms = int(whole + fraction) * 60_000
    return ms * 10**scale if scale >= 0 else ms // 10**-scale


def sendable(text: object) -> bool:
    if not isinstance(text, str):
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# ---- strategies from the spec --------------------------------------------------------------------------------------


def create_data() -> st.SearchStrategy[dict[str, Any]]:
    """A `data` object the spec's CalendarEntryCreateRequest allows."""
    return CREATE.as_strategy(generation_mode=GenerationMode.POSITIVE).map(lambda case: case.body["data"])


def update_data() -> st.SearchStrategy[dict[str, Any]]:
    return UPDATE.as_strategy(generation_mode=GenerationMode.POSITIVE).map(lambda case: case.body["data"])


DURATIONS = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=525_600),
    st.floats(min_value=0, max_value=525_600, allow_nan=False),
    st.decimals(min_value=0, max_value=525_600, places=3, allow_nan=False, allow_infinity=False).map(str),
)


@st.composite
def loose_contact(draw: st.DrawFn) -> Any:
    """A seeded contact id in one of the spellings App Connect payloads carry."""
    contact_id = draw(st.sampled_from(CONTACT_IDS))
    return draw(
        st.sampled_from([contact_id, f" {contact_id} ", float(contact_id), {"id": contact_id}, {"id": str(contact_id)}])
    )


JUNK_CONTACTS = st.sampled_from(["1e3", "0x10", True, None, "", -4, 0, 2.5, "abc", [1]])


@st.composite
def app_connect_payloads(draw: st.DrawFn) -> dict[str, Any]:
    data = draw(create_data())
    payload: dict[str, Any] = {}
    title = draw(st.sampled_from(["value", "null", "absent"]))
    if title != "absent":
        payload["title"] = data["summary"] if title == "value" else None
    if draw(st.booleans()):
        payload["summary"] = data.get("description", data["summary"])
    start = data["start_at"]
    if draw(st.booleans()) and start.endswith(("Z", "z")):
        start = start[:-1]  # no zone: taken as UTC
    payload[draw(st.sampled_from(["startTimeUtc", "startTime"]))] = start
    duration = draw(DURATIONS)
    if duration is not None or draw(st.booleans()):
        payload["durationMinutes"] = duration
    if draw(st.booleans()):
        payload["contacts"] = draw(st.lists(st.one_of(loose_contact(), JUNK_CONTACTS), max_size=6))
    return payload


# ---- the emulator, recording what the facade sends -----------------------------------------------------------


class Recording(httpx.BaseTransport):
    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.sent: list[tuple[str, str, Any]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.read()) if request.content else None
        self.sent.append((request.method, request.url.path, body))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emulator: Emulator = create_app(rate_limit=None).state.emulator
    try:
        yield emulator
    finally:
        emulator.close()


@pytest.fixture(scope="module")
def recording(emulator: Emulator) -> Recording:
    return Recording(emulator.transport())


@pytest.fixture(scope="module")
def calendar(emulator: Emulator, recording: Recording) -> Iterator[ClioCalendar]:
    with ClioCalendar(AUTH, base_url=emulator.base_url, transport=recording) as calendar:
        yield calendar


@pytest.fixture(scope="module")
def reader(emulator: Emulator) -> Iterator[Client]:
    http = httpx.Client(base_url=emulator.base_url, transport=emulator.transport(), headers={"Authorization": AUTH})
    with Client(base_url=emulator.base_url).set_httpx_client(http) as client:
        yield client


def stored(reader: Client, entry_id: str) -> dict[str, Any]:
    response = get_calendar_entry.sync_detailed(client=reader, id=int(entry_id), fields=READ_FIELDS)
    assert int(response.status_code) == 200
    return json.loads(response.content)["data"]  # type: ignore[no-any-return]


def contact_ids(attendees: list[dict[str, Any]]) -> list[int]:
    return sorted(a["id"] for a in attendees if a["type"] == "Contact")


# ---- properties ----------------------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(payload=app_connect_payloads())
def test_any_payload_from_the_spec_is_stored_as_it_was_meant(
    payload: dict[str, Any], calendar: ClioCalendar, recording: Recording, reader: Client
) -> None:
    title = payload.get("title")
    summary = payload.get("summary")
    start_text = payload.get("startTimeUtc", payload.get("startTime"))
    start = expected_start(start_text)
    end: datetime | None = None
    if start is not None:
        try:
            end = start + timedelta(milliseconds=duration_ms(payload.get("durationMinutes")))
        except OverflowError:
            end = None
    before = len(recording.sent)
    result = calendar.create_appointment(payload)

    if not (sendable(title) or title is None) or not (sendable(summary) or summary is None) or end is None:
        # Nothing the oracle can send: a warning, and not one request.
        event("refused")
        assert result.get("successful") is False, result
        assert len(recording.sent) == before
        return

    event("created")
    assert "appointmentId" in result, result
    posts = [body for method, _, body in recording.sent[before:] if method == "POST"]
    assert len(posts) == 1
    assert request_errors("CalendarEntryCreateRequest", posts[0]) == []

    assert start is not None
    wanted_summary = title if title is not None else summary if summary is not None else "Appointment"
    wanted_description = summary if summary is not None else ""
    wanted_contacts = sorted({i for i in map(seeded_id, payload.get("contacts") or []) if i is not None})
    entry = stored(reader, result["appointmentId"])
    assert entry["summary"] == wanted_summary
    assert (entry["description"] or "") == wanted_description
    assert entry["start_at"] == utc(start)
    assert entry["end_at"] == utc(end)
    assert contact_ids(entry["attendees"]) == wanted_contacts
    appointment = result["appointment"]
    assert appointment["title"] == wanted_summary
    assert appointment["startTimeUtc"] == utc(start)
    assert sorted(a["id"] for a in appointment["attendees"]) == wanted_contacts


def seeded_id(contact: object) -> int | None:
    """The seeded contact a loose App Connect contact names, or None for junk."""
    value = contact.get("id") if isinstance(contact, dict) else contact
    number: int | None = None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value.strip())
    return number if number in CONTACT_IDS else None


@PROPERTY_SETTINGS
@given(data=update_data(), duration=DURATIONS)
def test_any_change_from_the_spec_is_stored_as_it_was_meant(
    data: dict[str, Any], duration: Any, calendar: ClioCalendar, recording: Recording, reader: Client
) -> None:
    created = calendar.create_appointment(
        {"title": "Before", "summary": "Unchanged", "startTimeUtc": "2030-05-01T10:00:00Z", "durationMinutes": 30}
    )
    assert "appointmentId" in created, created
    entry_id = created["appointmentId"]
    patch: dict[str, Any] = {}
    if "summary" in data:
        patch["title"] = data["summary"]
    if "description" in data:
        patch["summary"] = data["description"]
    if "start_at" in data:
        patch["startTimeUtc"] = data["start_at"]
    if duration is not None:
        patch["durationMinutes"] = duration

    old_start = datetime(2030, 5, 1, 10, tzinfo=UTC)
    start = expected_start(patch["startTimeUtc"]) if "startTimeUtc" in patch else old_start
    length = timedelta(milliseconds=duration_ms(duration)) if duration is not None else timedelta(minutes=30)
    try:
        end = start + length if start is not None else None
    except OverflowError:
        end = None

    before = len(recording.sent)
    result = calendar.update_appointment(entry_id, patch)
    texts_ok = all(sendable(patch[k]) for k in ("title", "summary") if k in patch)
    if not texts_ok or end is None:
        event("refused")
        assert result.get("successful") is False, result
        assert [m for m, _, _ in recording.sent[before:] if m == "PATCH"] == []
        return

    event("changed" if patch else "nothing to change")
    assert "appointment" in result, result
    patches = [body for method, _, body in recording.sent[before:] if method == "PATCH"]
    if patch:
        assert len(patches) == 1
        assert request_errors("CalendarEntryUpdateRequest", patches[0]) == []
    entry = stored(reader, entry_id)
    assert entry["summary"] == patch.get("title", "Before")
    assert entry["description"] == patch.get("summary", "Unchanged")
    assert start is not None
    assert entry["start_at"] == utc(start)
    assert entry["end_at"] == utc(end)
