"""Appointments, queue numbers and the officers' call-next: personal data, never cached, every write idempotent."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from api_client import models as wire
from server.appointments import service
from server.core.clock import Now
from server.core.deps import CurrentOfficer, CurrentUser, DbSession
from server.core.errors import error_responses
from server.core.idempotency import IdempotentWrite
from server.core.pagination import Cursor, Limit

slots = APIRouter(prefix="/appointment-slots", tags=["appointments"])
appointments = APIRouter(prefix="/appointments", tags=["appointments"])
tickets = APIRouter(prefix="/queue-tickets", tags=["appointments"])
officer_queue = APIRouter(prefix="/officer/queue", tags=["officers"])
routers = (slots, appointments, tickets, officer_queue)

RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ItemCodeQuery = Annotated[str, Query(min_length=1, max_length=40, description="事项编码")]


@slots.get("", response_model=wire.Page[wire.AppointmentSlot], responses=error_responses())
def list_slots(
    db: DbSession, now: Now, item: ItemCodeQuery, date: dt.date | None = None
) -> wire.Page[wire.AppointmentSlot]:
    """The coming working days' slots: public holidays skipped, make-up working weekends (调休) open."""
    return wire.Page[wire.AppointmentSlot](items=service.slots(db, item, date, now))


@appointments.post("", status_code=201, response_model=wire.Appointment, responses=error_responses(401, 409))
def book(body: wire.AppointmentRequest, user: CurrentUser, write: IdempotentWrite, now: Now) -> Response:
    return write.respond(service.book(write.db, user, body, now), status_code=201)


@appointments.get("", response_model=wire.Page[wire.Appointment], responses=error_responses(401))
def list_appointments(
    db: DbSession, user: CurrentUser, now: Now, cursor: Cursor = None, limit: Limit = 20
) -> wire.Page[wire.Appointment]:
    """The caller's appointments: upcoming ones first (soonest first), then past and cancelled (latest first)."""
    return service.my_appointments(db, user, cursor, limit, now)


@appointments.get("/{appointment_id}", response_model=wire.Appointment, responses=error_responses(401, 404))
def get_appointment(db: DbSession, user: CurrentUser, now: Now, appointment_id: RowId) -> wire.Appointment:
    return service.appointment(db, user, appointment_id, now)


@appointments.post(
    "/{appointment_id}/cancel", response_model=wire.Appointment, responses=error_responses(401, 404, 409)
)
def cancel_appointment(user: CurrentUser, write: IdempotentWrite, now: Now, appointment_id: RowId) -> Response:
    """Frees the seat; cancelling again answers the cancelled appointment, on or after its day is 409."""
    return write.respond(service.cancel(write.db, user, appointment_id, now))


@tickets.post("", status_code=201, response_model=wire.QueueTicket, responses=error_responses(401, 409))
def take_ticket(body: wire.QueueTicketRequest, user: CurrentUser, write: IdempotentWrite, now: Now) -> Response:
    return write.respond(service.take_ticket(write.db, user, body.item_code, now), status_code=201)


@tickets.get("", response_model=wire.Page[wire.QueueTicket], responses=error_responses(401))
def list_tickets(db: DbSession, user: CurrentUser, now: Now) -> wire.Page[wire.QueueTicket]:
    return service.my_tickets(db, user, now)


@tickets.get("/{ticket_id}", response_model=wire.QueueTicket, responses=error_responses(401, 404))
def get_ticket(db: DbSession, user: CurrentUser, ticket_id: RowId) -> wire.QueueTicket:
    return service.ticket(db, user, ticket_id)


@officer_queue.get("", response_model=wire.QueueStatus, responses=error_responses(401, 403))
def queue_status(db: DbSession, officer: CurrentOfficer, now: Now) -> wire.QueueStatus:
    return service.queue_status(db, officer, now)


@officer_queue.post("/call-next", response_model=wire.QueueStatus, responses=error_responses(401, 403, 409))
def call_next(officer: CurrentOfficer, write: IdempotentWrite, now: Now) -> Response:
    return write.respond(service.call_next(write.db, officer, now))
