import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.calendar_list import CalendarList
from ...models.calendar_type import CalendarType
from ...models.error import Error
from ...models.list_calendars_order import ListCalendarsOrder
from ...models.list_calendars_source import ListCalendarsSource
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarsOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    owner: bool | Unset = UNSET,
    writeable: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    type_: CalendarType | Unset = UNSET,
    source: ListCalendarsSource | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_api_version, Unset):
        headers["X-API-VERSION"] = x_api_version

    params: dict[str, Any] = {}

    params["fields"] = fields

    params["limit"] = limit

    params["page_token"] = page_token

    params["offset"] = offset

    json_order: str | Unset = UNSET
    if not isinstance(order, Unset):
        json_order = order

    params["order"] = json_order

    json_ids: list[int] | Unset = UNSET
    if not isinstance(ids, Unset):
        json_ids = ids

    params["ids[]"] = json_ids

    params["owner"] = owner

    params["writeable"] = writeable

    params["visible"] = visible

    json_type_: str | Unset = UNSET
    if not isinstance(type_, Unset):
        json_type_ = type_

    params["type"] = json_type_

    json_source: str | Unset = UNSET
    if not isinstance(source, Unset):
        json_source = source

    params["source"] = json_source

    json_created_since: str | Unset = UNSET
    if not isinstance(created_since, Unset):
        json_created_since = created_since.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    params["created_since"] = json_created_since

    json_updated_since: str | Unset = UNSET
    if not isinstance(updated_since, Unset):
        json_updated_since = updated_since.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    params["updated_since"] = json_updated_since

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v4/calendars.json",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> CalendarList | Error | None:
    if response.status_code == 200:
        response_200 = CalendarList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 410:
        response_410 = Error.from_dict(response.json())

        return response_410

    if response.status_code == 422:
        response_422 = Error.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if 500 <= response.status_code <= 599:
        response_5xx = Error.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[CalendarList | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarsOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    owner: bool | Unset = UNSET,
    writeable: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    type_: CalendarType | Unset = UNSET,
    source: ListCalendarsSource | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> Response[CalendarList | Error]:
    """Return the calendars visible to the user

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarsOrder | Unset):
        ids (list[int] | Unset):
        owner (bool | Unset):
        writeable (bool | Unset):
        visible (bool | Unset):
        type_ (CalendarType | Unset):
        source (ListCalendarsSource | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarList | Error]
    """

    kwargs = _get_kwargs(
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        owner=owner,
        writeable=writeable,
        visible=visible,
        type_=type_,
        source=source,
        created_since=created_since,
        updated_since=updated_since,
        x_api_version=x_api_version,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarsOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    owner: bool | Unset = UNSET,
    writeable: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    type_: CalendarType | Unset = UNSET,
    source: ListCalendarsSource | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> CalendarList | Error | None:
    """Return the calendars visible to the user

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarsOrder | Unset):
        ids (list[int] | Unset):
        owner (bool | Unset):
        writeable (bool | Unset):
        visible (bool | Unset):
        type_ (CalendarType | Unset):
        source (ListCalendarsSource | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarList | Error
    """

    return sync_detailed(
        client=client,
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        owner=owner,
        writeable=writeable,
        visible=visible,
        type_=type_,
        source=source,
        created_since=created_since,
        updated_since=updated_since,
        x_api_version=x_api_version,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarsOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    owner: bool | Unset = UNSET,
    writeable: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    type_: CalendarType | Unset = UNSET,
    source: ListCalendarsSource | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> Response[CalendarList | Error]:
    """Return the calendars visible to the user

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarsOrder | Unset):
        ids (list[int] | Unset):
        owner (bool | Unset):
        writeable (bool | Unset):
        visible (bool | Unset):
        type_ (CalendarType | Unset):
        source (ListCalendarsSource | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarList | Error]
    """

    kwargs = _get_kwargs(
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        owner=owner,
        writeable=writeable,
        visible=visible,
        type_=type_,
        source=source,
        created_since=created_since,
        updated_since=updated_since,
        x_api_version=x_api_version,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarsOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    owner: bool | Unset = UNSET,
    writeable: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    type_: CalendarType | Unset = UNSET,
    source: ListCalendarsSource | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> CalendarList | Error | None:
    """Return the calendars visible to the user

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarsOrder | Unset):
        ids (list[int] | Unset):
        owner (bool | Unset):
        writeable (bool | Unset):
        visible (bool | Unset):
        type_ (CalendarType | Unset):
        source (ListCalendarsSource | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarList | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            fields=fields,
            limit=limit,
            page_token=page_token,
            offset=offset,
            order=order,
            ids=ids,
            owner=owner,
            writeable=writeable,
            visible=visible,
            type_=type_,
            source=source,
            created_since=created_since,
            updated_since=updated_since,
            x_api_version=x_api_version,
        )
    ).parsed
