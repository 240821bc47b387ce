"""网上办事 applications: the citizen's, the anonymous progress lookup, the officers' workbench, certificates."""

from pydantic import TypeAdapter

from api_client._operation import Operation, new_idempotency_key
from api_client.models import (
    AcceptanceDecision,
    ApplicationCreate,
    ApplicationDetail,
    ApplicationLookup,
    ApplicationStatus,
    ApplicationSummary,
    CertificateVerification,
    DepartmentStats,
    OfficerCaseDetail,
    OfficerCaseSummary,
    Page,
    RatingSubmit,
    Receipt,
    Refusal,
    StepDecision,
    SupplementSubmit,
)

_RECEIPT = TypeAdapter(Receipt)
_DETAIL = TypeAdapter(ApplicationDetail)
_PAGE = TypeAdapter(Page[ApplicationSummary])
_LOOKUP = TypeAdapter(ApplicationLookup)
_OFFICER_PAGE = TypeAdapter(Page[OfficerCaseSummary])
_OFFICER_DETAIL = TypeAdapter(OfficerCaseDetail)
_VERIFICATION = TypeAdapter(CertificateVerification)
_STATS = TypeAdapter(DepartmentStats)
_BYTES = TypeAdapter(bytes)


def submit(body: ApplicationCreate, idempotency_key: str | None = None) -> Operation[Receipt]:
    """Keep `idempotency_key` with the draft: re-sending it after a lost answer never makes a second case."""
    return Operation(
        "POST",
        "/applications",
        _RECEIPT,
        body=body,
        authenticated=True,
        idempotency_key=idempotency_key or new_idempotency_key(),
    )


def mine(cursor: str | None = None, limit: int = 20) -> Operation[Page[ApplicationSummary]]:
    return Operation("GET", "/applications", _PAGE, query={"cursor": cursor, "limit": limit}, authenticated=True)


def detail(number: str) -> Operation[ApplicationDetail]:
    return Operation("GET", "/applications/{number}", _DETAIL, path_params={"number": number}, authenticated=True)


def lookup(number: str, phone: str) -> Operation[ApplicationLookup]:
    """Progress without logging in: the number and the phone given at submission."""
    return Operation("GET", "/applications/lookup", _LOOKUP, query={"number": number, "phone": phone})


def supplement(number: str, body: SupplementSubmit) -> Operation[ApplicationDetail]:
    return Operation(
        "POST",
        "/applications/{number}/supplement",
        _DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )


def withdraw(number: str) -> Operation[ApplicationDetail]:
    return Operation(
        "POST", "/applications/{number}/withdraw", _DETAIL, path_params={"number": number}, authenticated=True
    )


def rate(number: str, body: RatingSubmit) -> Operation[ApplicationDetail]:
    return Operation(
        "POST",
        "/applications/{number}/rating",
        _DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )


def certificate_pdf(number: str) -> Operation[bytes]:
    """The certificate of a completed application, as PDF bytes."""
    return Operation(
        "GET",
        "/applications/{number}/certificate",
        _BYTES,
        path_params={"number": number},
        authenticated=True,
        headers={"accept": "application/pdf"},
        raw_response=True,
    )


def verify_certificate(number: str) -> Operation[CertificateVerification]:
    return Operation("GET", "/certificates/{number}", _VERIFICATION, path_params={"number": number})


def department_stats(code: str) -> Operation[DepartmentStats]:
    return Operation("GET", "/departments/{code}/stats", _STATS, path_params={"code": code})


def officer_inbox(
    status: ApplicationStatus | None = None,
    overdue: bool = False,
    due_soon: bool = False,
    cursor: str | None = None,
    limit: int = 20,
) -> Operation[Page[OfficerCaseSummary]]:
    """The officer's department's cases, overdue first."""
    return Operation(
        "GET",
        "/officer/applications",
        _OFFICER_PAGE,
        query={
            "status": status,
            "overdue": overdue or None,
            "due_soon": due_soon or None,
            "cursor": cursor,
            "limit": limit,
        },
        authenticated=True,
    )


def officer_case(number: str) -> Operation[OfficerCaseDetail]:
    return Operation(
        "GET", "/officer/applications/{number}", _OFFICER_DETAIL, path_params={"number": number}, authenticated=True
    )


def officer_material(number: str, attachment_id: str) -> Operation[bytes]:
    return Operation(
        "GET",
        "/officer/applications/{number}/attachments/{attachment_id}",
        _BYTES,
        path_params={"number": number, "attachment_id": attachment_id},
        authenticated=True,
        headers={"accept": "*/*"},
        raw_response=True,
    )


def accept(number: str, body: AcceptanceDecision | None = None) -> Operation[OfficerCaseDetail]:
    return Operation(
        "POST",
        "/officer/applications/{number}/accept",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body or AcceptanceDecision(),
        authenticated=True,
    )


def refuse(number: str, body: Refusal) -> Operation[OfficerCaseDetail]:
    return Operation(
        "POST",
        "/officer/applications/{number}/refuse",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )


def decide(number: str, body: StepDecision) -> Operation[OfficerCaseDetail]:
    """Pass, reject or ask for a supplement on the officer's department's step; 409 if another officer won."""
    return Operation(
        "POST",
        "/officer/applications/{number}/decision",
        _OFFICER_DETAIL,
        path_params={"number": number},
        body=body,
        authenticated=True,
    )
