"""网上办事 for the views: the catalogue (kept on the device for offline reading), search, visits and 我的预约."""

import datetime as dt
import json

from api_client import AsyncClient, ops
from api_client.models import (
    Appointment,
    AppointmentRequest,
    AppointmentSlot,
    Page,
    QueueTicket,
    SearchPage,
    ServiceItemFilters,
    ServiceItemGuide,
    ServiceItemSummary,
    ServiceTheme,
)
from app.device_cache import DeviceCache, Reading

PAGE_SIZE = 20


def filters_key(filters: ServiceItemFilters) -> str:
    return "service-items:" + json.dumps(filters.model_dump(mode="json", exclude_none=True), sort_keys=True)


class ServiceCatalogue:
    def __init__(self, api: AsyncClient, cache: DeviceCache) -> None:
        self._api = api
        self._cache = cache

    async def items(self, filters: ServiceItemFilters, cursor: str | None = None) -> Reading[Page[ServiceItemSummary]]:
        """The first page of each filter set is kept for offline reading; later pages need the network."""
        op = ops.service_items.list_service_items(filters, cursor=cursor, limit=PAGE_SIZE)
        if cursor is not None:
            return Reading(await self._api.send(op))
        return await self._cache.read(self._api, filters_key(filters), op, Page[ServiceItemSummary])

    async def guide(self, code: str) -> Reading[ServiceItemGuide]:
        return await self._cache.read(
            self._api, f"service-item:{code}", ops.service_items.get_service_item(code), ServiceItemGuide
        )

    async def themes(self) -> list[ServiceTheme]:
        reading = await self._cache.read(
            self._api, "service-themes", ops.service_items.list_service_themes(), Page[ServiceTheme]
        )
        return list(reading.value.items)

    async def search(self, query: str, cursor: str | None = None) -> Reading[SearchPage]:
        op = ops.search.search(query, scope="services", cursor=cursor, limit=PAGE_SIZE)
        if cursor is not None:
            return Reading(await self._api.send(op))
        return await self._cache.read(self._api, "service-search:" + query, op, SearchPage)

    async def slots(self, code: str) -> list[AppointmentSlot]:
        return list((await self._api.send(ops.appointments.list_slots(code))).items)

    async def book(self, code: str, date: dt.date, start: str) -> Appointment:
        return await self._api.send(ops.appointments.book(AppointmentRequest(item_code=code, date=date, start=start)))

    async def take_ticket(self, code: str) -> QueueTicket:
        return await self._api.send(ops.appointments.take_ticket(code))

    async def my_appointments(self, cursor: str | None = None) -> Page[Appointment]:
        """Personal and changing: always from the server, never the device cache."""
        return await self._api.send(ops.appointments.list_appointments(cursor=cursor, limit=PAGE_SIZE))

    async def cancel_appointment(self, appointment_id: int) -> Appointment:
        return await self._api.send(ops.appointments.cancel_appointment(appointment_id))

    async def my_tickets(self) -> list[QueueTicket]:
        return list((await self._api.send(ops.appointments.list_tickets())).items)
