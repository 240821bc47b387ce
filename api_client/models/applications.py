"""网上办事 applications (办件): submission, progress, parallel department steps, officers' decisions, 好差评."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, StringConstraints

from api_client.models.attachments import AttachmentInfo
from api_client.models.common import ErrorBody
from api_client.models.departments import Department
from api_client.validation import check_text

ApplicationStatus = Literal[
    "submitted", "accepted", "refused", "in_review", "supplement", "completed", "rejected", "withdrawn"
]
StepState = Literal["pending", "passed", "rejected", "supplement"]
StepDecisionKind = Literal["pass", "reject", "supplement"]
OPEN_STATUSES: tuple[ApplicationStatus, ...] = ("submitted", "in_review", "supplement")

APPLICATION_STATUS_LABELS: dict[ApplicationStatus, str] = {
    "submitted": "已提交",
    "accepted": "已受理",
    "refused": "不予受理",
    "in_review": "审查中",
    "supplement": "需补正",
    "completed": "已办结",
    "rejected": "未通过",
    "withdrawn": "已撤回",
}
STEP_STATE_LABELS: dict[StepState, str] = {
    "pending": "待审",
    "passed": "通过",
    "rejected": "不通过",
    "supplement": "需补正",
}

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,31}$")]
AttachmentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
FormValues = dict[Key, Annotated[str, StringConstraints(max_length=4000)]]
MaterialFiles = dict[Key, Annotated[list[AttachmentId], Field(max_length=10)]]
Note = Annotated[str, AfterValidator(check_text), StringConstraints(max_length=500)]


class FieldError(BaseModel):
    field: str = Field(description="form.<field key> or materials.<material key>")
    code: str
    message: str


class FieldErrorsBody(ErrorBody):
    """A 422 naming every field that is wrong, one message each."""

    errors: list[FieldError]


class ApplicationCreate(BaseModel):
    item_code: str = Field(pattern=r"^[0-9A-Za-z_-]{1,40}$")
    form: FormValues = Field(max_length=100, description="Field key -> value, as text")
    materials: MaterialFiles = Field(
        default_factory=dict, max_length=50, description="Material key -> attachment ids from POST /attachments"
    )


class MaterialReceived(BaseModel):
    key: str
    name: str
    files: int


class Receipt(BaseModel):
    """收件回执: what the service centre acknowledges having received."""

    number: str = Field(description="办件编号")
    item_code: str
    item_name: str
    department: Department
    applicant_name: str
    submitted_at: dt.datetime
    promised_days: int
    materials: list[MaterialReceived]
    lookup_hint: str = Field(description="How to follow progress without logging in")


class Deadline(BaseModel):
    """承诺办结时限 in working days from acceptance; the clock stops while the citizen supplements materials."""

    due_on: dt.date | None = Field(None, description="None until accepted")
    days_left: int | None = Field(None, description="Working days left; negative when overdue")
    overdue: bool = False
    paused: bool = Field(False, description="Waiting for the citizen's 补正: the clock is stopped")
    provisional: bool = Field(
        False, description="The count crossed a year whose official holiday schedule is not yet known"
    )
    note: str | None = None


class ApplicationSummary(BaseModel):
    number: str
    item_code: str
    item_name: str
    department: Department = Field(description="The implementing department")
    status: ApplicationStatus
    submitted_at: dt.datetime
    deadline: Deadline


class StepView(BaseModel):
    department: Department
    state: StepState
    note: str | None = None
    decided_at: dt.datetime | None = None


class TimelineEvent(BaseModel):
    at: dt.datetime
    status: ApplicationStatus
    action: str = Field(description="What happened, in Chinese")
    department: Department | None = None
    officer_name: str | None = None
    note: str | None = None


class AccessEntry(BaseModel):
    """An officer opened the case: PIPL lets the citizen see who read their data."""

    officer_name: str
    department: Department
    at: dt.datetime


class MaterialFilesView(BaseModel):
    key: str
    name: str
    files: list[AttachmentInfo]


class Certificate(BaseModel):
    number: str
    issued_at: dt.datetime


class Rating(BaseModel):
    score: int = Field(ge=1, le=5)
    comment: str | None = None
    rated_at: dt.datetime


class ApplicationDetail(ApplicationSummary):
    form: FormValues
    materials: list[MaterialFilesView]
    steps: list[StepView]
    requested_materials: list[str] = Field(description="Material keys the citizen is asked to supplement")
    timeline: list[TimelineEvent]
    access_log: list[AccessEntry]
    certificate: Certificate | None = None
    rating: Rating | None = None


class SupplementSubmit(BaseModel):
    materials: MaterialFiles = Field(max_length=50)
    note: Note | None = None


class RatingSubmit(BaseModel):
    score: int = Field(ge=1, le=5, description="好差评: 1 非常不满意 … 5 非常满意")
    comment: Note | None = None


class ApplicationLookup(BaseModel):
    """What anyone with the number and the phone sees: the status and the public timeline."""

    number: str
    item_name: str
    status: ApplicationStatus
    timeline: list[TimelineEvent]


class OfficerCaseSummary(ApplicationSummary):
    applicant_name: str
    my_step: StepState = Field(description="This officer's department's step")


class OfficerCaseDetail(ApplicationDetail):
    applicant_name: str
    applicant_phone: str
    my_step: StepState


class AcceptanceDecision(BaseModel):
    note: Note | None = None


class Refusal(BaseModel):
    reason: Note = Field(min_length=1, description="不予受理 reason shown to the citizen")


class StepDecision(BaseModel):
    decision: StepDecisionKind
    note: Note | None = Field(None, description="Required for reject and supplement")
    materials: list[Key] = Field(
        default_factory=list, max_length=50, description="For supplement: the material keys to provide again"
    )


class CertificateVerification(BaseModel):
    """What the QR code on a certificate opens: proof that the service centre issued it."""

    number: str
    valid: bool
    item_name: str
    holder: str = Field(description="The holder's name, masked")
    department: Department
    issued_at: dt.datetime


class DepartmentStats(BaseModel):
    """好差评 and timeliness from real cases."""

    department: Department
    ratings: int
    average_rating: float | None
    decided_steps: int
    on_time_steps: int
    on_time_rate: float | None
