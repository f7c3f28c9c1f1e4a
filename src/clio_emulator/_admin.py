"""Admin endpoints under /__emulator__ for people running `serve`: health, faults, late writes and latency over
HTTP. No token needed."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._body import MAX_BODY_BYTES, parse_json
from ._errors import ApiError
from ._faults import MAX_DELAY, Fault
from ._gateway import ADMIN_PREFIX

if TYPE_CHECKING:
    from ._app import Emulator

__all__ = ["admin_routes"]


async def _json_object(request: Request, example: str, *, optional: bool = False) -> dict[str, Any]:
    raw = await request.body()
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
    if optional and not raw.strip():
        return {}
    data = parse_json(raw)
    if not isinstance(data, dict):
        raise ApiError(422, f"The body is a JSON object, e.g. {example}.")
    return data


def _only(data: Mapping[str, Any], *allowed: str) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApiError(422, f"Unknown field(s) {', '.join(unknown)}; expected {', '.join(allowed)}.")


def _count(data: Mapping[str, Any]) -> int | None:
    n = data.get("n")
    if n is not None and (not isinstance(n, int) or isinstance(n, bool) or n < 0):
        raise ApiError(422, "n must be a whole number >= 0, or null for all.")
    return n


def admin_routes(emulator: Emulator, stats: Callable[[], dict[str, Any]]) -> list[Route]:
    faults = emulator.faults

    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", **stats()})

    async def fault_list(request: Request) -> Response:
        if request.method == "DELETE":
            faults.clear()
            return Response(status_code=204)
        if request.method == "POST":
            data = await _json_object(request, '{"path": "*", "status": 503}')
            try:
                fault = faults.add_fault(Fault.from_mapping(data))
            except (TypeError, ValueError) as exc:
                raise ApiError(422, str(exc)) from None
            return JSONResponse({"data": fault.as_dict()}, status_code=201)
        return JSONResponse({"data": [fault.as_dict() for fault in faults.active()]})

    async def commits(request: Request) -> Response:
        return JSONResponse({"data": faults.commit_stats()})

    async def release(request: Request) -> Response:
        data = await _json_object(request, '{"n": 1}', optional=True)
        _only(data, "n")
        # Applying blocks until the writes are done (on the emulator's own thread): keep this loop free meanwhile.
        released = await anyio.to_thread.run_sync(faults.release_commits, _count(data))
        return JSONResponse({"data": {"released": released, "late_commits": faults.commit_stats()}})

    async def discard(request: Request) -> Response:
        data = await _json_object(request, '{"n": 1}', optional=True)
        _only(data, "n")
        discarded = faults.discard_commits(_count(data))
        return JSONResponse({"data": {"discarded": discarded, "late_commits": faults.commit_stats()}})

    async def settle(request: Request) -> Response:
        data = await _json_object(request, '{"timeout": 10}', optional=True)
        _only(data, "timeout")
        timeout = data.get("timeout", 30.0)
        if not (
            isinstance(timeout, int | float)
            and not isinstance(timeout, bool)
            and math.isfinite(timeout)
            and 0 <= timeout <= MAX_DELAY
        ):
            raise ApiError(422, f"timeout must be seconds between 0 and {MAX_DELAY:g}.")
        try:
            await anyio.to_thread.run_sync(faults.settle, float(timeout))
        except TimeoutError as exc:
            raise ApiError(504, str(exc)) from None
        return JSONResponse({"data": {"late_commits": faults.commit_stats()}})

    async def latency(request: Request) -> Response:
        if request.method == "PUT":
            data = await _json_object(request, '{"latency": 0.05} or {"latency": [0.01, 0.1]}')
            _only(data, "latency")
            if "latency" not in data:
                raise ApiError(422, 'latency is required, e.g. {"latency": 0.05}.')
            try:
                emulator.set_latency(data["latency"])
            except ValueError as exc:
                raise ApiError(422, str(exc)) from None
        return JSONResponse({"data": {"latency": list(emulator.latency)}})

    return [
        Route(f"{ADMIN_PREFIX}/health", health, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/faults", fault_list, methods=["GET", "POST", "DELETE"]),
        Route(f"{ADMIN_PREFIX}/commits", commits, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/commits/release", release, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/commits/discard", discard, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/commits/settle", settle, methods=["POST"]),
        Route(f"{ADMIN_PREFIX}/latency", latency, methods=["GET", "PUT"]),
    ]
