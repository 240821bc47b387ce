"""Visiting the service centre: slots, appointments, queue numbers, and the officers' call-next."""

import datetime as dt

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import (
    Appointment,
    AppointmentRequest,
    AppointmentSlot,
    Page,
    QueueStatus,
    QueueTicket,
    QueueTicketRequest,
)

_SLOTS = TypeAdapter(Page[AppointmentSlot])
_APPOINTMENT = TypeAdapter(Appointment)
_APPOINTMENTS = TypeAdapter(Page[Appointment])
_TICKET = TypeAdapter(QueueTicket)
_TICKETS = TypeAdapter(Page[QueueTicket])
_QUEUE = TypeAdapter(QueueStatus)


def list_slots(item_code: str, date: dt.date | None = None) -> Operation[Page[AppointmentSlot]]:
    """The bookable slots of the coming working days (or of one `date`) for an item that needs a visit."""
    query = {"item": item_code, "date": date.isoformat() if date else None}
    return Operation("GET", "/appointment-slots", _SLOTS, query=query)


def book(body: AppointmentRequest, idempotency_key: str | None = None) -> Operation[Appointment]:
    return Operation(
        "POST",
        "/appointments",
        _APPOINTMENT,
        body=body,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def list_appointments(cursor: str | None = None, limit: int | None = None) -> Operation[Page[Appointment]]:
    return Operation(
        "GET", "/appointments", _APPOINTMENTS, query={"cursor": cursor, "limit": limit}, authenticated=True
    )


def get_appointment(appointment_id: int) -> Operation[Appointment]:
    return Operation(
        "GET",
        "/appointments/{appointment_id}",
        _APPOINTMENT,
        path_params={"appointment_id": appointment_id},
        authenticated=True,
    )


def cancel_appointment(appointment_id: int, idempotency_key: str | None = None) -> Operation[Appointment]:
    return Operation(
        "POST",
        "/appointments/{appointment_id}/cancel",
        _APPOINTMENT,
        path_params={"appointment_id": appointment_id},
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def take_ticket(item_code: str, idempotency_key: str | None = None) -> Operation[QueueTicket]:
    return Operation(
        "POST",
        "/queue-tickets",
        _TICKET,
        body=QueueTicketRequest(item_code=item_code),
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def list_tickets() -> Operation[Page[QueueTicket]]:
    """The caller's queue numbers of today, with people ahead and the number served now."""
    return Operation("GET", "/queue-tickets", _TICKETS, authenticated=True)


def get_ticket(ticket_id: int) -> Operation[QueueTicket]:
    return Operation(
        "GET", "/queue-tickets/{ticket_id}", _TICKET, path_params={"ticket_id": ticket_id}, authenticated=True
    )


def queue_status() -> Operation[QueueStatus]:
    """Officers: their department's queue today."""
    return Operation("GET", "/officer/queue", _QUEUE, authenticated=True)


def call_next(idempotency_key: str | None = None) -> Operation[QueueStatus]:
    """Officers: call the next waiting number of their department."""
    return Operation(
        "POST",
        "/officer/queue/call-next",
        _QUEUE,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )
