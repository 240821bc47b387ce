"""Generated 政务公开 articles: deterministic, realistic, and as many as a benchmark needs.

Article n is always the same article: the stream is cut into families (a policy with its revision,
replacement or interpretation; a notice; a news item), each drawn from a random generator seeded by its
first id, and document numbers count up along the stream. Seeding "up to N" therefore tops up a
database: it regenerates the stream and inserts only the ids above the last one present.
"""

import dataclasses
import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Iterator

from sqlalchemy import Engine, text

from api_client.models import Validity
from server.articles.ingest import ArticleDraft, AttachmentDraft, Supersession, insert_articles, last_article_id
from server.core.http_cache import content_changed
from server.seed.article_vocabulary import (
    ADDRESSEES,
    CATEGORIES,
    CITIES,
    DOCUMENT_PREFIXES,
    INTERPRETATION_TITLES,
    NEWS_TITLES,
    NOTICE_ACTIONS,
    ONLINE_CHANNELS,
    PAYMENT_SCHEDULES,
    POLICY_FORMS,
    POLICY_VERBS,
    PROVINCE,
    PROVINCE_SHORT,
    TOPIC_VOCABULARIES,
    Subject,
    TopicVocabulary,
)
from server.seed.departments import DEPARTMENTS

FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
BATCH_SIZE = 5000
BULK_CACHE_KIB = 512 * 1024
_NAMES = {code: (name, short) for code, name, short in DEPARTMENTS}
_NUMERALS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (up to 99, enough for articles and sections)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _amounts(rng: random.Random, count: int) -> list[int]:
    """Monthly amounts in yuan, rising by category, in tens as published tables have them."""
    amounts = [rng.randrange(150, 900, 10)]
    for _ in range(count - 1):
        amounts.append(amounts[-1] + rng.randrange(40, 120, 10))
    return amounts


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


class _DocumentNumbers:
    """文号 count up per issuing prefix and year, with the gaps real registers have."""

    def __init__(self) -> None:
        self._last: Counter[tuple[str, int]] = Counter()

    def next(self, rng: random.Random, department: str, year: int) -> str:
        prefix = DOCUMENT_PREFIXES[department]
        self._last[prefix, year] += rng.randint(1, 3)
        return f"{prefix}发〔{year}〕{self._last[prefix, year]}号"


class _Family:
    """The articles that start at one id: drawn from one seeded generator."""

    def __init__(self, first_id: int, numbers: _DocumentNumbers) -> None:
        self.rng = random.Random(f"yiwang-articles:{first_id}")
        self.next_id = first_id
        self.numbers = numbers
        self.topic: TopicVocabulary = self.rng.choice(TOPIC_VOCABULARIES)
        self.subject: Subject = self.rng.choice(self.topic.subjects)
        self.department = self.rng.choice(self.topic.departments)
        other = self.rng.choice(TOPIC_VOCABULARIES)
        self.topics = (
            (self.topic.code,) if other is self.topic or self.rng.random() < 0.7 else (self.topic.code, other.code)
        )
        self.articles: list[ArticleDraft] = []

    @property
    def department_name(self) -> str:
        return _NAMES[self.department][0]

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1

    def pick(self, options: tuple[str, ...] | list[str], count: int) -> list[str]:
        return self.rng.sample(list(options), min(count, len(options)))

    def attachments(self, article_id: int, names: list[str]) -> tuple[AttachmentDraft, ...]:
        return tuple(
            AttachmentDraft(
                name=f"附件{n}：{name}.pdf",
                size_bytes=self.rng.randint(40_000, 2_500_000),
                url=f"/files/articles/{article_id}/attachment-{n}.pdf",
            )
            for n, name in enumerate(names, 1)
        )


def article_stream() -> Iterator[ArticleDraft]:
    """Every generated article, in id order, from id 1 on, forever."""
    numbers = _DocumentNumbers()
    next_id = 1
    while True:
        family = _Family(next_id, numbers)
        roll = family.rng.random()
        if roll < 0.45:
            _policy_family(family)
        elif roll < 0.75:
            _notice(family)
        else:
            _news(family)
        yield from family.articles
        next_id = family.next_id


def _policy_family(family: _Family) -> None:
    rng = family.rng
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    form = rng.choice(POLICY_FORMS)
    original = _policy(family, published, form, revision_of=None)
    family.articles.append(original)
    roll = rng.random()
    revision_day = published + dt.timedelta(days=rng.randint(300, 900))
    latest = original
    if roll < 0.18 and revision_day <= LAST_DAY:
        amended = roll < 0.12
        revised_form = form if amended else rng.choice(POLICY_FORMS)
        latest = _policy(family, revision_day, revised_form, revision_of=original, amended=amended)
        family.articles.append(latest)
    elif roll < 0.22 and published.year < 2023:
        family.articles[0] = dataclasses.replace(original, validity="repealed")
        latest = family.articles[0]
    if rng.random() < 0.4:
        family.articles.append(_interpretation(family, latest))


def _policy_title(family: _Family, form: str) -> str:
    subject = family.subject.name
    style = family.rng.randrange(3)
    if style == 0:
        return f"{PROVINCE}{subject}{form}"
    if style == 1:
        return f"关于{family.rng.choice(POLICY_VERBS)}{subject}工作的{form if form.startswith('实施意见') else '通知'}"
    return f"{PROVINCE}关于印发《{subject}{form}》的通知"


def _policy(
    family: _Family, published: dt.date, form: str, revision_of: ArticleDraft | None, amended: bool = False
) -> ArticleDraft:
    rng, subject, topic = family.rng, family.subject, family.topic
    article_id = family.take_id()
    if revision_of is not None and amended:
        title = f"{PROVINCE}{subject.name}{form}（{published.year}年修订）"
    else:
        title = _policy_title(family, form)
    number = family.numbers.next(rng, family.department, published.year)
    measure = rng.choice(topic.measures)
    law, second_law = family.pick(topic.laws, 2)
    conditions = family.pick(topic.conditions, rng.randint(2, 4))
    materials = family.pick(topic.materials, rng.randint(3, 5))
    channel = rng.choice(ONLINE_CHANNELS)
    days = rng.choice((5, 7, 10, 15, 20))
    effective = published + dt.timedelta(days=rng.choice((0, 15, 30, 60)))
    years = rng.choice((3, 5))
    rows = "\n".join(
        f"| {category} | 每人每月{amount}元 | {rng.choice(PAYMENT_SCHEDULES)} |"
        for category, amount in zip(CATEGORIES, _amounts(rng, len(CATEGORIES)), strict=True)
    )
    numbered = [
        f"为{measure}，保障{subject.applicants}的合法权益，根据《{law}》《{second_law}》等法律法规，结合本省实际，制定本办法。",
        f"本办法适用于本省行政区域内{subject.name}的申请、审核、发放和监督管理。",
        f"{family.department_name}负责全省{subject.name}的统筹管理工作；各市、县（市、区）相关部门负责本行政区域内的具体实施。",
        "符合下列条件的，可以申请"
        + subject.benefit
        + "：\n\n"
        + "\n".join(f"（{chinese_number(i)}）{c}；" for i, c in enumerate(conditions, 1)),
        f"{subject.benefit}实行分类保障，具体标准如下：\n\n| 类别 | 标准 | 发放方式 |\n| --- | --- | --- |\n{rows}\n\n"
        "标准根据经济社会发展水平适时调整。",
        f"申请人可通过{channel}或户籍所在地、居住地政务服务中心提出申请，并提交下列材料：\n\n"
        + "\n".join(f"- {m}" for m in materials)
        + "\n\n能够通过部门间数据共享获取的材料，不再要求申请人提供。",
        f"受理部门应当自受理之日起{chinese_number(days)}个工作日内作出决定；不予批准的，应当书面说明理由。",
        f"以虚报、隐瞒、伪造等手段骗取{subject.benefit}的，由相关部门依法追回，并依照有关规定记入信用记录。",
        f"本办法由{family.department_name}负责解释。",
        f"本办法自{chinese_date(effective)}起施行，有效期{chinese_number(years)}年。",
    ]
    supersedes = None
    if revision_of is not None:
        validity: Validity = "amended" if amended else "repealed"
        supersedes = Supersession(revision_of.id, validity)
        numbered[-1] += f"《{revision_of.title}》（{revision_of.document_number}）同时废止。"
    chapters = [("总则", 0, 3), ("申请条件和保障标准", 3, 5), ("办理程序", 5, 7), ("监督管理", 7, 8), ("附则", 8, 10)]
    sections = [
        rng.choice(ADDRESSEES).format(department_generic="人力资源社会保障局" if topic.code == "jycy" else "有关部门"),
        f"现将《{subject.name}{form}》印发给你们，请结合实际认真贯彻执行。",
    ]
    for chapter_no, (chapter, start, end) in enumerate(chapters, 1):
        sections.append(f"## 第{chinese_number(chapter_no)}章 {chapter}")
        sections.extend(f"**第{chinese_number(i + 1)}条** {numbered[i]}" for i in range(start, end))
    sections.append(f"{family.department_name}\n\n{chinese_date(published)}")
    summary = (
        f"为{measure}，{family.department_name}制定{subject.name}{form}，明确{subject.benefit}的申请条件、"
        f"保障标准和办理程序，自{chinese_date(effective)}起施行。"
    )
    return ArticleDraft(
        id=article_id,
        kind="policy",
        title=title,
        summary=summary,
        body="\n\n".join(sections),
        department_code=family.department,
        published_on=published,
        document_number=number,
        written_on=published - dt.timedelta(days=rng.randint(2, 15)),
        topics=family.topics,
        attachments=family.attachments(
            article_id, [f"{subject.name}申请表", f"{subject.benefit}办理流程图"][: rng.randint(0, 2)]
        ),
        supersedes=supersedes,
    )


def _interpretation(family: _Family, policy: ArticleDraft) -> ArticleDraft:
    rng, subject, topic = family.rng, family.subject, family.topic
    article_id = family.take_id()
    short_title = policy.title.removeprefix(f"{PROVINCE}关于印发《").removesuffix("》的通知")
    published = min(policy.published_on + dt.timedelta(days=rng.randint(0, 7)), LAST_DAY)
    questions = [
        (
            f"哪些人可以申请{subject.benefit}？",
            f"{subject.applicants}，同时满足{'、'.join(family.pick(topic.conditions, 2))}等条件的，可以申请。",
        ),
        (
            f"{subject.benefit}在哪里办理？",
            f"可以通过{'、'.join(family.pick(ONLINE_CHANNELS, 2))}在线办理，也可以到政务服务中心窗口办理。",
        ),
        ("需要准备哪些材料？", "、".join(family.pick(topic.materials, 3)) + "。已经实现数据共享的材料无需重复提交。"),
    ]
    body = "\n\n".join(
        [
            "## 一、出台背景",
            f"近年来，{PROVINCE_SHORT}{subject.name}工作取得积极成效，但仍存在办理环节多、标准不统一等问题。"
            f"为{rng.choice(topic.measures)}，{family.department_name}研究制定了《{short_title}》。",
            "## 二、主要内容",
            f"《{short_title}》共五章十条，明确了适用范围、申请条件、保障标准、办理程序和监督管理等内容。",
            "## 三、常见问题",
            *(f"**问：{q}**\n\n答：{a}" for q, a in questions),
            f"政策原文：《{policy.title}》（{policy.document_number}）",
        ]
    )
    return ArticleDraft(
        id=article_id,
        kind="interpretation",
        title=rng.choice(INTERPRETATION_TITLES).format(title=short_title),
        summary=f"{family.department_name}就《{short_title}》的出台背景、主要内容和{subject.benefit}办理中的常见问题作出解读。",
        body=body,
        department_code=family.department,
        published_on=published,
        topics=family.topics,
        interprets_id=policy.id,
    )


def _notice(family: _Family) -> None:
    rng, subject, topic = family.rng, family.subject, family.topic
    article_id = family.take_id()
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    action = rng.choice(NOTICE_ACTIONS).format(year=published.year, subject=subject.name)
    title = f"关于{action}的{rng.choice(('通知', '通知', '公告'))}"
    deadline = published + dt.timedelta(days=rng.randint(15, 60))
    materials = family.pick(topic.materials, 3)
    body = "\n\n".join(
        [
            rng.choice(ADDRESSEES).format(department_generic="有关部门"),
            f"为{rng.choice(topic.measures)}，根据《{rng.choice(topic.laws)}》有关规定，现就{action}有关事项通知如下：",
            "## 一、对象范围",
            f"{subject.applicants}。",
            "## 二、办理条件",
            "\n".join(f"{i}. {c}；" for i, c in enumerate(family.pick(topic.conditions, 3), 1)),
            "## 三、时间安排",
            f"自即日起至{chinese_date(deadline)}止。逾期未办理的，视为自动放弃。",
            "## 四、办理方式",
            f"申请人可通过{rng.choice(ONLINE_CHANNELS)}在线办理，也可携带{'、'.join(materials)}到当地政务服务中心办理。",
            "## 五、工作要求",
            "各地要高度重视，加强政策宣传，落实“一次告知”，确保符合条件的群众应享尽享。",
            f"咨询电话：024-2288{rng.randrange(10_000):04d}",
            f"{family.department_name}\n\n{chinese_date(published)}",
        ]
    )
    family.articles.append(
        ArticleDraft(
            id=article_id,
            kind="notice",
            title=title,
            summary=f"{family.department_name}部署{action}，办理截止日期为{chinese_date(deadline)}。",
            body=body,
            department_code=family.department,
            published_on=published,
            written_on=published - dt.timedelta(days=rng.randint(1, 7)),
            topics=family.topics,
            attachments=family.attachments(article_id, [f"{subject.name}申请表", "材料清单"][: rng.randint(0, 2)]),
        )
    )


def _news(family: _Family) -> None:
    rng, subject, topic = family.rng, family.subject, family.topic
    article_id = family.take_id()
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    count = rng.randint(3, 480)
    city = rng.choice(CITIES)
    title = rng.choice(NEWS_TITLES).format(
        department=_NAMES[family.department][1],
        province=PROVINCE_SHORT,
        city=city,
        subject=subject.name,
        benefit=subject.benefit,
        count=count,
        year=published.year,
    )
    percent = rng.randint(3, 40)
    body = "\n\n".join(
        [
            f"{chinese_date(published)}，{family.department_name}介绍，今年以来{PROVINCE_SHORT}围绕{rng.choice(topic.measures)}，"
            f"扎实推进{subject.name}工作，累计惠及群众{count}万人次，同比增长{percent}%。",
            f"在{city}政务服务中心，前来办理{subject.benefit}的市民告诉记者：“现在通过{rng.choice(ONLINE_CHANNELS)}"
            "就能办，材料少了，跑腿也少了。”",
            f"下一步，{_NAMES[family.department][1]}将{rng.choice(topic.measures)}，持续提升{subject.name}服务水平，"
            "让群众办事更方便、更快捷。",
        ]
    )
    family.articles.append(
        ArticleDraft(
            id=article_id,
            kind="news",
            title=title,
            summary=f"{PROVINCE_SHORT}{subject.name}工作累计惠及群众{count}万人次，同比增长{percent}%。",
            body=body,
            department_code=family.department,
            published_on=published,
            topics=family.topics,
        )
    )


def seed_articles(
    engine: Engine, target: int, batch_size: int = BATCH_SIZE, progress: Callable[[int], object] | None = None
) -> int:
    """Top the database up to `target` generated articles; returns how many were added."""
    with engine.connect() as connection:
        present = last_article_id(connection)
    if present >= target:
        return 0
    batch: list[ArticleDraft] = []
    for draft in article_stream():
        if draft.id > target:
            break
        if draft.id > present:
            batch.append(draft)
        if len(batch) >= batch_size:
            _insert_batch(engine, batch)
            batch = []
            if progress is not None:
                progress(draft.id)
    if batch:
        _insert_batch(engine, batch)
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))
    else:
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))
    content_changed()
    return target - present


def _insert_batch(engine: Engine, batch: list[ArticleDraft]) -> None:
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            # The posting index outgrows SQLite's default 2 MB page cache after a few thousand articles.
            connection.exec_driver_sql(f"PRAGMA cache_size=-{BULK_CACHE_KIB}")
        insert_articles(connection, batch)
