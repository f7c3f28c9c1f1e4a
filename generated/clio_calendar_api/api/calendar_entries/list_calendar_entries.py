import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.calendar_entry_list import CalendarEntryList
from ...models.error import Error
from ...models.list_calendar_entries_matter_id_type_1 import (
    ListCalendarEntriesMatterIdType1,
)
from ...models.list_calendar_entries_order import ListCalendarEntriesOrder
from ...models.list_calendar_entries_source import ListCalendarEntriesSource
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    fields: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    page_token: str | Unset = UNSET,
    offset: int | Unset = UNSET,
    order: ListCalendarEntriesOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    calendar_id: int | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    query: str | Unset = UNSET,
    is_all_day: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    matter_id: int | ListCalendarEntriesMatterIdType1 | Unset = UNSET,
    has_court_rule: bool | Unset = UNSET,
    source: ListCalendarEntriesSource | Unset = UNSET,
    external_property_name: str | Unset = UNSET,
    external_property_value: str | Unset = UNSET,
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

    params["calendar_id"] = calendar_id

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat(timespec="milliseconds").replace("+00:00", "Z")
    params["to"] = json_to

    params["query"] = query

    params["is_all_day"] = is_all_day

    params["visible"] = visible

    json_matter_id: int | str | Unset
    if isinstance(matter_id, Unset):
        json_matter_id = UNSET
    elif isinstance(matter_id, str):
        json_matter_id = matter_id
    else:
        json_matter_id = matter_id
    params["matter_id"] = json_matter_id

    params["has_court_rule"] = has_court_rule

    json_source: str | Unset = UNSET
    if not isinstance(source, Unset):
        json_source = source

    params["source"] = json_source

    params["external_property_name"] = external_property_name

    params["external_property_value"] = external_property_value

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
        "url": "/api/v4/calendar_entries.json",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CalendarEntryList | Error | None:
    if response.status_code == 200:
        response_200 = CalendarEntryList.from_dict(response.json())

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
) -> Response[CalendarEntryList | Error]:
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
    order: ListCalendarEntriesOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    calendar_id: int | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    query: str | Unset = UNSET,
    is_all_day: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    matter_id: int | ListCalendarEntriesMatterIdType1 | Unset = UNSET,
    has_court_rule: bool | Unset = UNSET,
    source: ListCalendarEntriesSource | Unset = UNSET,
    external_property_name: str | Unset = UNSET,
    external_property_value: str | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> Response[CalendarEntryList | Error]:
    """Return calendar entries on the calendars the user can see

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarEntriesOrder | Unset):
        ids (list[int] | Unset):
        calendar_id (int | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        query (str | Unset):
        is_all_day (bool | Unset):
        visible (bool | Unset):
        matter_id (int | ListCalendarEntriesMatterIdType1 | Unset):
        has_court_rule (bool | Unset):
        source (ListCalendarEntriesSource | Unset):
        external_property_name (str | Unset):
        external_property_value (str | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarEntryList | Error]
    """

    kwargs = _get_kwargs(
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        calendar_id=calendar_id,
        from_=from_,
        to=to,
        query=query,
        is_all_day=is_all_day,
        visible=visible,
        matter_id=matter_id,
        has_court_rule=has_court_rule,
        source=source,
        external_property_name=external_property_name,
        external_property_value=external_property_value,
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
    order: ListCalendarEntriesOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    calendar_id: int | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    query: str | Unset = UNSET,
    is_all_day: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    matter_id: int | ListCalendarEntriesMatterIdType1 | Unset = UNSET,
    has_court_rule: bool | Unset = UNSET,
    source: ListCalendarEntriesSource | Unset = UNSET,
    external_property_name: str | Unset = UNSET,
    external_property_value: str | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> CalendarEntryList | Error | None:
    """Return calendar entries on the calendars the user can see

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarEntriesOrder | Unset):
        ids (list[int] | Unset):
        calendar_id (int | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        query (str | Unset):
        is_all_day (bool | Unset):
        visible (bool | Unset):
        matter_id (int | ListCalendarEntriesMatterIdType1 | Unset):
        has_court_rule (bool | Unset):
        source (ListCalendarEntriesSource | Unset):
        external_property_name (str | Unset):
        external_property_value (str | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarEntryList | Error
    """

    return sync_detailed(
        client=client,
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        calendar_id=calendar_id,
        from_=from_,
        to=to,
        query=query,
        is_all_day=is_all_day,
        visible=visible,
        matter_id=matter_id,
        has_court_rule=has_court_rule,
        source=source,
        external_property_name=external_property_name,
        external_property_value=external_property_value,
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
    order: ListCalendarEntriesOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    calendar_id: int | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    query: str | Unset = UNSET,
    is_all_day: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    matter_id: int | ListCalendarEntriesMatterIdType1 | Unset = UNSET,
    has_court_rule: bool | Unset = UNSET,
    source: ListCalendarEntriesSource | Unset = UNSET,
    external_property_name: str | Unset = UNSET,
    external_property_value: str | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> Response[CalendarEntryList | Error]:
    """Return calendar entries on the calendars the user can see

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarEntriesOrder | Unset):
        ids (list[int] | Unset):
        calendar_id (int | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        query (str | Unset):
        is_all_day (bool | Unset):
        visible (bool | Unset):
        matter_id (int | ListCalendarEntriesMatterIdType1 | Unset):
        has_court_rule (bool | Unset):
        source (ListCalendarEntriesSource | Unset):
        external_property_name (str | Unset):
        external_property_value (str | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CalendarEntryList | Error]
    """

    kwargs = _get_kwargs(
        fields=fields,
        limit=limit,
        page_token=page_token,
        offset=offset,
        order=order,
        ids=ids,
        calendar_id=calendar_id,
        from_=from_,
        to=to,
        query=query,
        is_all_day=is_all_day,
        visible=visible,
        matter_id=matter_id,
        has_court_rule=has_court_rule,
        source=source,
        external_property_name=external_property_name,
        external_property_value=external_property_value,
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
    order: ListCalendarEntriesOrder | Unset = UNSET,
    ids: list[int] | Unset = UNSET,
    calendar_id: int | Unset = UNSET,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    query: str | Unset = UNSET,
    is_all_day: bool | Unset = UNSET,
    visible: bool | Unset = UNSET,
    matter_id: int | ListCalendarEntriesMatterIdType1 | Unset = UNSET,
    has_court_rule: bool | Unset = UNSET,
    source: ListCalendarEntriesSource | Unset = UNSET,
    external_property_name: str | Unset = UNSET,
    external_property_value: str | Unset = UNSET,
    created_since: datetime.datetime | Unset = UNSET,
    updated_since: datetime.datetime | Unset = UNSET,
    x_api_version: str | Unset = UNSET,
) -> CalendarEntryList | Error | None:
    """Return calendar entries on the calendars the user can see

    Args:
        fields (str | Unset):
        limit (int | Unset):
        page_token (str | Unset):
        offset (int | Unset):
        order (ListCalendarEntriesOrder | Unset):
        ids (list[int] | Unset):
        calendar_id (int | Unset):
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        query (str | Unset):
        is_all_day (bool | Unset):
        visible (bool | Unset):
        matter_id (int | ListCalendarEntriesMatterIdType1 | Unset):
        has_court_rule (bool | Unset):
        source (ListCalendarEntriesSource | Unset):
        external_property_name (str | Unset):
        external_property_value (str | Unset):
        created_since (datetime.datetime | Unset):
        updated_since (datetime.datetime | Unset):
        x_api_version (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CalendarEntryList | Error
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
            calendar_id=calendar_id,
            from_=from_,
            to=to,
            query=query,
            is_all_day=is_all_day,
            visible=visible,
            matter_id=matter_id,
            has_court_rule=has_court_rule,
            source=source,
            external_property_name=external_property_name,
            external_property_value=external_property_value,
            created_since=created_since,
            updated_since=updated_since,
            x_api_version=x_api_version,
        )
    ).parsed
