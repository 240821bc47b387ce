"""HTTP for appeals: the citizen's and the fast channel's (/appeals), the officers' (/officer/appeals), the
supervisor's overdue list (/supervision/appeals), the public mailbox and the figures. Thin: rules live in
service, workflow and public."""

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from api_client import models as wire
from server.accounts.models import User
from server.accounts.tokens import session_for_access_token
from server.appeals import public as mailbox
from server.appeals import service, workflow
from server.appeals.deadlines import deadline_rules
from server.attachments.routes import Storage, file_response
from server.core.clock import Now
from server.core.deps import BearerCredentials, CurrentOfficer, CurrentUser, DbSession, client_address
from server.core.errors import ApiError, error_responses
from server.core.http_cache import content_changed
from server.core.idempotency import IdempotentWrite
from server.core.pagination import Cursor, Limit

citizen = APIRouter(prefix="/appeals", tags=["appeals"])
officer = APIRouter(prefix="/officer/appeals", tags=["officers"])
supervision = APIRouter(prefix="/supervision/appeals", tags=["officers"])
public = APIRouter(tags=["appeals"])


def caller_or_anonymous(db: DbSession, credentials: BearerCredentials) -> User | None:
    """No token: the fast channel. A token that no longer works is 401, never a silent anonymous appeal."""
    return session_for_access_token(db, credentials.credentials).user if credentials is not None else None


CallerOrAnonymous = Annotated[User | None, Depends(caller_or_anonymous)]


@citizen.post(
    "",
    status_code=201,
    response_model=wire.AppealReceipt,
    responses=error_responses(401, 409, 422),
    openapi_extra={"security": [{"HTTPBearer": []}, {}]},  # a token is optional: without one, the fast channel
)
def submit_appeal(body: wire.AppealCreate, caller: CallerOrAnonymous, write: IdempotentWrite, now: Now) -> Response:
    """Logged in, or anonymous (快速通道): then the answer carries credentials, shown once; a retry with the same
    Idempotency-Key replays the same appeal and the same credentials (the stored answer is sealed with the key)."""
    return write.respond(service.submit(write.db, caller, body, now), status_code=201)


@citizen.get("", response_model=wire.AppealPage, responses=error_responses(401))
def list_my_appeals(
    user: CurrentUser, db: DbSession, now: Now, cursor: Cursor = None, limit: Limit = 20
) -> wire.AppealPage:
    return service.list_mine(db, user, cursor, limit, now)


@citizen.post("/lookup", response_model=wire.AppealDetail, responses=error_responses(404, 429))
def lookup_appeal(body: wire.FastChannelLookup, request: Request, db: DbSession, now: Now) -> wire.AppealDetail:
    """Fast-channel credentials open their appeal; a wrong pair is one generic 404, throttled per username and
    per client address (429 with Retry-After)."""
    return service.lookup(db, body, client_address(request), now)


@citizen.post("/fast-channel/follow-ups", response_model=wire.AppealDetail, responses=error_responses(404, 409, 429))
def follow_up_with_credentials(
    body: wire.FastChannelFollowUp, request: Request, write: IdempotentWrite, now: Now
) -> Response:
    """The fast channel's writes (follow-up, rating, reopen) carry the lookup's credentials in the body.

    Chosen over a short-lived token issued by the lookup: the device keeps the credentials anyway (they are the
    appeal's only key), so a token would add a second secret to guard, a table and an expiry path in every client
    for no protection gained. Here each write is checked, throttled and refused exactly like a lookup (one generic
    404, 10 failures per username and per client address, 429 with Retry-After); the credentials name the appeal,
    so no number in the path can point them at another one; and an Idempotency-Key replays only to a request whose
    body, credentials included, is the same.
    """
    appeal = service.held(write.db, body.credentials, client_address(request), now)
    return write.respond(service.follow_up(write.db, appeal, body, now))


@citizen.post("/fast-channel/rating", response_model=wire.AppealDetail, responses=error_responses(404, 409, 429))
def rate_with_credentials(body: wire.FastChannelRating, request: Request, write: IdempotentWrite, now: Now) -> Response:
    """满意/基本满意/不满意 by the credentials' holder (see follow_up_with_credentials)."""
    appeal = service.held(write.db, body.credentials, client_address(request), now)
    return write.respond(service.rate(write.db, appeal, body, now))


@citizen.post("/fast-channel/reopen", response_model=wire.AppealDetail, responses=error_responses(404, 409, 429))
def reopen_with_credentials(
    body: wire.FastChannelReopen, request: Request, write: IdempotentWrite, now: Now
) -> Response:
    """Once, after 不满意, by the credentials' holder (see follow_up_with_credentials)."""
    appeal = service.held(write.db, body.credentials, client_address(request), now)
    return write.respond(service.reopen(write.db, appeal, body, now))


@citizen.post(
    "/fast-channel/attachments/{attachment_id}",
    response_class=Response,
    responses={**error_responses(404, 429), 200: {"content": {"application/octet-stream": {}}}},
)
def read_attachment_with_credentials(
    attachment_id: str, body: wire.FastChannelLookup, request: Request, db: DbSession, storage: Storage, now: Now
) -> Response:
    """A photo or PDF of the appeal these credentials open (POST: credentials stay out of URLs), checked, throttled
    and refused like a lookup; a file of any other appeal is 404."""
    appeal = service.held(db, body, client_address(request), now)
    db.commit()
    return file_response(service.held_attachment(db, appeal, attachment_id), storage)


@citizen.post("/link", response_model=wire.LinkResult, responses=error_responses(401, 404, 409, 429))
def link_fast_channel_appeals(
    body: wire.FastChannelLink, request: Request, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.link(write.db, user, body, client_address(request), now))


@citizen.get("/{number}", response_model=wire.AppealDetail, responses=error_responses(401, 404))
def read_my_appeal(number: str, user: CurrentUser, db: DbSession, now: Now) -> wire.AppealDetail:
    return service.detail(db, service.mine(db, user, number), now)


@citizen.post("/{number}/follow-ups", response_model=wire.AppealDetail, responses=error_responses(401, 404, 409))
def follow_up_appeal(
    number: str, body: wire.AppealFollowUp, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.follow_up(write.db, service.mine(write.db, user, number), body, now))


@citizen.post("/{number}/rating", response_model=wire.AppealDetail, responses=error_responses(401, 404, 409))
def rate_appeal(
    number: str, body: wire.AppealRatingSubmit, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.rate(write.db, service.mine(write.db, user, number), body, now))


@citizen.post("/{number}/reopen", response_model=wire.AppealDetail, responses=error_responses(401, 404, 409))
def reopen_appeal(
    number: str, body: wire.AppealReopen, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.reopen(write.db, service.mine(write.db, user, number), body, now))


@officer.get("", response_model=wire.Page[wire.OfficerAppealSummary], responses=error_responses(401, 403))
def officer_appeal_inbox(
    user: CurrentOfficer,
    db: DbSession,
    now: Now,
    status: wire.AppealStatus | None = None,
    overdue: bool = False,
    due_by: dt.date | None = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> wire.Page[wire.OfficerAppealSummary]:
    return workflow.inbox(db, user, now, status=status, overdue=overdue, due_by=due_by, cursor=cursor, limit=limit)


@officer.get("/{number}", response_model=wire.OfficerAppealDetail, responses=error_responses(401, 403, 404))
def officer_read_appeal(number: str, user: CurrentOfficer, db: DbSession, now: Now) -> wire.OfficerAppealDetail:
    return workflow.officer_detail(db, workflow.case_for(db, user, number), now)


@officer.get(
    "/{number}/attachments/{attachment_id}",
    response_class=Response,
    responses={**error_responses(401, 403, 404), 200: {"content": {"application/octet-stream": {}}}},
)
def officer_read_appeal_attachment(
    number: str, attachment_id: str, user: CurrentOfficer, db: DbSession, storage: Storage
) -> Response:
    """A photo or PDF the citizen attached, for the department the appeal is with."""
    return file_response(workflow.attachment_of(db, user, number, attachment_id), storage)


@officer.post("/{number}/reply", response_model=wire.OfficerAppealDetail, responses=error_responses(401, 403, 404, 409))
def reply_to_appeal(
    number: str, body: wire.OfficerReply, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    response = write.respond(workflow.reply(write.db, user, number, body, now))
    content_changed()  # a public appeal's answer is now in the mailbox and the search
    return response


@officer.post(
    "/{number}/transfer", response_model=wire.OfficerAppealDetail, responses=error_responses(401, 403, 404, 409)
)
def transfer_appeal(
    number: str, body: wire.AppealTransfer, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(workflow.transfer(write.db, user, number, body, now))


@officer.post("/{number}/close", response_model=wire.OfficerAppealDetail, responses=error_responses(401, 403, 404, 409))
def close_appeal(
    number: str, body: wire.OfficerClose, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    response = write.respond(workflow.close(write.db, user, number, body, now))
    content_changed()
    return response


def _supervisor(user: User) -> None:
    if user.role != "admin":
        raise ApiError(403, "forbidden")


@supervision.get("", response_model=wire.Page[wire.OfficerAppealSummary], responses=error_responses(401, 403))
def supervised_appeals(
    user: CurrentUser, db: DbSession, now: Now, cursor: Cursor = None, limit: Limit = 20
) -> wire.Page[wire.OfficerAppealSummary]:
    """督办: overdue appeals of every department, for the administrator."""
    _supervisor(user)
    return workflow.supervised(db, now, cursor, limit)


@public.get("/public-appeals", response_model=wire.Page[wire.PublicAppeal], responses=error_responses())
def list_public_appeals(
    db: DbSession,
    category: wire.AppealCategory | None = None,
    type: wire.AppealType | None = None,
    department: Annotated[wire.SingleLineText | None, Query(max_length=32)] = None,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> wire.Page[wire.PublicAppeal]:
    return mailbox.public_appeals(
        db, category=category, appeal_type=type, department=department, cursor=cursor, limit=limit
    )


@public.get("/public-appeals/{number}", response_model=wire.PublicAppeal, responses=error_responses(404))
def read_public_appeal(number: str, db: DbSession) -> wire.PublicAppeal:
    return mailbox.public_appeal(db, number)


@public.get("/stats", response_model=wire.AppealStats, responses=error_responses())
def appeal_stats(db: DbSession) -> wire.AppealStats:
    return mailbox.stats(db)


@public.get("/appeal-deadlines", response_model=wire.AppealDeadlineRules, responses=error_responses())
def appeal_deadline_rules() -> wire.AppealDeadlineRules:
    """The deadline per type before submitting (the app's choice of type says it); no database needed."""
    return deadline_rules()
