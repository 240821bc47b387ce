"""A small known set of articles, written by hand, that every article, search and client test loads.

Each article exists to prove one thing; the comment above it says which.
"""

import datetime as dt

from sqlalchemy import Engine

from server.articles.ingest import ArticleDraft, AttachmentDraft, Supersession, insert_articles
from server.config import Settings
from server.core.http_cache import content_changed
from server.db import make_engine

PENSION_BODY = """各市人民政府，省政府各厅委、各直属机构：

## 第一章 总则

**第一条** 为规范城乡居民基本养老保险经办服务，根据《中华人民共和国社会保险法》，制定本办法。

**第二条** 参保人员应当按年度缴费，缴费档次由参保人自主选择。

## 第二章 缴费标准

| 档次 | 年缴费额 |
| --- | --- |
| 一档 | 200元 |
| 二档 | 500元 |

**第三条** 本办法自2026年4月1日起施行。"""

CORPUS: list[ArticleDraft] = [
    # Newest pension policy: 养老保险, 缴费, a 文号 with 〔2026〕12号, attachments, supersedes #2, interpreted by #3.
    ArticleDraft(
        id=1,
        kind="policy",
        title="辽宁省城乡居民基本养老保险实施办法",
        summary="明确城乡居民基本养老保险的参保范围、缴费档次和待遇标准。",
        body=PENSION_BODY,
        department_code="rst",
        published_on=dt.date(2026, 3, 10),
        document_number="辽人社发〔2026〕12号",
        written_on=dt.date(2026, 3, 1),
        topics=("shbz", "ylfw"),
        attachments=(
            AttachmentDraft("附件1：参保登记表.pdf", 120_000, "/files/articles/1/attachment-1.pdf"),
            AttachmentDraft("附件2：缴费档次说明.pdf", 860_000, "/files/articles/1/attachment-2.pdf"),
        ),
        supersedes=Supersession(2, "amended"),
    ),
    # The earlier version, amended by #1: 已修订 with the superseding document linked.
    ArticleDraft(
        id=2,
        kind="policy",
        title="辽宁省城乡居民基本养老保险暂行办法",
        summary="城乡居民基本养老保险试行期间的参保和缴费规定。",
        body="**第一条** 城乡居民基本养老保险实行个人缴费、集体补助、政府补贴相结合。",
        department_code="rst",
        published_on=dt.date(2021, 5, 1),
        document_number="辽人社发〔2021〕7号",
        written_on=dt.date(2021, 4, 20),
        topics=("shbz",),
    ),
    # Interprets #1: links in both directions.
    ArticleDraft(
        id=3,
        kind="interpretation",
        title="《辽宁省城乡居民基本养老保险实施办法》政策解读",
        summary="解读养老保险缴费档次调整和待遇计发办法。",
        body="## 一、出台背景\n\n为完善城乡居民基本养老保险制度，省人力资源社会保障厅制定了实施办法。",
        department_code="rst",
        published_on=dt.date(2026, 3, 12),
        topics=("shbz",),
        interprets_id=1,
    ),
    # 社保 in the title: ranks above documents that mention 社保 only in their text.
    ArticleDraft(
        id=4,
        kind="notice",
        title="关于做好社保卡申领工作的通知",
        summary="第三代社保卡全面开放申领，可在线办理。",
        body="## 一、办理方式\n\n申请人可通过“辽事通”App申领社保卡，也可到社保经办机构窗口办理。",
        department_code="rst",
        published_on=dt.date(2025, 11, 20),
        written_on=dt.date(2025, 11, 18),
        topics=("shbz",),
    ),
    # 医保 (found by 醫保 typed in traditional characters) and a body with 社保 only in the text.
    ArticleDraft(
        id=5,
        kind="news",
        title="我省医保异地就医直接结算惠及群众30万人次",
        summary="今年以来，全省医保异地就医直接结算服务持续扩面。",
        body="参保人员持社保卡或医保电子凭证即可在定点医院直接结算。",
        department_code="ybj",
        published_on=dt.date(2026, 1, 5),
        topics=("ylws",),
    ),
    # 低保, repealed without a successor.
    ArticleDraft(
        id=6,
        kind="policy",
        title="辽宁省最低生活保障（低保）审核确认办法",
        summary="规范低保对象的申请、审核和确认程序。",
        body="**第一条** 共同生活的家庭成员人均收入低于当地低保标准的，可以申请低保。",
        department_code="mzt",
        published_on=dt.date(2024, 6, 18),
        document_number="辽民发〔2024〕33号",
        written_on=dt.date(2024, 6, 10),
        validity="repealed",
        topics=("shbz",),
    ),
    # 户口 and 落户 in the title, for both two-character words and pinyin (hukou).
    ArticleDraft(
        id=7,
        kind="notice",
        title="关于户口迁移和人才落户有关事项的通知",
        summary="进一步放宽人才落户条件，户口迁移实现跨省通办。",
        body="## 一、落户条件\n\n取得全日制大专以上学历的人员，可以在就业地落户。",
        department_code="gat",
        published_on=dt.date(2025, 4, 2),
        written_on=dt.date(2025, 3, 28),
        topics=("hjgl",),
    ),
    # 〔2026〕112号 must not match a search for 〔2026〕12号.
    ArticleDraft(
        id=8,
        kind="policy",
        title="辽宁省居住证办理实施细则",
        summary="居住证申领条件和办理流程。",
        body="**第一条** 在居住地居住半年以上的，可以申领居住证。",
        department_code="gat",
        published_on=dt.date(2026, 2, 1),
        document_number="辽公发〔2026〕112号",
        written_on=dt.date(2026, 1, 25),
        topics=("hjgl",),
    ),
    # 养老 and 保险 apart, never 养老保险: a phrase search must not find it.
    ArticleDraft(
        id=9,
        kind="notice",
        title="关于推进养老服务机构责任保险的通知",
        summary="鼓励养老机构投保责任保险，化解运营风险。",
        body="各养老机构应当按照自愿原则参加责任保险。",
        department_code="mzt",
        published_on=dt.date(2025, 9, 9),
        topics=("ylfw",),
    ),
    # 缴费 without 养老保险, and a "<" that snippets must escape.
    ArticleDraft(
        id=10,
        kind="news",
        title="社会保险费缴费指南发布",
        summary="灵活就业人员缴费基数<上限时按实际申报。",
        body="缴费可通过银行代扣或线上渠道办理。",
        department_code="swj",
        published_on=dt.date(2025, 7, 15),
        topics=("shbz",),
    ),
]

SEARCHABLE_IDS = {draft.id for draft in CORPUS}


def load_corpus(settings: Settings, drafts: list[ArticleDraft] | None = None) -> None:
    """Insert `drafts` (the corpus by default) as a write of this process would: commit, then invalidate."""
    engine = make_engine(settings.database_url)
    try:
        insert(engine, CORPUS if drafts is None else drafts)
    finally:
        engine.dispose()


def insert(engine: Engine, drafts: list[ArticleDraft]) -> None:
    with engine.begin() as connection:
        insert_articles(connection, drafts)
    content_changed()


def extra_article(
    article_id: int, published_on: dt.date, title: str = "关于开展养老保险待遇资格认证的通知"
) -> ArticleDraft:
    return ArticleDraft(
        id=article_id,
        kind="notice",
        title=title,
        summary="领取待遇人员每年认证一次。",
        body="可通过手机App完成认证。",
        department_code="rst",
        published_on=published_on,
        topics=("shbz",),
    )
