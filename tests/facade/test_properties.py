"""Property tests over arbitrary JSON payloads, for ClioCalendar and AsyncClioCalendar alike.

For any payload: no unexpected exception; either App Connect's warning and no POST at all, or exactly one POST whose
body satisfies the spec's request schema, with end_at - start_at equal to the duration (cut to the millisecond) and
attendees exactly the valid contact ids, in order, without duplicates. A key createAppointment does not take, or
contacts that are not a sequence, is a warning. The expectations come from a small oracle written independently of
the implementation.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from clio_appointments._mapping import PayloadError, parse_duration_ms

from .conftest import AUTH, FakeClio, Runner, assert_valid

JSON_SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
ANY_JSON = st.recursive(
    JSON_SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=12,
)

ID_LIKE = st.one_of(
    st.integers(min_value=-5, max_value=2**64),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=0, max_value=10**20).map(str),
    st.sampled_from(["42", " 42 ", "\t7\n", "abc", "", " ", "1e3", "0x10", "４２", "-3", "007", "+5", "1.0"]),
    st.none(),
    st.booleans(),
)
CONTACT = ID_LIKE | st.fixed_dictionaries({"id": ID_LIKE}) | ANY_JSON


@st.composite
def date_times(draw: st.DrawFn) -> str:
    moment = draw(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1)))
    text = moment.strftime("%Y-%m-%dT%H:%M:%S")
    if draw(st.booleans()):
        text += "." + draw(st.text("0123456789", min_size=1, max_size=9))
    zone = draw(st.sampled_from(["Z", "z", "", "+00:00", "-05:30", "+14:00", "+23:59"]))
    return text + zone


DURATIONS = st.one_of(
    st.integers(min_value=-10, max_value=600_000),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=0, max_value=600_000, allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["45", " 45 ", "abc", "", "1e3", "0x10", "-5", "NaN", "Infinity"]),
    st.none(),
    st.booleans(),
)
TEXT = st.none() | st.text(max_size=30) | JSON_SCALARS

WITH_EXTRA_KEYS = st.dictionaries(st.text(max_size=8), ANY_JSON, max_size=3)
# Mostly well-formed payloads (so many reach Clio) ...
NEAR_VALID = st.fixed_dictionaries(
    {"startTimeUtc": date_times()},
    optional={
        "title": st.none() | st.text(max_size=20),
        "summary": st.none() | st.text(max_size=20),
        "durationMinutes": DURATIONS,
        "contacts": st.lists(CONTACT, max_size=8) | st.lists(CONTACT, max_size=8).map(tuple),
    },
)
# ... and anything at all in every field.
JUNK = st.fixed_dictionaries(
    {},
    optional={
        "title": TEXT,
        "summary": TEXT,
        "startTimeUtc": date_times() | ANY_JSON,
        "startTime": date_times() | ANY_JSON,
        "durationMinutes": DURATIONS | ANY_JSON,
        "contacts": st.lists(CONTACT, max_size=8) | ANY_JSON,
    },
)
PAYLOADS = st.one_of(
    NEAR_VALID,
    st.tuples(WITH_EXTRA_KEYS, NEAR_VALID).map(lambda pair: {**pair[0], **pair[1]}),
    st.tuples(WITH_EXTRA_KEYS, JUNK).map(lambda pair: {**pair[0], **pair[1]}),
    ANY_JSON,
)


# ---- the oracle -------------------------------------------------------------------------------------------------


def expected_id(value: Any) -> int | None:
    if type(value) is int:
        return value if 0 < value < 2**63 else None
    if type(value) is float:
        if math.isfinite(value) and value == int(value) and 1 <= value <= 2**53:
            return int(value)
        return None
    if type(value) is str:
        text = value.strip(" \t\n\r\f\v")
        if text and all("0" <= c <= "9" for c in text) and 0 < int(text) < 2**63:
            return int(text)
    return None


PAYLOAD_KEYS = {"title", "summary", "startTimeUtc", "startTime", "durationMinutes", "contacts", "idempotencyKey"}


def expected_attendees(contacts: Any) -> list[int]:
    if type(contacts) not in (list, tuple):
        return []
    found: list[int] = []
    for item in contacts:
        value = expected_id(item["id"] if type(item) is dict and "id" in item else None if type(item) is dict else item)
        if value is not None and value not in found:
            found.append(value)
    return found


MAX_MINUTES = 525_600  # one year
# What a duration is written as: digits with an optional fraction; a float as the JSON number that spells it, which
# may carry an exponent (1e-05).
_DECIMAL_TEXT = re.compile(r"([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?")


def minutes_text_to_ms(text: str) -> int | None:
    """Integer arithmetic only: the decimal is digits * 10**scale minutes; milliseconds are cut, not rounded."""
    match = _DECIMAL_TEXT.fullmatch(text)
    if match is None:
        return None
    whole, fraction, exponent = match.group(1), match.group(2) or "", int(match.group(3) or 0)
    digits, scale = int(whole + fraction), exponent - len(fraction)
    numerator, denominator = (digits * 10**scale, 1) if scale >= 0 else (digits, 10**-scale)
    if numerator > MAX_MINUTES * denominator:
        return None
    return numerator * 60_000 // denominator


def expected_duration_ms(value: Any) -> int | None:
    if value is None:
        return 0
    if type(value) is int:
        return value * 60_000 if 0 <= value <= MAX_MINUTES else None
    if type(value) is float:
        if not math.isfinite(value) or value < 0:
            return None
        if value == 0:
            return 0  # -0.0 too
        # A float stands for the JSON number App Connect sent: the shortest text that reads back as it.
        return minutes_text_to_ms(json.dumps(value))
    if type(value) is str:
        text = value.strip(" \t\n\r\f\v")
        if not text or not all("0" <= c <= "9" or c == "." for c in text):
            return None  # no signs, exponents or hex in text
        return minutes_text_to_ms(text)
    return None


@pytest.mark.parametrize(
    ("minutes", "ms"),
    [
        (0, 0),
        (45, 2_700_000),
        ("45", 2_700_000),
        (" 45 ", 2_700_000),
        ("00012.50", 750_000),
        (0.3, 18_000),  # not 17_999: 0.3 as written, not its binary neighbour
        (0.1 + 0.2, 18_000),  # 0.30000000000000004 minutes is 18000.0000000000024 ms, cut
        (1.005, 60_300),
        ("0.0001", 6),
        (1e-05, 0),  # 0.6 ms, cut
        (2.5e-3, 150),
        (525_600, 31_536_000_000),
        ("525600.000", 31_536_000_000),
        (525_600.0, 31_536_000_000),
        ("525600.0001", None),
        (525_601, None),
        (-1, None),
        (-0.0, 0),
        ("1e3", None),
        ("1.", None),
        (".5", None),
        ("1.2.3", None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_duration_on_known_examples(minutes: Any, ms: int | None) -> None:
    """The oracle on durations worked out by hand; the SDK must say the same."""
    assert expected_duration_ms(minutes) == ms
    if ms is None:
        with pytest.raises(PayloadError):
            parse_duration_ms(minutes)
    else:
        assert parse_duration_ms(minutes) == ms
        # Cut, not rounded: at most one millisecond short of the exact duration, never over it.
        assert 0 <= Fraction(minutes_text(minutes)) * 60_000 - ms < 1


def minutes_text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else json.dumps(value)


def expected_start(payload: dict[str, Any]) -> datetime | None:
    value = payload.get("startTimeUtc")
    if value is None:
        value = payload.get("startTime")
    if type(value) is not str or not value.isascii() or len(value) < 19 or value[10] not in "Tt":
        return None
    head, rest = value[:19], value[19:]
    fraction = ""
    if rest.startswith("."):
        digits = len(rest) - len(rest[1:].lstrip("0123456789"))
        fraction, rest = rest[1:digits], rest[digits:]
        if not fraction:
            return None
    if rest in ("Z", "z", ""):
        rest = "+00:00"
    if len(rest) != 6 or rest[0] not in "+-" or rest[3] != ":" or not (rest[1:3] + rest[4:]).isdigit():
        return None
    if int(rest[1:3]) > 23 or int(rest[4:]) > 59 or not all(c.isdigit() for c in head[:4] + head[5:7] + head[8:10]):
        return None
    try:
        moment = datetime.fromisoformat(f"{head[:10]}T{head[11:]}.{(fraction + '000')[:3]}{rest}")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def expected_text(value: Any) -> bool:
    if value is None:
        return True
    if type(value) is not str:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def expected_success(payload: Any) -> bool:
    if type(payload) is not dict or not set(payload) <= PAYLOAD_KEYS:
        return False
    if payload.get("contacts") is not None and type(payload["contacts"]) not in (list, tuple):
        return False
    start = expected_start(payload)
    duration = expected_duration_ms(payload.get("durationMinutes"))
    if start is None or duration is None or not expected_text(payload.get("title")):
        return False
    if not expected_text(payload.get("summary")):
        return False
    return start + timedelta(milliseconds=duration) < datetime(9999, 12, 31, 23, 59, 59, 999_999, UTC)


def _instant(text: str) -> datetime:
    assert text.endswith("Z") and len(text) == 24, text
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


# ---- the property -------------------------------------------------------------------------------------------------


def check(run: Callable[[Any], Any], clio: FakeClio, payload: Any) -> None:
    clio.requests.clear()
    result = run(payload)
    event("created" if "successful" not in result else "refused")
    posts = clio.bodies("POST")
    assert ("successful" not in result) == expected_success(payload), result
    if "successful" in result:
        assert result["successful"] is False
        assert result["returnMessage"]["messageType"] == "warning"
        assert result["returnMessage"]["message"].startswith("Invalid appointment: ")
        assert clio.requests == []  # validation happens before any request, the calendar lookup included
        return
    (body,) = posts
    assert_valid("CalendarEntryCreateRequest", body)
    data = body["data"]
    duration = expected_duration_ms(payload.get("durationMinutes"))
    assert duration is not None
    assert _instant(data["start_at"]) == expected_start(payload).replace(  # type: ignore[union-attr]
        microsecond=expected_start(payload).microsecond // 1000 * 1000  # type: ignore[union-attr]
    )
    assert _instant(data["end_at"]) - _instant(data["start_at"]) == timedelta(milliseconds=duration)
    assert [a["id"] for a in data.get("attendees", [])] == expected_attendees(payload.get("contacts"))
    assert ("attendees" in data) == bool(expected_attendees(payload.get("contacts")))
    assert data["send_email_notification"] is False
    title, summary = payload.get("title"), payload.get("summary")
    assert data["summary"] == (title if title is not None else summary if summary is not None else "Appointment")
    assert data["description"] == (summary if summary is not None else "")
    assert result["appointmentId"] == result["appointment"]["id"]
    assert [a["id"] for a in result["appointment"]["attendees"]] == expected_attendees(payload.get("contacts"))
    json.dumps(result)  # plain JSON, ready for App Connect


@pytest.fixture
def quiet_clio() -> FakeClio:
    clio = FakeClio()
    # Every valid id is a known contact, so the fake never refuses an attendee.
    clio._attendee = lambda ref: {"id": ref["id"], "type": ref["type"], "name": f"n{ref['id']}"}  # type: ignore[method-assign]
    return clio


def test_any_payload(make_calendar: Callable[..., Runner], quiet_clio: FakeClio) -> None:
    """Runs for the sync and the async client (`mode`), one client for all examples."""
    calendar = make_calendar(quiet_clio.transport)

    @settings(max_examples=300, deadline=None)
    @given(payload=PAYLOADS)
    def holds(payload: Any) -> None:
        check(calendar.create_appointment, quiet_clio, payload)

    holds()


def test_module_functions_on_any_payload(mode: str, quiet_clio: FakeClio) -> None:
    """The App Connect-style functions keep the same promises."""
    import asyncio

    from clio_appointments import acreate_appointment, create_appointment

    def run(payload: Any) -> Any:
        options: dict[str, Any] = {"user": {"hostname": "app.clio.com"}, "auth_header": AUTH, "payload": payload}
        if mode == "sync":
            return create_appointment(**options, transport=quiet_clio.transport)
        return asyncio.run(acreate_appointment(**options, transport=quiet_clio.transport))

    @settings(max_examples=60, deadline=None)
    @given(payload=PAYLOADS)
    def holds(payload: Any) -> None:
        check(run, quiet_clio, payload)

    holds()
