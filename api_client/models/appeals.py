"""互动交流 appeals: consultations, complaints, suggestions, reports and evaluations, the fast channel, the public
mailbox and the transparency figures."""

import datetime as dt
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, Field, StringConstraints

from api_client.models.attachments import AttachmentInfo
from api_client.models.common import Page, SingleLineText, TrimmedLine, TrimmedText
from api_client.models.departments import Department

AppealType = Literal["咨询", "投诉", "建议", "举报", "评议"]
AppealCategory = Literal[
    "拆迁征地",
    "粮食直补",
    "滥收费",
    "学校搬迁",
    "拖欠农民工工资",
    "惠农政策落实",
    "环境污染",
    "交通出行",
    "教育",
    "医疗",
    "社保",
    "住房",
    "其他",
]
AppealStatus = Literal["pending", "replied", "closed"]
Satisfaction = Literal["满意", "基本满意", "不满意"]
MessageKind = Literal["submitted", "follow_up", "reply", "transfer", "close", "rating", "reopen"]

APPEAL_TYPES: tuple[AppealType, ...] = get_args(AppealType)
APPEAL_CATEGORIES: tuple[AppealCategory, ...] = get_args(AppealCategory)
APPEAL_STATUS_LABELS: dict[AppealStatus, str] = {"pending": "办理中", "replied": "已答复", "closed": "已办结"}
UNDECIDED_DEPARTMENT = "不确定"

AttachmentId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
Title = Annotated[TrimmedLine, StringConstraints(min_length=4, max_length=60)]
Content = Annotated[TrimmedText, StringConstraints(min_length=10, max_length=2000)]
Reply = Annotated[TrimmedText, StringConstraints(min_length=1, max_length=2000)]
Comment = Annotated[TrimmedText, StringConstraints(max_length=500)]
Reason = Annotated[TrimmedLine, StringConstraints(min_length=2, max_length=200)]
DepartmentChoice = Annotated[SingleLineText, StringConstraints(min_length=1, max_length=32)]
FastUsername = Annotated[SingleLineText, StringConstraints(min_length=1, max_length=32)]
FastPassword = Annotated[SingleLineText, StringConstraints(min_length=1, max_length=64)]


class AppealLocation(BaseModel):
    """Where the problem is, as text a screen reader can read; coordinates only when the device has them."""

    address: Annotated[TrimmedLine, StringConstraints(min_length=1, max_length=200)]
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class AppealCreate(BaseModel):
    type: AppealType
    category: AppealCategory
    department: DepartmentChoice = Field(
        UNDECIDED_DEPARTMENT, description="A department code, or 不确定: the category then routes the appeal"
    )
    title: Title
    content: Content = Field(description="At most 2,000 characters; stored and shown as plain text")
    attachments: list[AttachmentId] = Field(
        default_factory=list,
        max_length=9,
        description="Ids from POST /attachments (logged in) or POST /attachments/anonymous (fast channel)",
    )
    location: AppealLocation | None = None
    contact_phone: Annotated[str, StringConstraints(pattern=r"^1[3-9]\d{9}$")] | None = None
    public: bool = Field(True, description="Published in the public mailbox (personal data masked) once answered")


class FastChannelCredentials(BaseModel):
    """Shown once, to an anonymous submitter; the server keeps only a hash of the password."""

    username: str
    password: str = Field(description="16 characters from a 32-letter alphabet: 80 bits")


class AppealDeadline(BaseModel):
    due_on: dt.date
    days: int
    day_kind: Literal["working"] = Field(
        "working", description="Deadlines count working days (weekends and official holidays off)"
    )
    overdue: bool = Field(description="Not answered by the due date: flagged 督办 (supervised)")
    days_left: int | None = Field(None, description="Working days left while unanswered; negative when overdue")


class AppealDeadlineRule(BaseModel):
    """How long a department has to answer one type of appeal, counted from the day of submission."""

    type: AppealType
    days: int
    day_kind: Literal["working"] = Field("working", description="Working days: weekends and official holidays off")


class AppealDeadlineRules(BaseModel):
    """The rules in force, one per type, so the app can say the deadline before anything is submitted."""

    items: list[AppealDeadlineRule]


class AppealMessage(BaseModel):
    kind: MessageKind
    at: dt.datetime
    author: Literal["citizen", "department"]
    department: str | None = None
    body: str


class AppealSummary(BaseModel):
    number: str
    type: AppealType
    category: AppealCategory
    title: str
    department: Department
    status: AppealStatus
    submitted_at: dt.datetime
    deadline: AppealDeadline
    supervised: bool = Field(description="督办: overdue, on the supervisor's list")


class AppealDetail(AppealSummary):
    content: str
    location: AppealLocation | None
    contact_phone: str | None
    public: bool
    attachments: list[str]
    files: list[AttachmentInfo] = Field(
        default_factory=list, description="The attachments' names, formats and sizes, in the order of `attachments`"
    )
    messages: list[AppealMessage]
    rating: Satisfaction | None
    rating_comment: str | None
    reopened: bool
    can_rate: bool
    can_reopen: bool


class AppealReceipt(BaseModel):
    """The answer to a submission; `credentials` only for the fast channel, and only in this answer."""

    appeal: AppealDetail
    credentials: FastChannelCredentials | None = None


class AppealFollowUp(BaseModel):
    body: Reply


class AppealRatingSubmit(BaseModel):
    satisfaction: Satisfaction
    comment: Comment = ""


class AppealReopen(BaseModel):
    reason: Reason


class FastChannelLookup(BaseModel):
    username: FastUsername
    password: FastPassword


class FastChannelFollowUp(AppealFollowUp):
    """A follow-up by the holder of fast-channel credentials: they name the appeal and prove the right to act."""

    credentials: FastChannelLookup


class FastChannelRating(AppealRatingSubmit):
    credentials: FastChannelLookup


class FastChannelReopen(AppealReopen):
    credentials: FastChannelLookup


class FastChannelLink(BaseModel):
    """Credentials of fast-channel appeals to move into the logged-in account."""

    credentials: list[FastChannelLookup] = Field(min_length=1, max_length=20)


class LinkResult(BaseModel):
    linked: list[str] = Field(description="Numbers of the appeals now in the account")


class OfficerReply(BaseModel):
    body: Reply
    amount_recovered_yuan: Annotated[int, Field(ge=0, le=10**12)] = Field(
        0, description="Money recovered for the people by this handling (wages paid, fees refunded), in yuan"
    )


class OfficerClose(BaseModel):
    note: Comment = ""


class AppealTransfer(BaseModel):
    department: DepartmentChoice
    reason: Reason


class OfficerAppealSummary(AppealSummary):
    reopened: bool


class OfficerAppealDetail(AppealDetail):
    citizen_name: str | None


class PublicAppeal(BaseModel):
    """A public appeal as the mailbox shows it: personal data masked in every text."""

    number: str
    type: AppealType
    category: AppealCategory
    title: str
    content: str
    department: Department
    status: AppealStatus
    submitted_at: dt.datetime
    replies: list[AppealMessage]
    rating: Satisfaction | None


class AppealCountRow(BaseModel):
    key: str
    received: int
    handled: int


class AppealStats(BaseModel):
    received: int
    handled: int
    on_time: int
    on_time_rate: float | None = Field(description="Handled by the due date / handled")
    rated: int
    satisfied: int
    satisfaction_rate: float | None = Field(description="满意 or 基本满意 / rated")
    amount_recovered_yi_yuan: float = Field(description="Money recovered for the people, in 亿元")
    by_department: list[AppealCountRow]
    by_category: list[AppealCountRow]
    by_month: list[AppealCountRow] = Field(description="By month of submission (China time), YYYY-MM")


AppealPage = Page[AppealSummary]
