"""A hypothesis state machine that interleaves creates, same-key retries and fault schedules (a POST failing before
or after its write, a write committing late, a failed lookup) on the emulator, then checks the create guarantee
after everything has settled and every unknown outcome was recovered with its key:

- one entry per key, and no entry whose key no create was given or told;
- every success returned for a key names the entry that survives for it (never lost, never replaced);
- every error carried its key, and "may not have reached Clio" was only said when nothing was stored.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import clio_appointments._client as client_module
from clio_appointments import ClioCalendar, ClioError
from clio_appointments._calendar_cache import SHARED_CACHE
from clio_appointments._transport import TransportPolicy
from clio_emulator import create_app

from .emulated import ENTRIES, PAYLOAD, all_keys

POST_FAULTS: list[dict[str, Any]] = [
    {"status": 503, "commit": "before"},
    {"status": 500, "commit": "after"},
    {"status": 524, "commit": "after", "body": "html"},
    {"status": 502, "commit": "late", "body": "html"},
    {"status": 504, "commit": "late"},
    {"drop": "before_commit"},
    {"drop": "after_commit"},
    {"drop": "before_commit", "commit": "late"},
    {"status": 429, "retry_after": 0},
]
LOOKUP_FAULTS: list[dict[str, Any]] = [
    {"status": 503, "times": 3},  # every attempt of one lookup
    {"status": 502, "body": "html", "times": 1},
    {"drop": "after_commit", "times": 1},
]


def _zero_backoff(max_retries: int) -> TransportPolicy:
    return TransportPolicy(max_retries=max_retries, backoff_base=0.0, sleep=lambda s: None, pacing=False)


class CreateGuarantee(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self._saved_policy = client_module._make_policy
        client_module._make_policy = _zero_backoff
        SHARED_CACHE.clear()
        self.app = create_app(rate_limit=None)
        self.emulator = self.app.state.emulator
        self.calendar = ClioCalendar(
            f"Bearer {self.emulator.token}",
            base_url=self.emulator.base_url,
            transport=self.emulator.transport(),
            max_retries=2,
        )
        self.keys: set[str] = set()  # every key a create was given or told
        self.successes: dict[str, set[str]] = {}  # key -> ids returned for it
        self.unknown: set[str] = set()  # keys whose last create raised
        self.caller_keys = 0

    def _create(self, key: str | None) -> None:
        before = {entry_id for ids in all_keys(self.emulator).values() for entry_id in ids}
        try:
            result = self.calendar.create_appointment(dict(PAYLOAD), idempotency_key=key)
        except ClioError as error:
            assert error.idempotency_key, f"an error without its key: {error!r}"
            assert key is None or error.idempotency_key == key
            if not error.may_have_reached_clio:
                # This call stored nothing (late writes land only between steps, so nothing else did either).
                after = {entry_id for ids in all_keys(self.emulator).values() for entry_id in ids}
                assert after <= before, f"said not stored, but {after - before} appeared: {error!r}"
            self.keys.add(error.idempotency_key)
            self.unknown.add(error.idempotency_key)
            return
        stored_key = self._key_of(result["appointmentId"])
        assert key is None or stored_key == key
        self.keys.add(stored_key)
        self.successes.setdefault(stored_key, set()).add(result["appointmentId"])
        self.unknown.discard(stored_key)

    def _key_of(self, entry_id: str) -> str:
        for key, ids in all_keys(self.emulator).items():
            if entry_id in ids:
                return key
        raise AssertionError(f"a returned entry {entry_id} is not stored")

    @rule(fault=st.sampled_from(POST_FAULTS))
    def fail_the_next_post(self, fault: dict[str, Any]) -> None:
        self.emulator.faults.add(method="POST", path=ENTRIES, times=1, **fault)

    @rule(fault=st.sampled_from(LOOKUP_FAULTS))
    def fail_the_next_lookup(self, fault: dict[str, Any]) -> None:
        self.emulator.faults.add(method="GET", path=ENTRIES, **fault)

    @rule()
    def create_without_a_key(self) -> None:
        self._create(None)

    @rule()
    def create_with_a_new_key(self) -> None:
        self.caller_keys += 1
        self._create(f"order-{self.caller_keys}")

    @rule(data=st.data())
    def create_again_with_a_known_key(self, data: st.DataObject) -> None:
        if self.keys:
            self._create(data.draw(st.sampled_from(sorted(self.keys))))

    @rule(n=st.integers(min_value=1, max_value=3))
    def late_writes_land(self, n: int) -> None:
        self.emulator.release_commits(n)

    @invariant()
    def no_entry_without_a_known_key(self) -> None:
        stray = set(all_keys(self.emulator)) - self.keys
        assert not stray, f"entries with keys no create was given or told: {stray}"

    def teardown(self) -> None:
        try:
            self.emulator.faults.clear()
            self.emulator.release_commits()
            self.emulator.settle(10)
            # The documented recovery: every key created again once everything landed.
            for key in sorted(self.keys):
                self._create(key)
            assert not self.unknown, f"still unknown after recovery: {self.unknown}"
            stored = all_keys(self.emulator)
            assert all(len(ids) == 1 for ids in stored.values()), f"duplicates: {stored}"
            assert set(stored) == self.keys
            for key, ids in self.successes.items():
                assert ids == set(stored[key]), f"{key}: returned {ids}, stored {stored[key]}"
        finally:
            self.calendar.close()
            self.emulator.close()
            client_module._make_policy = self._saved_policy
            SHARED_CACHE.clear()


CreateGuarantee.TestCase.settings = settings(
    max_examples=40,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestCreateGuarantee = pytest.mark.slow(CreateGuarantee.TestCase)
