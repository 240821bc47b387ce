"""HTTP for applications: the citizen's (/applications), the officers' (/officer/applications), the public
certificate check and each department's 好差评 figures. Thin: the rules live in service and workflow."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api_client import API_PREFIX
from api_client import models as wire
from server.applications import service, views, workflow
from server.applications.certificate import certificate_pdf
from server.applications.models import Application, ApplicationMaterial, ApplicationStep
from server.attachments.models import StoredAttachment
from server.attachments.routes import Storage, file_response
from server.core.clock import Now
from server.core.deps import CurrentOfficer, CurrentUser, DbSession, client_address
from server.core.errors import error_responses, not_found
from server.core.group_commit import writer_for
from server.core.idempotency import IdempotentWrite, claim_in_transaction, request_fingerprint
from server.core.pagination import Cursor, Limit
from server.departments.models import Department
from server.departments.routes import to_wire as department_to_wire

citizen = APIRouter(prefix="/applications", tags=["applications"])
officer = APIRouter(prefix="/officer/applications", tags=["officers"])
public = APIRouter(tags=["applications"])

Number = Annotated[str, Query(min_length=1, max_length=20, description="办件编号")]
_FORM_ERRORS: dict[int | str, dict[str, object]] = {422: {"model": wire.FieldErrorsBody}}


@citizen.post("", status_code=201, response_model=wire.Receipt, responses={**error_responses(401, 409), **_FORM_ERRORS})
async def submit_application(
    body: wire.ApplicationCreate, request: Request, user: CurrentUser, db: DbSession, now: Now
) -> Response:
    """Committed with its Idempotency-Key in one transaction, grouped with concurrent submissions (SQLite)."""
    await run_in_threadpool(db.close)  # the caller is known: give the connection back before queueing for the writer
    key = request.headers.get("idempotency-key")
    fingerprint = request_fingerprint(request.method, request.url.path, await request.body())

    def write(db: Session) -> Response:
        handle = claim_in_transaction(db, user, key, fingerprint)
        return handle.seal(service.submit(db, user, body, now), status_code=201)

    writer = writer_for(request.app.state.engine, request.app.state.sessions)
    return await run_in_threadpool(writer.run, write)


@citizen.get("", response_model=wire.Page[wire.ApplicationSummary], responses=error_responses(401))
def list_my_applications(
    user: CurrentUser, db: DbSession, now: Now, cursor: Cursor = None, limit: Limit = 20
) -> wire.Page[wire.ApplicationSummary]:
    return service.list_mine(db, user, cursor, limit, now)


@citizen.get("/lookup", response_model=wire.ApplicationLookup, responses=error_responses(404, 429))
def lookup_application(
    request: Request,
    db: DbSession,
    now: Now,
    number: Number,
    phone: Annotated[str, Query(min_length=1, max_length=16)],
) -> wire.ApplicationLookup:
    return service.lookup(db, number, phone, client_address(request), now)


@citizen.get("/{number}", response_model=wire.ApplicationDetail, responses=error_responses(401, 404))
def read_my_application(number: str, user: CurrentUser, db: DbSession, now: Now) -> wire.ApplicationDetail:
    return service.read(db, user, number, now)


@citizen.post(
    "/{number}/supplement",
    response_model=wire.ApplicationDetail,
    responses={**error_responses(401, 404, 409), **_FORM_ERRORS},
)
def supplement_application(
    number: str, body: wire.SupplementSubmit, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.supplement(write.db, user, number, body, now))


@citizen.post("/{number}/withdraw", response_model=wire.ApplicationDetail, responses=error_responses(401, 404, 409))
def withdraw_application(number: str, user: CurrentUser, write: IdempotentWrite, now: Now) -> Response:
    return write.respond(service.withdraw(write.db, user, number, now))


@citizen.post("/{number}/rating", response_model=wire.ApplicationDetail, responses=error_responses(401, 404, 409))
def rate_application(
    number: str, body: wire.RatingSubmit, user: CurrentUser, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(service.rate(write.db, user, number, body, now))


@citizen.get(
    "/{number}/certificate",
    response_class=Response,
    responses={**error_responses(401, 404), 200: {"content": {"application/pdf": {}}}},
)
def download_certificate(number: str, request: Request, user: CurrentUser, db: DbSession, now: Now) -> Response:
    application = service.mine(db, user, number)
    if application.certificate_number is None:
        raise not_found()
    detail = service.read(db, user, number, now)
    verify_url = f"{str(request.base_url).rstrip('/')}{API_PREFIX}/certificates/{application.certificate_number}"
    pdf = certificate_pdf(detail, user.name, verify_url, detail.department)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{application.certificate_number}.pdf"'},
    )


@public.get("/certificates/{number}", response_model=wire.CertificateVerification, responses=error_responses(404))
def verify_certificate(number: str, db: DbSession) -> wire.CertificateVerification:
    application = db.scalar(select(Application).where(Application.certificate_number == number[:24]))
    if application is None:
        raise not_found()
    names = views.Names(db, items=[application.item_id], users=[application.applicant_id])
    assert application.closed_at is not None
    return wire.CertificateVerification(
        number=number,
        valid=application.status == "completed",
        item_name=names.items[application.item_id].name,
        holder=views.masked_name(names.users[application.applicant_id]),
        department=names.departments[application.department_id],
        issued_at=application.closed_at,
    )


@public.get("/departments/{code}/stats", response_model=wire.DepartmentStats, responses=error_responses(404))
def department_stats(code: str, db: DbSession) -> wire.DepartmentStats:
    department = db.scalar(select(Department).where(Department.code == code[:32]))
    if department is None:
        raise not_found()
    ratings, average = db.execute(
        select(func.count(Application.rating), func.avg(Application.rating)).where(
            Application.department_id == department.id, Application.rating.is_not(None)
        )
    ).one()
    decided, on_time = db.execute(
        select(
            func.count(ApplicationStep.decided_at),
            func.count(ApplicationStep.on_time).filter(ApplicationStep.on_time.is_(True)),
        ).where(ApplicationStep.department_id == department.id, ApplicationStep.decided_at.is_not(None))
    ).one()
    return wire.DepartmentStats(
        department=department_to_wire(department),
        ratings=ratings,
        average_rating=round(float(average), 2) if ratings else None,
        decided_steps=decided,
        on_time_steps=on_time,
        on_time_rate=round(on_time / decided, 4) if decided else None,
    )


@officer.get("", response_model=wire.Page[wire.OfficerCaseSummary], responses=error_responses(401, 403))
def officer_inbox(
    user: CurrentOfficer,
    db: DbSession,
    now: Now,
    status: wire.ApplicationStatus | None = None,
    overdue: bool = False,
    due_soon: bool = False,
    cursor: Cursor = None,
    limit: Limit = 20,
) -> wire.Page[wire.OfficerCaseSummary]:
    return workflow.inbox(db, user, now, status=status, overdue=overdue, due_soon=due_soon, cursor=cursor, limit=limit)


@officer.get("/{number}", response_model=wire.OfficerCaseDetail, responses=error_responses(401, 403, 404))
def officer_read_case(number: str, user: CurrentOfficer, db: DbSession, now: Now) -> wire.OfficerCaseDetail:
    return workflow.read(db, user, number, now)


@officer.get(
    "/{number}/attachments/{attachment_id}",
    response_class=Response,
    responses={**error_responses(401, 403, 404), 200: {"content": {"application/octet-stream": {}}}},
)
def officer_read_material(
    number: str, attachment_id: str, user: CurrentOfficer, db: DbSession, storage: Storage, now: Now
) -> Response:
    application, _ = workflow.case_for(db, user, number)
    row = db.scalar(
        select(StoredAttachment)
        .join(ApplicationMaterial, ApplicationMaterial.attachment_id == StoredAttachment.id)
        .where(ApplicationMaterial.application_id == application.id, StoredAttachment.id == attachment_id[:32])
    )
    if row is None:
        raise not_found()
    workflow.log_access(db, user, application, now)
    db.commit()
    return file_response(row, storage)


@officer.post("/{number}/accept", response_model=wire.OfficerCaseDetail, responses=error_responses(401, 403, 404, 409))
def accept_application(
    number: str, body: wire.AcceptanceDecision, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(workflow.accept(write.db, user, number, body.note, now))


@officer.post("/{number}/refuse", response_model=wire.OfficerCaseDetail, responses=error_responses(401, 403, 404, 409))
def refuse_application(
    number: str, body: wire.Refusal, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(workflow.refuse(write.db, user, number, body.reason.strip(), now))


@officer.post(
    "/{number}/decision", response_model=wire.OfficerCaseDetail, responses=error_responses(401, 403, 404, 409)
)
def decide_step(
    number: str, body: wire.StepDecision, user: CurrentOfficer, write: IdempotentWrite, now: Now
) -> Response:
    return write.respond(workflow.decide(write.db, user, number, body, now))
