"""One worker process of the many-workers test: module-level creates on one token, as an App Connect server process
makes them, one request at a time. Prints "ready" once imported, waits for a line on stdin, then works and prints a
JSON summary. Usage: worker.py BASE_URL REDIS_URL|- COUNT NAME"""

from __future__ import annotations

import json
import sys
import time

import clio_appointments
from clio_appointments import ClioError


def main() -> None:
    base_url, redis_url, count, name = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    shared_state = False if redis_url == "-" else redis_url
    clio_appointments.create_appointment  # noqa: B018  (loads the functions, httpx and the generated client now)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    created, errors = 0, []
    for n in range(count):
        try:
            result = clio_appointments.create_appointment(
                user=None,
                auth_header="Bearer emulator-token",
                payload={"title": f"{name} {n}", "startTimeUtc": "2024-03-15T14:00:00Z", "durationMinutes": 30},
                base_url=base_url,
                shared_state=shared_state,
            )
        except ClioError as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        if "appointmentId" in result:
            created += 1
        else:
            errors.append(repr(result))
    print(json.dumps({"created": created, "errors": errors, "seconds": time.monotonic() - started}), flush=True)


if __name__ == "__main__":
    main()
