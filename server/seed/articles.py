"""Generated 政务公开 articles: deterministic, realistic, and as many as a benchmark needs.

Article n is always the same article: the stream is cut into families (a policy with its revision or
interpretation; a notice; a news item), each drawn from a random generator seeded by its first id, and
what the whole corpus must keep consistent is carried along the stream (`_Register`): document numbers
count up, no title is used twice, and each named measure (辽宁省失业保险实施办法) is a series whose later
versions amend or replace the earlier ones, so only its newest version is 有效. Seeding "up to N" therefore
tops up a database: it regenerates the stream and inserts only the ids above the last one present.

Every subject has its competent departments and its own provisions (benefit tiers by region, payment
ratios by hospital level, fees of services), see `server.seed.article_vocabulary`.
"""

import datetime as dt
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from sqlalchemy import Engine, text

from server.articles.ingest import ArticleDraft, AttachmentDraft, Supersession, insert_articles, last_article_id
from server.core.http_cache import content_changed
from server.seed.article_vocabulary import (
    ADDRESSEES,
    BATCH_NOTICE,
    CIRCULAR_TASKS,
    CITIES,
    DOCUMENT_PREFIXES,
    INTERPRETATION_TITLES,
    NEWS_TITLES,
    NOTICE_ACTIONS,
    ONLINE_CHANNELS,
    POLICY_FORMS,
    POLICY_VERBS,
    PROVINCE,
    PROVINCE_SHORT,
    SERVICE_TASKS,
    TOPIC_VOCABULARIES,
    ItemTable,
    PolicyForm,
    Provision,
    ServiceTable,
    Subject,
    TierTable,
    TopicVocabulary,
)
from server.seed.departments import DEPARTMENTS

FIRST_DAY = dt.date(2019, 1, 1)
LAST_DAY = dt.date(2026, 10, 31)
REVISION_GAP = dt.timedelta(days=365)  # a measure is revised a year after its last version at the earliest
BATCH_SIZE = 5000
BULK_CACHE_KIB = 512 * 1024
_NAMES = {code: (name, short) for code, name, short in DEPARTMENTS}
_NUMERALS = "零一二三四五六七八九"
_DOUBLED = re.compile(r"([\u4e00-\u9fff]{2,6})\1")


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (up to 99, enough for articles and sections)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _NUMERALS[ones]
    return ("" if tens == 1 else _NUMERALS[tens]) + "十" + (_NUMERALS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def tidy(text: str) -> str:
    """Joins of template and subject never double a word: 资格认证资格认证 → 资格认证, 管理管理规定 → 管理规定."""
    return _DOUBLED.sub(r"\1", text)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _draw(rng: random.Random, low: int, high: int, quantum: int) -> int:
    return low if low >= high else rng.randrange(low, high + 1, quantum)


def provision_table(rng: random.Random, provision: Provision) -> str:
    """The subject's own table: ordered tiers, separate items with their figures, or services and fees."""
    if isinstance(provision, TierTable):
        columns: list[list[int]] = []
        for column in provision.columns:
            if column.fixed:
                values = list(column.fixed[: len(provision.tiers)])
            elif column.percent_of is not None:
                source, percent = column.percent_of
                values = [round(value * percent / 100) for value in columns[source]]
            else:
                values = [_draw(rng, *column.first, column.quantum)]
                for _ in provision.tiers[1:]:
                    values.append(values[-1] + _draw(rng, *column.step, column.quantum))
            columns.append(values)
        header = [provision.tier_header, *(column.name for column in provision.columns)]
        rows = [
            [tier, *(f"{columns[c][t]}{column.unit}" for c, column in enumerate(provision.columns))]
            for t, tier in enumerate(provision.tiers)
        ]
    elif isinstance(provision, ItemTable):
        header = list(provision.header)
        rows = [[item, f"{_draw(rng, *span)}{unit}"] for item, span, unit in provision.rows]
    else:
        header = ["办理事项", "办理渠道", "办结时限", "收费标准"]
        rows = [
            [
                item,
                rng.choice(("线上、线下", "“辽事通”App", "政务服务中心窗口")),
                rng.choice(("即时办结", "1个工作日", "3个工作日", "5个工作日")),
                fee,
            ]
            for item, fee in provision.rows
        ]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return provision.caption + "\n\n" + "\n".join(lines)


@dataclass
class _Version:
    """The newest version of a named measure; a series whose newest version was repealed is closed."""

    draft: ArticleDraft
    closed: bool = False


class _Register:
    """What the whole stream keeps consistent: 文号 per prefix and year, used titles, series of measures."""

    def __init__(self) -> None:
        self._last_number: Counter[tuple[str, int]] = Counter()
        self._titles: set[str] = set()
        self._batches: Counter[tuple[int, str]] = Counter()
        self.series: dict[str, _Version] = {}
        self.subject_series: dict[str, str] = {}  # subject → the name of its newest measure still in force

    def number(self, rng: random.Random, department: str, year: int) -> str:
        prefix = DOCUMENT_PREFIXES[department]
        self._last_number[prefix, year] += rng.randint(1, 3)
        return f"{prefix}发〔{year}〕{self._last_number[prefix, year]}号"

    def claim(self, title: str) -> bool:
        """True (and the title is taken) when no article has it yet."""
        if title in self._titles:
            return False
        self._titles.add(title)
        return True

    def batch(self, year: int, subject: str) -> int:
        self._batches[year, subject] += 1
        return self._batches[year, subject]


class _Family:
    """The articles that start at one id: drawn from one seeded generator."""

    def __init__(self, first_id: int, register: _Register) -> None:
        self.rng = random.Random(f"yiwang-articles:{first_id}")
        self.next_id = first_id
        self.register = register
        self.topic: TopicVocabulary = self.rng.choice(TOPIC_VOCABULARIES)
        self.subject: Subject = self.rng.choice(self.topic.subjects)
        self.department = self.rng.choice(self.subject.departments)
        other = self.rng.choice(TOPIC_VOCABULARIES)
        self.topics = (
            (self.topic.code,) if other is self.topic or self.rng.random() < 0.7 else (self.topic.code, other.code)
        )
        self.articles: list[ArticleDraft] = []

    @property
    def department_name(self) -> str:
        return _NAMES[self.department][0]

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.subject.conditions or self.topic.conditions

    @property
    def materials(self) -> tuple[str, ...]:
        return self.subject.materials or self.topic.materials

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
    register = _Register()
    next_id = 1
    while True:
        family = _Family(next_id, register)
        roll = family.rng.random()
        if roll < 0.45:
            _policy_family(family)
        elif roll < 0.75:
            _notice(family)
        else:
            _news(family)
        yield from family.articles
        next_id = family.next_id


@dataclass(frozen=True)
class _Plan:
    """The next version of a measure: its name, form, day, and the version it amends or replaces."""

    name: str
    form: PolicyForm
    published: dt.date
    previous: ArticleDraft | None = None
    amended: bool = False


def _plan_measure(family: _Family) -> _Plan | None:
    """A new measure of the subject, or the next version of one in force; None when the subject has no room left."""
    rng, register = family.rng, family.register
    forms = list(POLICY_FORMS)
    rng.shuffle(forms)
    for form in forms:
        name = tidy(f"{PROVINCE}{family.subject.name}{form.name}")
        version = register.series.get(name)
        if version is None:
            published = _day_between(rng, FIRST_DAY, LAST_DAY)
            current = register.series.get(register.subject_series.get(family.subject.name, ""))
            if current is not None and rng.random() < 0.3 and current.draft.published_on + REVISION_GAP <= published:
                return _Plan(name, form, published, previous=current.draft)  # replaces the subject's measure
            return _Plan(name, form, published)
        earliest = version.draft.published_on + REVISION_GAP
        if not version.closed and earliest <= LAST_DAY:
            published = _day_between(rng, earliest, min(earliest + dt.timedelta(days=900), LAST_DAY))
            return _Plan(name, form, published, previous=version.draft, amended=True)
    return None


def _policy_family(family: _Family) -> None:
    rng, register = family.rng, family.register
    plan = _plan_measure(family)
    if plan is None:
        _circular(family)
        return
    latest = _measure(family, plan)
    family.articles.append(latest)
    revision_day = latest.published_on + REVISION_GAP + dt.timedelta(days=rng.randint(0, 500))
    if rng.random() < 0.15 and revision_day <= LAST_DAY:
        latest = _measure(family, _Plan(plan.name, plan.form, revision_day, previous=latest, amended=True))
        family.articles.append(latest)
    elif rng.random() < 0.05 and latest.published_on.year < 2023:
        latest = replace(latest, validity="repealed")  # repealed outright, without a successor
        family.articles[-1] = latest
        register.series[plan.name].closed = True
        register.subject_series.pop(family.subject.name, None)
    if rng.random() < 0.4:
        family.articles.append(_interpretation(family, latest))


def _measure(family: _Family, plan: _Plan) -> ArticleDraft:
    rng, subject, topic, register = family.rng, family.subject, family.topic, family.register
    article_id = family.take_id()
    form, published = plan.form, plan.published
    versioned = f"{plan.name}（{published.year}年修订）" if plan.amended else plan.name
    wrapped = rng.random() < 0.4
    title = f"{PROVINCE}关于印发《{versioned.removeprefix(PROVINCE)}》的通知" if wrapped else versioned
    if not register.claim(title):
        title = f"{PROVINCE}关于印发《{versioned}》的通知" if not wrapped else versioned
        register.claim(title)
    number = register.number(rng, family.department, published.year)
    effective = published + dt.timedelta(days=rng.choice((0, 15, 30, 60)))
    itself = form.self_reference
    clauses = _measure_clauses(family, itself, effective)
    supersedes = None
    if plan.previous is not None:
        supersedes = Supersession(plan.previous.id, "amended" if plan.amended else "repealed")
        clauses[-1] += f"《{plan.previous.title}》（{plan.previous.document_number}）同时废止。"
        if not plan.amended:  # the replaced measure's series ends here
            for name, version in register.series.items():
                if version.draft.id == plan.previous.id:
                    register.series[name].closed = True
    sections: list[str] = []
    if wrapped:
        sections += [
            rng.choice(ADDRESSEES).format(department_generic="有关部门"),
            f"现将《{versioned.removeprefix(PROVINCE)}》印发给你们，请结合实际认真贯彻执行。",
            f"**{versioned}**",
        ]
    if form.chaptered:
        chapters = [("总则", 0, 3), ("申请条件和标准", 3, 5), ("办理程序", 5, 7), ("监督管理", 7, 8), ("附则", 8, 10)]
        for chapter_no, (chapter, start, end) in enumerate(chapters, 1):
            sections.append(f"## 第{chinese_number(chapter_no)}章 {chapter}")
            sections.extend(f"**第{chinese_number(i + 1)}条** {clauses[i]}" for i in range(start, end))
    else:
        sections.extend(f"**{chinese_number(i + 1)}、** {clause}" for i, clause in enumerate(clauses))
    sections.append(f"{family.department_name}\n\n{chinese_date(published)}")
    summary = (
        f"为{rng.choice(topic.measures)}，{family.department_name}制定《{versioned}》，明确{subject.benefit}的"
        f"适用范围、条件标准和办理程序，自{chinese_date(effective)}起施行。"
    )
    draft = ArticleDraft(
        id=article_id,
        kind="policy",
        title=tidy(title),
        summary=tidy(summary),
        body=tidy("\n\n".join(sections)),
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
    register.series[plan.name] = _Version(draft)
    register.subject_series[subject.name] = plan.name
    return draft


def _measure_clauses(family: _Family, itself: str, effective: dt.date) -> list[str]:
    rng, subject, topic = family.rng, family.subject, family.topic
    law, second_law = family.pick(topic.laws, 2)
    conditions = family.pick(family.conditions, rng.randint(2, 3))
    materials = family.pick(family.materials, rng.randint(2, 4))
    days = rng.choice((5, 7, 10, 15, 20))
    services = isinstance(subject.provision, ServiceTable)
    misconduct = (
        f"工作人员在{subject.name}工作中滥用职权、玩忽职守、徇私舞弊的，依法依规追究责任。"
        if services
        else f"以虚报、隐瞒、伪造等手段骗取{subject.benefit}的，由相关部门依法追回，并依照有关规定记入信用记录。"
    )
    return [
        f"为{rng.choice(topic.measures)}，保障{subject.applicants}的合法权益，根据《{law}》《{second_law}》等"
        f"法律法规，结合本省实际，制定{itself}。",
        f"{itself}适用于本省行政区域内{subject.name}相关工作。",
        f"{family.department_name}负责全省{subject.name}的统筹管理工作；各市、县（市、区）相关部门负责本行政区域内的具体实施。",
        "符合下列条件的，可以申请办理"
        + subject.benefit
        + "：\n\n"
        + "\n".join(f"（{chinese_number(i)}）{c}；" for i, c in enumerate(conditions, 1)),
        provision_table(rng, subject.provision)
        + ("\n\n各地可结合实际简化办理环节。" if services else "\n\n标准根据经济社会发展水平适时调整。"),
        f"申请人可通过{rng.choice(ONLINE_CHANNELS)}或户籍所在地、居住地政务服务中心提出申请，并提交下列材料：\n\n"
        + "\n".join(f"- {m}" for m in materials)
        + "\n\n能够通过部门间数据共享获取的材料，不再要求申请人提供。",
        f"受理部门应当自受理之日起{chinese_number(days)}个工作日内作出决定；不予批准的，应当书面说明理由。",
        misconduct,
        f"{itself}由{family.department_name}负责解释。",
        f"{itself}自{chinese_date(effective)}起施行，有效期{chinese_number(rng.choice((3, 5)))}年。",
    ]


def _circular(family: _Family) -> None:
    """A 通知 on this year's work of a subject, once its measures are all in force: 关于做好2024年…工作的通知."""
    rng, subject, topic, register = family.rng, family.subject, family.topic, family.register
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    tasks = SERVICE_TASKS if isinstance(subject.provision, ServiceTable) else CIRCULAR_TASKS
    for _attempt in range(4):
        action = tidy(f"{rng.choice(POLICY_VERBS)}{published.year}年{subject.name}{rng.choice(tasks)}工作")
        title = f"关于{action}的通知"
        if register.claim(title):
            break
    else:
        _batch_notice(family, published)
        return
    article_id = family.take_id()
    body = "\n\n".join(
        [
            rng.choice(ADDRESSEES).format(department_generic="有关部门"),
            f"为{rng.choice(topic.measures)}，根据《{rng.choice(topic.laws)}》有关规定，现就{action}有关事项通知如下：",
            "## 一、明确工作目标",
            f"各地要把{subject.name}作为保障和改善民生的重要工作，确保政策落实到位。",
            "## 二、落实政策标准",
            provision_table(rng, subject.provision),
            "## 三、优化办理流程",
            f"推行{rng.choice(ONLINE_CHANNELS)}在线办理，申请人需提供{'、'.join(family.pick(family.materials, 3))}。",
            "## 四、加强组织保障",
            "各地要加强督促指导，及时研究解决工作中遇到的问题，重要情况及时报告。",
            f"{family.department_name}\n\n{chinese_date(published)}",
        ]
    )
    family.articles.append(
        ArticleDraft(
            id=article_id,
            kind="policy",
            title=title,
            summary=tidy(f"{family.department_name}就{action}作出部署，明确工作目标、政策标准和办理流程。"),
            body=tidy(body),
            department_code=family.department,
            published_on=published,
            document_number=register.number(rng, family.department, published.year),
            written_on=published - dt.timedelta(days=rng.randint(2, 15)),
            topics=family.topics,
        )
    )
    if rng.random() < 0.15:
        family.articles.append(_interpretation(family, family.articles[-1]))


def _interpretation(family: _Family, policy: ArticleDraft) -> ArticleDraft:
    rng, subject, topic = family.rng, family.subject, family.topic
    article_id = family.take_id()
    cited = policy.title.removeprefix(f"{PROVINCE}关于印发《").removesuffix("》的通知")
    published = min(policy.published_on + dt.timedelta(days=rng.randint(0, 7)), LAST_DAY)
    questions = [
        (
            f"哪些人可以申请{subject.benefit}？",
            f"{subject.applicants}，同时满足{'、'.join(family.pick(family.conditions, 2))}等条件的，可以申请。",
        ),
        (
            f"{subject.benefit}在哪里办理？",
            f"可以通过{'、'.join(family.pick(ONLINE_CHANNELS, 2))}在线办理，也可以到政务服务中心窗口办理。",
        ),
        ("需要准备哪些材料？", "、".join(family.pick(family.materials, 3)) + "。已经实现数据共享的材料无需重复提交。"),
    ]
    body = "\n\n".join(
        [
            "## 一、出台背景",
            f"近年来，{PROVINCE_SHORT}{subject.name}工作取得积极成效，但仍存在办理环节多、标准不统一等问题。"
            f"为{rng.choice(topic.measures)}，{family.department_name}研究制定了《{cited}》。",
            "## 二、主要内容",
            f"《{cited}》明确了适用范围、申请条件、具体标准、办理程序和监督管理等内容。",
            "## 三、常见问题",
            *(f"**问：{q}**\n\n答：{a}" for q, a in questions),
            f"政策原文：《{policy.title}》（{policy.document_number}）",
        ]
    )
    title = rng.choice(INTERPRETATION_TITLES).format(title=cited)
    if not family.register.claim(title):
        title = f"《{cited}》政策解读（{published.year}年）"
        family.register.claim(title)
    return ArticleDraft(
        id=article_id,
        kind="interpretation",
        title=title,
        summary=tidy(
            f"{family.department_name}就《{cited}》的出台背景、主要内容和{subject.benefit}办理中的常见问题作出解读。"
        ),
        body=tidy(body),
        department_code=family.department,
        published_on=published,
        topics=family.topics,
        interprets_id=policy.id,
    )


def _notice(family: _Family) -> None:
    rng, subject, topic, register = family.rng, family.subject, family.topic, family.register
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    for _attempt in range(3):
        action = tidy(
            rng.choice(NOTICE_ACTIONS).format(year=published.year, subject=subject.name, city=rng.choice(CITIES))
        )
        title = f"关于{action}的{rng.choice(('通知', '通知', '公告'))}"
        if register.claim(title):
            break
    else:
        _batch_notice(family, published)
        return
    article_id = family.take_id()
    deadline = published + dt.timedelta(days=rng.randint(15, 60))
    body = "\n\n".join(
        [
            rng.choice(ADDRESSEES).format(department_generic="有关部门"),
            f"为{rng.choice(topic.measures)}，根据《{rng.choice(topic.laws)}》有关规定，现就{action}有关事项通知如下：",
            "## 一、对象范围",
            f"{subject.applicants}。",
            "## 二、办理条件",
            "\n".join(f"{i}. {c}；" for i, c in enumerate(family.pick(family.conditions, 3), 1)),
            "## 三、时间安排",
            f"自即日起至{chinese_date(deadline)}止。逾期未办理的，视为自动放弃。",
            "## 四、办理方式",
            f"申请人可通过{rng.choice(ONLINE_CHANNELS)}在线办理，也可携带{'、'.join(family.pick(family.materials, 3))}"
            "到当地政务服务中心办理。",
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
            summary=tidy(f"{family.department_name}部署{action}，办理截止日期为{chinese_date(deadline)}。"),
            body=tidy(body),
            department_code=family.department,
            published_on=published,
            written_on=published - dt.timedelta(days=rng.randint(1, 7)),
            topics=family.topics,
            attachments=family.attachments(article_id, [f"{subject.name}申请表", "材料清单"][: rng.randint(0, 2)]),
        )
    )


def _batch_notice(family: _Family, published: dt.date) -> None:
    """The results of one batch of a year's applications: unique by its batch number, as registers are."""
    rng, subject = family.rng, family.subject
    article_id = family.take_id()
    batch = family.register.batch(published.year, subject.name)
    action = tidy(f"公布{published.year}年第{batch}批{subject.name}办理结果")
    title = BATCH_NOTICE.format(year=published.year, batch=batch, subject=subject.name)
    family.register.claim(tidy(title))
    counts = "\n".join(f"| {city} | {rng.randint(20, 900)} |" for city in family.pick(CITIES, 4))
    body = "\n\n".join(
        [
            f"根据{subject.name}有关规定，现就{action}有关事项公告如下：",
            f"| 地区 | 办结件数 |\n| --- | --- |\n{counts}",
            f"对结果有异议的，可自公告之日起7个工作日内向{family.department_name}反映。",
            f"{family.department_name}\n\n{chinese_date(published)}",
        ]
    )
    family.articles.append(
        ArticleDraft(
            id=article_id,
            kind="notice",
            title=tidy(title),
            summary=tidy(f"{family.department_name}{action}。"),
            body=tidy(body),
            department_code=family.department,
            published_on=published,
            topics=family.topics,
        )
    )


def _news(family: _Family) -> None:
    rng, subject, topic = family.rng, family.subject, family.topic
    published = _day_between(rng, FIRST_DAY, LAST_DAY)
    count = rng.randint(3, 480)
    city = rng.choice(CITIES)
    for _attempt in range(4):
        title = tidy(
            rng.choice(NEWS_TITLES).format(
                department=_NAMES[family.department][1],
                province=PROVINCE_SHORT,
                city=city,
                subject=subject.name,
                benefit=subject.benefit,
                count=count,
                year=published.year,
            )
        )
        if family.register.claim(title):
            break
    else:
        _batch_notice(family, published)
        return
    article_id = family.take_id()
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
            summary=tidy(f"{PROVINCE_SHORT}{subject.name}工作累计惠及群众{count}万人次，同比增长{percent}%。"),
            body=tidy(body),
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
