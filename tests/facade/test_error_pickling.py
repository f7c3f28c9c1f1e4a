"""Every error survives pickle (Celery, multiprocessing) and copy: same class, same message once, same attributes."""

from __future__ import annotations

import copy
import inspect
import pickle
from collections.abc import Callable

import pytest

from clio_appointments import _errors
from clio_appointments._errors import (
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ClioConnectionError,
    ClioError,
    ClioTimeoutError,
    ConfigurationError,
    NotFoundError,
    PermissionDeniedError,
    PreconditionFailedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    ValidationError,
    error_for_status,
)

WHERE = {"method": "POST", "path": "/api/v4/calendar_entries.json"}
CLIO = {
    "error_type": "ValidationError",
    "clio_message": "Start at can't be blank",
    "headers": {"x-ratelimit-limit": "50"},
}

# One instance of each class, built the way the SDK builds it, with every attribute set to something not default.
SAMPLES: dict[type[ClioError], Callable[[], ClioError]] = {
    ClioError: lambda: ClioError("something went wrong"),
    ConfigurationError: lambda: ConfigurationError("base_url must be https"),
    ClioConnectionError: lambda: ClioConnectionError("connection refused", **WHERE, may_have_reached_clio=False),
    ClioTimeoutError: lambda: ClioTimeoutError("no answer in 10 s", **WHERE),
    UnexpectedResponseError: lambda: UnexpectedResponseError("body is not JSON", status_code=201, **WHERE),
    APIStatusError: lambda: APIStatusError(418, **CLIO, **WHERE),
    BadRequestError: lambda: BadRequestError(400, **CLIO, **WHERE),
    AuthenticationError: lambda: AuthenticationError(401, **CLIO, **WHERE),
    PermissionDeniedError: lambda: PermissionDeniedError(403, **CLIO, **WHERE),
    NotFoundError: lambda: NotFoundError(404, **CLIO, **WHERE),
    PreconditionFailedError: lambda: PreconditionFailedError(412, **CLIO, **WHERE),
    ValidationError: lambda: ValidationError(422, **CLIO, **WHERE),
    RateLimitError: lambda: RateLimitError(429, retry_after=12.5, **CLIO, **WHERE),
    ServerError: lambda: ServerError(503, **CLIO, **WHERE),
}


def test_every_error_class_has_a_sample() -> None:
    defined = {
        cls
        for _, cls in inspect.getmembers(_errors, inspect.isclass)
        if issubclass(cls, ClioError) and cls.__module__ == _errors.__name__
    }
    assert defined == set(SAMPLES)


def round_trips() -> list[Callable[[ClioError], ClioError]]:
    return [
        *(lambda e, p=protocol: pickle.loads(pickle.dumps(e, protocol=p)) for protocol in (2, pickle.HIGHEST_PROTOCOL)),
        copy.copy,
        copy.deepcopy,
    ]


@pytest.mark.parametrize("cls", list(SAMPLES), ids=lambda cls: cls.__name__)
def test_error_survives_pickle_and_copy(cls: type[ClioError]) -> None:
    error = SAMPLES[cls]()
    error.idempotency_key = "3f2b-key"
    error.add_note("while creating an appointment")
    for trip in round_trips():
        back = trip(error)
        assert type(back) is cls
        assert str(back) == str(error)
        assert back.args == error.args
        assert vars(back) == vars(error)
        assert back.idempotency_key == "3f2b-key"
        # Twice over: nothing accumulates.
        again = trip(back)
        assert (str(again), vars(again)) == (str(error), vars(error))


def test_message_is_not_doubled() -> None:
    error = error_for_status(
        404, b'{"error": {"type": "RecordNotFound", "message": "Not found"}}', {}, method="GET", path="/x.json"
    )
    back = pickle.loads(pickle.dumps(error))
    assert str(back) == "Clio answered 404 (RecordNotFound) on GET /x.json: Not found"
    assert (back.status_code, back.error_type, back.clio_message) == (404, "RecordNotFound", "Not found")


def test_rate_limit_keeps_retry_after_and_headers() -> None:
    error = error_for_status(429, b"", {"retry-after": "7", "x-ratelimit-remaining": "0"}, method="GET", path="/x")
    back = pickle.loads(pickle.dumps(error))
    assert isinstance(back, RateLimitError)
    assert back.retry_after == 7.0
    assert back.headers == {"retry-after": "7", "x-ratelimit-remaining": "0"}


def test_unpickled_errors_are_still_caught_as_their_bases() -> None:
    back = pickle.loads(pickle.dumps(SAMPLES[ConfigurationError]()))
    assert isinstance(back, ValueError) and isinstance(back, ClioError)
    timeout = pickle.loads(pickle.dumps(SAMPLES[ClioTimeoutError]()))
    assert isinstance(timeout, ClioConnectionError) and timeout.may_have_reached_clio is True
