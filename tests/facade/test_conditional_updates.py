"""Updates are conditional: the PATCH carries If-Match with the ETag read for it, so a retried or concurrent update
never applies a stale attendee change."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from clio_appointments import PreconditionFailedError

from .conftest import FakeClio, Runner

ENTRY = "/api/v4/calendar_entries/{}.json"


def _jane(clio: FakeClio) -> dict[str, object]:
    return clio.add_entry(attendees=[{"id": 201, "type": "Contact", "name": "Jane Smith"}])


def test_a_change_made_in_between_is_read_again_and_the_patch_worked_out_again(
    calendar: Runner, clio: FakeClio
) -> None:
    entry = _jane(clio)
    path = ENTRY.format(entry["id"])
    # Someone else adds John after our read and before our PATCH: Clio refuses ours with 412.
    clio.fail("PATCH", path, httpx.Response(412, json={"error": {"type": "PreconditionFailed", "message": "x"}}))
    entry["attendees"].append({"id": 202, "type": "Contact", "name": "John Doe"})
    result = calendar.update_appointment(entry["id"], {"contacts": [201, 42]})
    first, second = clio.bodies("PATCH")
    assert first == second  # both worked out from what was read; the second after reading again
    assert [r.method for r in clio.requests] == ["GET", "PATCH", "GET", "PATCH"]
    assert {a["id"] for a in result["appointment"]["attendees"]} == {201, 42}


def test_an_entry_that_keeps_changing_gives_up_with_the_412(calendar: Runner, clio: FakeClio) -> None:
    entry = _jane(clio)
    for _ in range(3):
        clio.fail(
            "PATCH",
            ENTRY.format(entry["id"]),
            httpx.Response(412, json={"error": {"type": "PreconditionFailed", "message": "changed"}}),
        )
    with pytest.raises(PreconditionFailedError):
        calendar.update_appointment(entry["id"], {"title": "New"})
    assert len(clio.calls("PATCH")) == 3


@pytest.mark.parametrize(
    "lost",
    [
        lambda: httpx.RemoteProtocolError("Server disconnected without sending a response."),
        lambda: httpx.ReadTimeout("no answer"),
        lambda: httpx.Response(504, text="<html>Gateway Timeout</html>"),
    ],
    ids=["dropped", "timeout", "504"],
)
def test_a_patch_whose_answer_was_lost_is_not_applied_twice(
    calendar: Runner, clio: FakeClio, lost: Callable[[], httpx.Response | Exception]
) -> None:
    """The PATCH was applied, its answer lost. The transport sends it again with the same If-Match; Clio refuses it
    (the ETag changed), the entry is read again, and as it already has the attendees asked for nothing is sent."""
    entry = _jane(clio)
    clio.fail("PATCH", ENTRY.format(entry["id"]), lost(), commit=True)
    result = calendar.update_appointment(entry["id"], {"contacts": [202]})
    assert [r.method for r in clio.requests] == ["GET", "PATCH", "PATCH", "GET"]
    assert [a["id"] for a in result["appointment"]["attendees"]] == [202]
    assert [a["id"] for a in clio.entries[int(entry["id"])]["attendees"]] == [202]


def test_every_patch_carries_the_etag_it_was_worked_out_from(calendar: Runner, clio: FakeClio) -> None:
    entry = _jane(clio)
    for patch in ({"title": "A"}, {"durationMinutes": 15}, {"contacts": [201, 202]}):
        etag = clio.entries[int(entry["id"])]["etag"]
        clio.requests.clear()
        calendar.update_appointment(entry["id"], patch)
        (sent,) = clio.calls("PATCH")
        assert sent.headers["if-match"] == etag
