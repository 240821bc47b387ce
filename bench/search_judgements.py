"""Judged queries for bench/search_quality.py: what people type, and rules that grade each document.

Relevance is judged by stable properties of a document rather than by ids, so the judgements hold
when the article generator changes (as long as it writes about the same subjects):
- grade 2 (answers the query): the title contains one of `strong` (the official term for what is asked);
- grade 1 (related): the title or summary contains one of `weak`;
- grade 0: anything else.
Document-number queries are made from the corpus itself by a rule (`number_queries`): the 文号 of the
first policy about a subject, typed as published, without its prefix, and as people type it
(2024 3号); the article with that 文号 is grade 2, the rest of its subject grade 1.
Every query must have at least one grade-2 document in the corpus; the benchmark checks that.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Judgement:
    query: str
    kind: str  # question, colloquial, typo, pinyin, number, term
    strong: tuple[str, ...]
    weak: tuple[str, ...] = ()


def _j(query: str, kind: str, strong: str, weak: str = "") -> Judgement:
    return Judgement(query, kind, tuple(strong.split()), tuple(weak.split()))


PENSION = "养老保险"
JUDGEMENTS: list[Judgement] = [
    # Questions as people type them into a search box.
    _j("养老保险怎么交", "question", "养老保险 社会保险费缴费", "养老金 缴费"),
    _j("低保申请条件", "question", "最低生活保障 低保", "临时救助 特困人员"),
    _j("身份证丢了怎么办", "question", "居民身份证", "户口"),
    _j("怎么办理社保卡", "question", "社保卡 社会保障卡", "社会保险"),
    _j("失业金怎么领", "question", "失业保险", "失业"),
    _j("公积金怎么提取", "question", "住房公积金提取", "住房公积金"),
    _j("公积金贷款需要什么条件", "question", "住房公积金贷款", "住房公积金"),
    _j("异地就医怎么报销", "question", "异地就医", "医保 医疗保险"),
    _j("医保个人账户能给家人用吗", "question", "家庭共济", "医保 医疗保险"),
    _j("孩子上学需要什么材料", "question", "入学 义务教育", "教育 助学"),
    _j("随迁子女怎么入学", "question", "随迁子女", "入学"),
    _j("新生儿怎么上户口", "question", "新生儿入户", "户口"),
    _j("人才落户有什么条件", "question", "人才落户", "落户 户口"),
    _j("居住证怎么办理", "question", "居住证", "户口"),
    _j("驾驶证到期了怎么换", "question", "驾驶证", "机动车"),
    _j("创业担保贷款怎么申请", "question", "创业担保贷款", "创业"),
    _j("高校毕业生就业有哪些补贴", "question", "高校毕业生", "就业"),
    _j("灵活就业社保补贴怎么领", "question", "灵活就业人员社会保险补贴", "社会保险补贴 灵活就业"),
    _j("长期护理保险怎么申请", "question", "长期护理保险", "护理"),
    _j("老年人有哪些优待", "question", "老年人优待", "老年人"),
    _j("经济困难老人补贴标准是多少", "question", "经济困难老年人补贴", "老年人"),
    _j("耕地地力补贴什么时候发", "question", "耕地地力保护补贴", "补贴"),
    _j("个体工商户怎么登记", "question", "个体工商户登记", "个体工商户"),
    _j("开公司需要哪些手续", "question", "企业开办", "营商环境"),
    _j("留抵退税怎么申请", "question", "留抵退税", "增值税"),
    _j("高速公路通行费怎么减免", "question", "通行费减免", "高速公路"),
    _j("工伤保险待遇有哪些", "question", "工伤保险", "社会保险"),
    _j("临时救助怎么申请呢", "question", "临时救助", "救助"),
    _j("养老金资格认证在哪里做", "question", "待遇资格认证 养老保险资格认证", "资格认证"),
    _j("门诊慢特病怎么办理", "question", "门诊慢特病", "医保 医疗保险"),
    _j("公租房如何申请", "question", "公共租赁住房", "住房"),
    _j("老旧小区改造什么时候开始", "question", "老旧小区改造", "住房"),
    # Everyday words instead of the official ones.
    _j("失业金", "colloquial", "失业保险", "失业"),
    _j("社保", "colloquial", "社保 社会保险 社会保障卡", "社会保障"),
    _j("医保", "colloquial", "医保 医疗保险", "异地就医 门诊慢特病 大病保险"),
    _j("公积金", "colloquial", "住房公积金", "公积金"),
    _j("退休金", "colloquial", "养老保险 养老金", "退休"),
    _j("低保", "colloquial", "最低生活保障 低保", "救助"),
    _j("身份证", "colloquial", "居民身份证", "户口"),
    _j("落户", "colloquial", "落户 户口迁移 入户", "户口"),
    _j("驾照", "colloquial", "驾驶证", "机动车"),
    _j("网约车", "colloquial", "网络预约出租汽车", "出租汽车"),
    _j("公租房", "colloquial", "公共租赁住房", "住房"),
    _j("种地补贴", "colloquial", "耕地地力保护补贴", "补贴"),
    _j("农机补贴", "colloquial", "农机购置与应用补贴", "农机"),
    _j("创业贷款", "colloquial", "创业担保贷款", "创业"),
    _j("养老院补贴", "colloquial", "养老机构运营补贴", "养老机构 养老服务"),
    _j("看病报销", "colloquial", "异地就医 医疗保险 医保", "医疗救助 大病保险"),
    _j("过路费减免", "colloquial", "通行费减免", "高速公路"),
    _j("营业执照", "colloquial", "个体工商户登记 企业开办", "营商环境"),
    # Slips of the pinyin keyboard: homophones, a wrong character.
    _j("社宝卡", "typo", "社保卡 社会保障卡", "社会保险"),
    _j("养老保线", "typo", PENSION, "养老"),
    _j("医疗保验", "typo", "医疗保险 医保", "医疗"),
    _j("公基金", "typo", "住房公积金", "公积金"),
    _j("住房公机金提取", "typo", "住房公积金提取", "住房公积金"),
    _j("失叶保险", "typo", "失业保险", "失业"),
    _j("户口迁移手续", "term", "户口迁移", "户口"),
    _j("居民身分证", "typo", "居民身份证", "身份证"),
    _j("驾使证", "typo", "驾驶证", "机动车"),
    _j("长期护里保险", "typo", "长期护理保险", "护理"),
    _j("城乡居民基本养老保除", "typo", "城乡居民基本养老保险", "养老保险"),
    # Pinyin as typed on a phone: full, without spaces, initials, syllables cut short.
    _j("shebao", "pinyin", "社保 社会保险 社会保障卡", "社会保障"),
    _j("sb", "pinyin", "社保 社会保险 社会保障卡", "社会保障"),
    _j("sheb", "pinyin", "社保 社会保险 社会保障卡", "社会保障"),
    _j("gjj", "pinyin", "住房公积金", "公积金"),
    _j("gongjijin", "pinyin", "住房公积金", "公积金"),
    _j("ylbx", "pinyin", PENSION, "养老"),
    _j("yanglaobaoxian", "pinyin", PENSION, "养老"),
    _j("yibao", "pinyin", "医保 医疗保险", "医疗"),
    _j("yb", "pinyin", "医保 医疗保险", "医疗"),
    _j("dibao", "pinyin", "最低生活保障 低保", "救助"),
    _j("hukou", "pinyin", "户口", "落户 入户"),
    _j("luohu", "pinyin", "落户", "户口"),
    _j("jiuyechuangye", "pinyin", "就业 创业", "补贴"),
    _j("jycy", "pinyin", "就业 创业", "补贴"),
    _j("jiashizheng", "pinyin", "驾驶证", "机动车"),
    _j("sybx", "pinyin", "失业保险", "失业"),
    _j("YangLao BaoXian", "pinyin", PENSION, "养老"),
    # Official terms, several words, traditional characters.
    _j("养老保险 缴费", "term", "养老保险 社会保险费缴费", "缴费 养老"),
    _j("医保 异地", "term", "异地就医", "医保 医疗保险"),
    _j("住房公积金提取", "term", "住房公积金提取", "住房公积金"),
    _j("社会保险费缴费", "term", "社会保险费缴费", "社会保险"),
    _j("城乡居民基本养老保险", "term", "城乡居民基本养老保险", "养老保险"),
    _j("醫保", "term", "医保 医疗保险", "医疗"),
    _j("戶口遷移", "term", "户口迁移", "户口"),
    _j("養老保險 繳費", "term", "养老保险 社会保险费缴费", "缴费 养老"),
    _j("保障性租赁住房", "term", "保障性租赁住房", "住房"),
    _j("家庭医生签约", "term", "家庭医生签约服务", "家庭医生"),
]

# Subjects whose first policy's 文号 becomes document-number queries.
NUMBER_SUBJECTS = ("城乡居民基本养老保险", "住房公积金提取", "户口迁移", "异地就医直接结算")
