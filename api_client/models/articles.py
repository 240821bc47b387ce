"""政务公开: policy documents, notices, news and interpretations."""

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from api_client.models.common import LongText, SingleLineText
from api_client.models.departments import Department

ArticleKind = Literal["policy", "notice", "news", "interpretation"]
Validity = Literal["valid", "amended", "repealed"]

ARTICLE_KIND_LABELS: dict[ArticleKind, str] = {
    "policy": "政策文件",
    "notice": "通知公告",
    "news": "新闻动态",
    "interpretation": "政策解读",
}
VALIDITY_LABELS: dict[Validity, str] = {"valid": "有效", "amended": "已修订", "repealed": "已废止"}


class Topic(BaseModel):
    code: str = Field(examples=["shbz"])
    name: str = Field(examples=["社会保障"])


class ArticleSummary(BaseModel):
    """A list item: everything but the body."""

    id: int
    kind: ArticleKind
    title: str
    summary: str
    department: Department
    document_number: str | None = Field(
        None, description="文号, policy documents only", examples=["辽人社发〔2026〕12号"]
    )
    written_on: dt.date | None = Field(None, description="成文日期")
    published_on: dt.date
    validity: Validity
    topics: list[str] = Field(description="Topic codes, see /topics")


class ArticleRef(BaseModel):
    """Another article this one links to."""

    id: int
    kind: ArticleKind
    title: str
    document_number: str | None = None
    published_on: dt.date
    validity: Validity


class Attachment(BaseModel):
    name: str = Field(examples=["附件1：申请表.pdf"])
    size_bytes: int
    url: str


class ArticleDetail(ArticleSummary):
    body: str = Field(description="Markdown: headings, lists and tables")
    attachments: list[Attachment]
    superseded_by: ArticleRef | None = Field(None, description="The document that amended or replaced this one")
    supersedes: list[ArticleRef] = Field(description="Documents this one amended or replaced")
    interprets: ArticleRef | None = Field(None, description="For an interpretation: the policy it explains")
    interpretations: list[ArticleRef] = Field(description="For a policy: the interpretations of it")


class ArticleFilters(BaseModel):
    """Query parameters of GET /articles; every filter is optional and they combine with AND."""

    model_config = ConfigDict(frozen=True)

    kind: ArticleKind | None = None
    department: SingleLineText | None = Field(None, max_length=32, description="Department code, e.g. rst")
    topic: SingleLineText | None = Field(None, max_length=16, description="Topic code, see /topics")
    validity: Validity | None = None
    published_from: dt.date | None = Field(None, description="Published on or after this day")
    published_to: dt.date | None = Field(None, description="Published on or before this day")


DocumentNumber = Annotated[SingleLineText, Field(min_length=3, max_length=64, examples=["辽人社发〔2026〕12号"])]
TopicCodes = Annotated[list[Annotated[SingleLineText, Field(max_length=16)]], Field(max_length=5)]
ArticleTitle = Annotated[SingleLineText, Field(min_length=2, max_length=200)]
ArticleSummaryText = Annotated[LongText, Field(max_length=500)]
ArticleBody = Annotated[LongText, Field(min_length=1, max_length=200_000, description="Markdown")]


class ArticleCreate(BaseModel):
    """POST /articles: a document a department publishes; it is published today (China's date)."""

    model_config = ConfigDict(extra="forbid")

    kind: ArticleKind
    title: ArticleTitle
    summary: ArticleSummaryText = Field("", description="Empty: the opening words of the body")
    body: ArticleBody
    department: Annotated[SingleLineText, Field(max_length=32)] | None = Field(
        None,
        description="Department code; officers publish for their own department (may be left out), admins name one",
    )
    document_number: DocumentNumber | None = Field(None, description="文号, required for policy documents")
    written_on: dt.date | None = Field(None, description="成文日期, not after today")
    topics: TopicCodes = Field(min_length=1, description="Topic codes, see /topics")
    interprets_id: int | None = Field(None, ge=1, le=2**31 - 1, description="For an interpretation: the policy")


class ArticleUpdate(BaseModel):
    """PATCH /articles/{id}: the fields sent are changed, the others kept."""

    model_config = ConfigDict(extra="forbid")

    title: ArticleTitle | None = None
    summary: ArticleSummaryText | None = None
    body: ArticleBody | None = None
    document_number: DocumentNumber | None = None
    written_on: dt.date | None = None
    topics: Annotated[TopicCodes, Field(min_length=1)] | None = None


class ArticleRepeal(BaseModel):
    """POST /articles/{id}/repeal: the document is no longer in force (已废止), or was amended by another (已修订)."""

    model_config = ConfigDict(extra="forbid")

    validity: Literal["amended", "repealed"]
    superseded_by_id: int | None = Field(
        None, ge=1, le=2**31 - 1, description="The document in force that replaces it; required when amended"
    )
