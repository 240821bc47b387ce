"""互动交流 appeals: the citizen's, the fast channel's, the officers', the supervisor's, the public mailbox and stats."""

import datetime as dt

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import (
    AppealCategory,
    AppealCreate,
    AppealDeadlineRules,
    AppealDetail,
    AppealFollowUp,
    AppealPage,
    AppealRatingSubmit,
    AppealReceipt,
    AppealReopen,
    AppealStats,
    AppealStatus,
    AppealTransfer,
    AppealType,
    FastChannelFollowUp,
    FastChannelLink,
    FastChannelLookup,
    FastChannelRating,
    FastChannelReopen,
    LinkResult,
    OfficerAppealDetail,
    OfficerAppealSummary,
    OfficerClose,
    OfficerReply,
    Page,
    PublicAppeal,
)

_RECEIPT = TypeAdapter(AppealReceipt)
_DETAIL = TypeAdapter(AppealDetail)
_PAGE = TypeAdapter(AppealPage)
_LINK = TypeAdapter(LinkResult)
_OFFICER_PAGE = TypeAdapter(Page[OfficerAppealSummary])
_OFFICER_DETAIL = TypeAdapter(OfficerAppealDetail)
_PUBLIC_PAGE = TypeAdapter(Page[PublicAppeal])
_PUBLIC = TypeAdapter(PublicAppeal)
_STATS = TypeAdapter(AppealStats)
_DEADLINE_RULES = TypeAdapter(AppealDeadlineRules)
_BYTES = TypeAdapter(bytes)


def submit(body: AppealCreate, idempotency_key: str | None = None) -> Operation[AppealReceipt]:
    """Logged in when the client holds tokens, else the fast channel: keep `idempotency_key` with the draft, so a
    re-send after a lost answer returns the same appeal and the same credentials."""
    return Operation(
        "POST",
        "/appeals",
        _RECEIPT,
        body=body,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def mine(cursor: str | None = None, limit: int = 20) -> Operation[AppealPage]:
    return Operation("GET", "/appeals", _PAGE, query={"cursor": cursor, "limit": limit}, authenticated=True)


def detail(number: str) -> Operation[AppealDetail]:
    return Operation("GET", "/appeals/{number}", _DETAIL, path_params={"number": number}, authenticated=True)


def follow_up(number: str, body: AppealFollowUp) -> Operation[AppealDetail]:
    return Operation(
        "POST", "/appeals/{number}/follow-ups", _DETAIL, path_params={"number": number}, body=body, authenticated=True
    )


def rate(number: str, body: AppealRatingSubmit) -> Operation[AppealDetail]:
    return Operation(
        "POST", "/appeals/{number}/rating", _DETAIL, path_params={"number": number}, body=body, authenticated=True
    )


def reopen(number: str, body: AppealReopen) -> Operation[AppealDetail]:
    return Operation(
        "POST", "/appeals/{number}/reopen", _DETAIL, path_params={"number": number}, body=body, authenticated=True
    )


def lookup(username: str, password: str) -> Operation[AppealDetail]:
    """The fast-channel appeal these credentials open (POST: credentials stay out of URLs and logs)."""
    return Operation("POST", "/appeals/lookup", _DETAIL, body=FastChannelLookup(username=username, password=password))


def attachment_with_credentials(attachment_id: str, credentials: FastChannelLookup) -> Operation[bytes]:
    """A photo or PDF of the fast-channel appeal these credentials open, as bytes."""
    return Operation(
        "POST",
        "/appeals/fast-channel/attachments/{attachment_id}",
        _BYTES,
        path_params={"attachment_id": attachment_id},
        body=credentials,
        headers={"accept": "*/*"},
        raw_response=True,
    )


def follow_up_with_credentials(body: FastChannelFollowUp) -> Operation[AppealDetail]:
    """A follow-up on the fast-channel appeal its credentials open (no account, no token)."""
    return Operation("POST", "/appeals/fast-channel/follow-ups", _DETAIL, body=body)


def rate_with_credentials(body: FastChannelRating) -> Operation[AppealDetail]:
    return Operation("POST", "/appeals/fast-channel/rating", _DETAIL, body=body)


def reopen_with_credentials(body: FastChannelReopen) -> Operation[AppealDetail]:
    """Once, after 不满意."""
    return Operation("POST", "/appeals/fast-channel/reopen", _DETAIL, body=body)


def link(body: FastChannelLink) -> Operation[LinkResult]:
    """Moves fast-channel appeals into the logged-in account."""
    return Operation("POST", "/appeals/link", _LINK, body=body, authenticated=True)


def officer_inbox(
    status: AppealStatus | None = None,
    overdue: bool = False,
    due_by: dt.date | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Operation[Page[OfficerAppealSummary]]:
    """The officer's department's appeals, the earliest due first."""
    return Operation(
        "GET",
        "/officer/appeals",
        _OFFICER_PAGE,
        query={
            "status": status,
            "overdue": overdue or None,
            "due_by": due_by.isoformat() if due_by else None,
            "cursor": cursor,
            "limit": limit,
        },
        authenticated=True,
    )


def officer_appeal(number: str) -> Operation[OfficerAppealDetail]:
    return Operation(
        "GET", "/officer/appeals/{number}", _OFFICER_DETAIL, path_params={"number": number}, authenticated=True
    )


def officer_attachment(number: str, attachment_id: str) -> Operation[bytes]:
    """A photo or PDF the citizen attached, as bytes."""
    return Operation(
        "GET",
        "/officer/appeals/{number}/attachments/{attachment_id}",
        _BYTES,
        path_params={"number": number, "attachment_id": attachment_id},
        authenticated=True,
        headers={"accept": "*/*"},
        raw_response=True,
    )


def reply(number: str, body: OfficerReply) -> Operation[OfficerAppealDetail]:
    return Operation(
        "POST",
        "/officer/appeals/{number}/reply",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )


def transfer(number: str, body: AppealTransfer) -> Operation[OfficerAppealDetail]:
    return Operation(
        "POST",
        "/officer/appeals/{number}/transfer",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )


def close(number: str, body: OfficerClose | None = None) -> Operation[OfficerAppealDetail]:
    return Operation(
        "POST",
        "/officer/appeals/{number}/close",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body or OfficerClose(),
        authenticated=True,
    )


def supervised(cursor: str | None = None, limit: int = 20) -> Operation[Page[OfficerAppealSummary]]:
    """督办: overdue appeals across departments (administrators)."""
    return Operation(
        "GET", "/supervision/appeals", _OFFICER_PAGE, query={"cursor": cursor, "limit": limit}, authenticated=True
    )


def public_appeals(
    category: AppealCategory | None = None,
    appeal_type: AppealType | None = None,
    department: str | None = None,
    cursor: str | None = None,
    limit: int = 20,
) -> Operation[Page[PublicAppeal]]:
    return Operation(
        "GET",
        "/public-appeals",
        _PUBLIC_PAGE,
        query={"category": category, "type": appeal_type, "department": department, "cursor": cursor, "limit": limit},
    )


def public_appeal(number: str) -> Operation[PublicAppeal]:
    """One answered public appeal with its answers, masked; 404 for any other number."""
    return Operation("GET", "/public-appeals/{number}", _PUBLIC, path_params={"number": number})


def stats() -> Operation[AppealStats]:
    return Operation("GET", "/stats", _STATS)


def deadline_rules() -> Operation[AppealDeadlineRules]:
    """The working days each type of appeal is answered within, as the server counts them."""
    return Operation("GET", "/appeal-deadlines", _DEADLINE_RULES)
