"""网上办事: the service catalogue. An item's guide (办事指南) also defines its application form and materials."""

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from api_client.models.departments import Department

ItemType = Literal["licensing", "confirmation", "payment", "adjudication", "public_service", "other"]
Audience = Literal["person", "business"]
FormFieldType = Literal["text", "textarea", "id_number", "phone", "email", "date", "amount", "integer", "select"]
ProfileField = Literal["name", "id_number", "phone", "address", "email"]
MaterialForm = Literal["original", "copy", "original_and_copy", "electronic"]
FileFormat = Literal["pdf", "jpeg", "png"]
FILE_FORMATS: tuple[FileFormat, ...] = ("pdf", "jpeg", "png")

ITEM_TYPE_LABELS: dict[ItemType, str] = {
    "licensing": "行政许可",
    "confirmation": "行政确认",
    "payment": "行政给付",
    "adjudication": "行政裁决",
    "public_service": "公共服务",
    "other": "其他行政权力",
}
AUDIENCE_LABELS: dict[Audience, str] = {"person": "个人", "business": "法人"}
MATERIAL_FORM_LABELS: dict[MaterialForm, str] = {
    "original": "原件",
    "copy": "复印件",
    "original_and_copy": "原件及复印件",
    "electronic": "电子材料",
}


class FormField(BaseModel):
    """One field of an item's application form; the server validates submissions against it, the app renders it."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", examples=["applicant_name"])
    label: str = Field(examples=["申请人姓名"])
    type: FormFieldType
    required: bool = True
    max_length: int | None = Field(None, description="For text, textarea: at most this many characters")
    min_value: float | None = Field(None, description="For amount, integer")
    max_value: float | None = Field(None, description="For amount, integer")
    options: list[str] = Field(default_factory=list, description="For select: the allowed values")
    prefill: ProfileField | None = Field(None, description="The profile field the app fills this from")
    help: str | None = Field(None, description="A hint shown under the field")


class Material(BaseModel):
    """A document the applicant provides (申请材料)."""

    key: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", examples=["id_card"])
    name: str = Field(examples=["居民身份证"])
    required: bool = True
    form: MaterialForm = "copy"
    count: int = Field(1, ge=1)
    formats: list[FileFormat] = Field(default_factory=lambda: list(FILE_FORMATS))
    note: str | None = None


class ServiceItemSummary(BaseModel):
    """A catalogue entry: enough to choose an item from a list."""

    code: str = Field(description="事项编码", examples=["11210000MB0123456X4000117001"])
    name: str = Field(examples=["失业保险金申领"])
    type: ItemType
    department: Department = Field(description="The implementing department (实施主体)")
    audience: Audience
    themes: list[str] = Field(description="Life-event themes, e.g. 就业创业, 设立变更")
    promised_days: int = Field(description="承诺办结时限, working days (0: 即办)")
    online: bool = Field(description="全程网办: can be completed online with no visit")
    visits: int = Field(ge=0, le=2, description="最多跑动次数")


class ServiceItemGuide(ServiceItemSummary):
    """办事指南: everything a citizen needs to know before applying, and the form to apply with."""

    statutory_days: int = Field(description="法定办结时限, working days")
    fee: str = Field(description="收费标准, or 不收费")
    conditions: list[str] = Field(description="受理条件")
    materials: list[Material]
    steps: list[str] = Field(description="办理流程")
    legal_basis: list[str] = Field(description="设定依据")
    hall_address: str
    hall_hours: str
    consult_phone: str
    complaint_phone: str
    approving_departments: list[Department] = Field(
        description="Departments that approve in parallel (并联审批); the implementing department is one of them"
    )
    form: list[FormField]


ItemSort = Literal["popular", "catalogue"]


class ServiceItemFilters(BaseModel):
    """Query parameters of GET /service-items; they combine with AND."""

    model_config = ConfigDict(frozen=True)

    department: str | None = Field(None, max_length=32, description="Department code")
    theme: str | None = Field(None, max_length=16, description="Life-event theme name, e.g. 社会保障")
    audience: Audience | None = None
    online: bool | None = Field(None, description="true: only items that can be completed online")
    sort: ItemSort = Field("popular", description="popular: hot items first; catalogue: by department, then code")


class ServiceTheme(BaseModel):
    """A life-event theme to browse by (生育收养 for people, 设立变更 for businesses)."""

    name: str
    audience: Audience
