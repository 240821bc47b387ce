"""Rows to wire models, with the departments, items and officers they name loaded in one query each."""

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from api_client import models as wire
from server.accounts.models import User
from server.applications.deadlines import deadline_view
from server.applications.models import (
    Application,
    ApplicationAccess,
    ApplicationEvent,
    ApplicationMaterial,
    ApplicationStep,
)
from server.attachments.models import StoredAttachment
from server.attachments.service import to_wire as attachment_to_wire
from server.departments.models import Department
from server.departments.routes import to_wire as department_to_wire
from server.services.models import ServiceItem
from server.workdays.calendar import WorkCalendar


class Names:
    """Departments, items and officers by id for one response: a handful of queries however long the list."""

    def __init__(self, db: Session, items: Iterable[int] = (), users: Iterable[int] = ()) -> None:
        self.departments = {d.id: department_to_wire(d) for d in db.scalars(select(Department))}
        item_ids, user_ids = set(items), set(users)
        self.items = (
            {i.id: i for i in db.scalars(select(ServiceItem).where(ServiceItem.id.in_(item_ids)))} if item_ids else {}
        )
        self.users = (
            {u.id: u.name for u in db.execute(select(User.id, User.name).where(User.id.in_(user_ids)))}
            if user_ids
            else {}
        )

    def department(self, department_id: int | None) -> wire.Department | None:
        return self.departments.get(department_id) if department_id is not None else None


def summary(application: Application, names: Names, calendar: WorkCalendar, today: dt.date) -> wire.ApplicationSummary:
    item = names.items[application.item_id]
    return wire.ApplicationSummary(
        number=application.number,
        item_code=item.code,
        item_name=item.name,
        department=names.departments[application.department_id],
        status=application.status,
        submitted_at=application.submitted_at,
        deadline=deadline_view(application, calendar, today),
    )


def timeline(events: Sequence[ApplicationEvent], names: Names, public: bool = False) -> list[wire.TimelineEvent]:
    """The full timeline, or for an anonymous lookup without notes and officers' names."""
    return [
        wire.TimelineEvent(
            at=e.at,
            status=e.status,
            action=e.action,
            department=names.department(e.department_id),
            officer_name=None if public else names.users.get(e.officer_id or 0),
            note=None if public else e.note,
        )
        for e in events
    ]


def detail(
    db: Session, application: Application, calendar: WorkCalendar, today: dt.date
) -> tuple[wire.ApplicationDetail, dict[int, ApplicationStep]]:
    """The whole case as its applicant sees it, and its steps by department (officers add their own)."""
    steps = list(db.scalars(select(ApplicationStep).where(ApplicationStep.application_id == application.id)))
    events = list(
        db.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id == application.id)
            .order_by(ApplicationEvent.id)
        )
    )
    accesses = list(
        db.scalars(
            select(ApplicationAccess)
            .where(ApplicationAccess.application_id == application.id)
            .order_by(ApplicationAccess.id)
        )
    )
    files = db.execute(
        select(ApplicationMaterial.material_key, StoredAttachment)
        .join(StoredAttachment, StoredAttachment.id == ApplicationMaterial.attachment_id)
        .where(ApplicationMaterial.application_id == application.id)
        .order_by(ApplicationMaterial.round, ApplicationMaterial.id)
    ).all()
    names = Names(
        db,
        items=[application.item_id],
        users=[e.officer_id for e in events if e.officer_id] + [a.officer_id for a in accesses],
    )
    item = names.items[application.item_id]
    material_names = {m["key"]: m["name"] for m in item.guide.get("materials", [])}
    by_key: dict[str, list[wire.AttachmentInfo]] = {}
    for key, attachment in files:
        by_key.setdefault(key, []).append(attachment_to_wire(attachment))
    steps.sort(key=lambda s: (s.department_id != application.department_id, s.department_id))
    base = summary(application, names, calendar, today)
    return (
        wire.ApplicationDetail(
            **base.model_dump(),
            form=application.form,
            materials=[
                wire.MaterialFilesView(key=k, name=material_names.get(k, k), files=v) for k, v in by_key.items()
            ],
            steps=[
                wire.StepView(
                    department=names.departments[s.department_id],
                    state=s.state,
                    note=s.note,
                    decided_at=s.decided_at,
                )
                for s in steps
            ],
            requested_materials=application.requested_materials,
            timeline=timeline(events, names),
            access_log=[
                wire.AccessEntry(
                    officer_name=names.users.get(a.officer_id, ""),
                    department=names.departments[a.department_id],
                    at=a.at,
                )
                for a in accesses
            ],
            certificate=wire.Certificate(number=application.certificate_number, issued_at=application.closed_at)
            if application.certificate_number and application.closed_at
            else None,
            rating=wire.Rating(
                score=application.rating, comment=application.rating_comment, rated_at=application.rated_at
            )
            if application.rating is not None and application.rated_at is not None
            else None,
        ),
        {s.department_id: s for s in steps},
    )


def masked_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***: enough to recognise a certificate's holder, not to learn the name."""
    return name[:1] + "*" * max(len(name) - 1, 1)
