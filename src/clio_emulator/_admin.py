"""Admin endpoints under /__emulator__ for people running `serve`: health, and faults over HTTP. No token needed."""

from __future__ import annotations

from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from ._body import MAX_BODY_BYTES, parse_json
from ._errors import ApiError
from ._faults import Fault, Faults
from ._gateway import ADMIN_PREFIX

__all__ = ["admin_routes"]


def admin_routes(faults: Faults, stats: Callable[[], dict[str, int]]) -> list[Route]:
    async def health(request: Request) -> Response:
        return JSONResponse({"status": "ok", **stats()})

    async def fault_list(request: Request) -> Response:
        if request.method == "DELETE":
            faults.clear()
            return Response(status_code=204)
        if request.method == "POST":
            raw = await request.body()
            if len(raw) > MAX_BODY_BYTES:
                raise ApiError(413, f"The request body is larger than {MAX_BODY_BYTES} bytes.")
            data = parse_json(raw)
            if not isinstance(data, dict):
                raise ApiError(422, 'A fault is a JSON object, e.g. {"path": "*", "status": 503}.')
            try:
                fault = Fault.from_mapping(data)
            except (TypeError, ValueError) as exc:
                raise ApiError(422, str(exc)) from None
            faults.add(**fault.as_dict())
            return JSONResponse({"data": fault.as_dict()}, status_code=201)
        return JSONResponse({"data": [fault.as_dict() for fault in faults.active()]})

    return [
        Route(f"{ADMIN_PREFIX}/health", health, methods=["GET"]),
        Route(f"{ADMIN_PREFIX}/faults", fault_list, methods=["GET", "POST", "DELETE"]),
    ]
