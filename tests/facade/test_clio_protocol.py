"""What every request tells Clio (X-API-VERSION) and how lists follow Clio's paging, in both of its modes."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from clio_appointments import CLIO_API_VERSION, ClioCalendar, ConfigurationError

from .conftest import AUTH, ENTRIES, FakeClio, Runner

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "clio-v4-calendar.yaml"


def test_the_pinned_version_is_the_one_the_spec_names() -> None:
    version = yaml.safe_load(SPEC.read_text())["info"]["version"]
    assert version.split("-ca.")[0] == CLIO_API_VERSION


def test_every_request_pins_the_clio_version(calendar: Runner, clio: FakeClio) -> None:
    created = calendar.create_appointment({"title": "A", "startTimeUtc": "2024-03-15T14:00:00Z"})
    calendar.update_appointment(created["appointmentId"], {"title": "B"})
    calendar.list_appointments(None)
    calendar.cancel_appointment(created["appointmentId"])
    assert len(clio.requests) >= 6
    assert {r.headers.get("x-api-version") for r in clio.requests} == {CLIO_API_VERSION}


def test_another_version_can_be_pinned(clio: FakeClio) -> None:
    with ClioCalendar(AUTH, transport=clio.transport, api_version="4.0.10") as calendar:
        calendar.refresh_appointment(clio.add_entry()["id"])
    assert clio.requests[0].headers["x-api-version"] == "4.0.10"


@pytest.mark.parametrize("bad", ["", "4", "v4.0.9", "4.0.9\r\nX-Evil: 1", 409])
def test_a_bad_version_is_refused_before_anything_is_sent(bad: object) -> None:
    with pytest.raises(ConfigurationError, match="api_version"):
        ClioCalendar(AUTH, api_version=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("order", [True, False], ids=["cursor", "offset"])
def test_lists_follow_either_paging_mode_to_the_end(
    calendar: Runner, clio: FakeClio, monkeypatch: pytest.MonkeyPatch, order: bool
) -> None:
    clio.page_size = 200
    ids = [clio.add_entry()["id"] for _ in range(450)]
    if not order:
        # A Clio that ignores `order` (or an older version): it pages by offset, and the SDK follows that too.
        original = clio._list_entries

        def without_order(request: httpx.Request) -> httpx.Response:
            params = [(k, v) for k, v in request.url.params.multi_items() if k != "order"]
            return original(httpx.Request(request.method, request.url.copy_with(params=params)))

        monkeypatch.setattr(clio, "_list_entries", without_order)
    result = calendar.list_appointments(None)
    assert [a["id"] for a in result["appointments"]] == ids
    pages = clio.calls("GET", ENTRIES)
    assert len(pages) == 3
    assert all(r.url.params["order"] == "id(asc)" for r in pages)
    following = "page_token" if order else "offset"
    assert [r.url.params.get(following) for r in pages] == [None, "200", "400"]


def test_a_next_link_to_another_host_only_lends_its_position(calendar: Runner, clio: FakeClio) -> None:
    clio.add_entry()
    link = "https://evil.example/api/v4/calendar_entries.json?page_token=0&limit=1"
    clio.fail("GET", ENTRIES, httpx.Response(200, json={"data": [], "meta": {"paging": {"next": link}}}))
    calendar.list_appointments(None)
    second = clio.calls("GET", ENTRIES)[1]
    assert second.url.host != "evil.example"
    assert second.url.params["page_token"] == "0"
    assert second.url.params["limit"] == "200"
