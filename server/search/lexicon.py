"""The words the engine knows before it has seen a document: government terms, everyday synonyms, fillers.

People type questions and everyday words (失业金怎么领, 社保卡丢了), documents use official terms
(失业保险金, 社会保障卡). The synonyms shipped here map the one to the other; an administrator adds more
with `python -m server synonyms add WORD OFFICIAL...` (table `search_synonyms`), without a release.
Fillers are question words and particles that never decide what a query is about: they are dropped,
so a question never fails for its grammar. Government terms are taught to the segmenter (jieba) so that
a query is cut into the words documents use, and are the first candidates for pinyin typed on a phone
(sb, sheb → 社保; gjj → 公积金; ylbx → 养老保险).
"""

import re
from dataclasses import dataclass
from functools import cache

import jieba
from pypinyin import Style, lazy_pinyin

# Question words, particles and verbs that say "how do I" rather than "what about".
FILLERS = frozenset(
    [
        "怎么",
        "怎么样",
        "怎么办",
        "怎样",
        "如何",
        "哪里",
        "哪儿",
        "在哪",
        "在哪里",
        "在哪儿",
        "去哪",
        "去哪里",
        "哪个",
        "哪些",
        "什么",
        "啥",
        "多少",
        "几",
        "几天",
        "需要",
        "要",
        "想",
        "想要",
        "我",
        "我们",
        "你",
        "你们",
        "他",
        "她",
        "的",
        "地",
        "得",
        "了",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "是",
        "是否",
        "有",
        "有没有",
        "没有",
        "能",
        "能否",
        "能不能",
        "可以",
        "可不可以",
        "会",
        "该",
        "应该",
        "请问",
        "请",
        "一下",
        "一些",
        "如果",
        "还",
        "和",
        "与",
        "及",
        "或",
        "或者",
        "对",
        "给",
        "被",
        "把",
        "在",
        "从",
        "到",
        "都",
        "也",
        "就",
        "怎",
        "办理",
        "办",
        "办事",
        "咨询",
        "查询",
        "查",
        "问",
        "知道",
        "为什么",
        "为啥",
        "谁",
        "呀",
        "哦",
        "嗯",
        "这",
        "那",
        "这个",
        "那个",
        "最新",
    ]
)

# Everyday word → the official words documents use. Each key also matches itself.
SHIPPED_SYNONYMS: dict[str, tuple[str, ...]] = {
    "失业金": ("失业保险金", "失业保险"),
    "失业费": ("失业保险金", "失业保险"),
    "失业补助": ("失业保险金", "失业补助金"),
    "社保": ("社会保险", "社会保障卡"),
    "社保卡": ("社会保障卡",),
    "社保费": ("社会保险费",),
    "交社保": ("社会保险费缴费",),
    "医保": ("医疗保险",),
    "医保卡": ("社会保障卡", "医保电子凭证"),
    "看病报销": ("医疗保险", "异地就医直接结算"),
    "报销": ("直接结算", "医疗保险"),
    "异地看病": ("异地就医",),
    "大病": ("大病保险",),
    "慢病": ("门诊慢特病",),
    "公积金": ("住房公积金",),
    "退休金": ("养老金", "养老保险"),
    "养老金": ("养老保险", "基本养老金"),
    "低保": ("最低生活保障",),
    "身份证": ("居民身份证",),
    "落户": ("户口迁入", "入户", "人才落户"),
    "迁户口": ("户口迁移",),
    "上户口": ("入户", "新生儿入户"),
    "驾照": ("驾驶证", "机动车驾驶证"),
    "网约车": ("网络预约出租汽车",),
    "过路费": ("通行费",),
    "廉租房": ("公共租赁住房",),
    "公租房": ("公共租赁住房",),
    "租房补贴": ("保障性租赁住房", "住房租赁补贴"),
    "老房改造": ("老旧小区改造",),
    "房产证": ("不动产登记", "不动产权证书"),
    "开公司": ("企业开办",),
    "办营业执照": ("企业开办", "个体工商户登记"),
    "营业执照": ("个体工商户登记", "企业开办"),
    "退税": ("留抵退税",),
    "种地补贴": ("耕地地力保护补贴",),
    "农机补贴": ("农机购置与应用补贴",),
    "贷款创业": ("创业担保贷款",),
    "创业贷款": ("创业担保贷款",),
    "找工作": ("就业",),
    "毕业生": ("高校毕业生",),
    "大学生就业": ("高校毕业生就业",),
    "培训": ("职业技能培训",),
    "工伤": ("工伤保险",),
    "护理险": ("长期护理保险",),
    "养老院": ("养老机构",),
    "老人补贴": ("老年人补贴", "经济困难老年人补贴"),
    "老年卡": ("老年人优待",),
    "上学": ("入学", "招生入学"),
    "转学": ("随迁子女入学",),
    "幼儿园补助": ("学前教育资助",),
    "助学金": ("国家助学金",),
    "家庭医生": ("家庭医生签约服务",),
    "交": ("缴费", "缴纳"),
    "交钱": ("缴费",),
    "领": ("领取", "申领"),
    "丢": ("补领", "挂失", "遗失"),
    "丢失": ("补领", "挂失", "遗失"),
    "补办": ("补领", "换领"),
    "生孩子": ("生育", "新生儿"),
    "新生儿": ("新生儿入户",),
    "困难补助": ("临时救助", "特困人员救助供养"),
    "救济": ("救助",),
    "认证": ("资格认证",),
    "年审": ("资格认证",),
}

# Official terms people search for, in order of how often they are meant: the segmenter keeps them whole
# and pinyin abbreviations pick the first that fits.
GOVERNMENT_TERMS: tuple[str, ...] = (
    "社保",
    "医保",
    "低保",
    "公积金",
    "养老保险",
    "医疗保险",
    "失业保险",
    "工伤保险",
    "生育保险",
    "社保卡",
    "住房公积金",
    "社会保险",
    "社会保障",
    "社会保障卡",
    "最低生活保障",
    "养老金",
    "失业保险金",
    "居民身份证",
    "身份证",
    "户口",
    "户口迁移",
    "户口迁入",
    "落户",
    "人才落户",
    "居住证",
    "新生儿入户",
    "驾驶证",
    "机动车驾驶证",
    "就业",
    "创业",
    "高校毕业生",
    "创业担保贷款",
    "职业技能培训",
    "稳岗返还",
    "灵活就业",
    "公益性岗位",
    "一次性创业补贴",
    "社会保险补贴",
    "异地就医",
    "直接结算",
    "门诊慢特病",
    "大病保险",
    "医疗救助",
    "家庭医生",
    "个人账户",
    "家庭共济",
    "临时救助",
    "特困人员",
    "救助供养",
    "资格认证",
    "待遇资格认证",
    "缴费",
    "社会保险费",
    "保障性租赁住房",
    "公共租赁住房",
    "老旧小区改造",
    "不动产登记",
    "住房",
    "教育",
    "义务教育",
    "招生入学",
    "学前教育",
    "国家助学金",
    "随迁子女",
    "职业教育",
    "产教融合",
    "校外培训",
    "耕地地力保护补贴",
    "耕地地力",
    "农机购置",
    "高标准农田",
    "生产者补贴",
    "人居环境整治",
    "小额信贷",
    "营商环境",
    "企业开办",
    "一网通办",
    "涉企收费",
    "个体工商户",
    "留抵退税",
    "增值税",
    "跨省通办",
    "政务服务",
    "居家社区养老",
    "养老机构",
    "运营补贴",
    "长期护理保险",
    "老年人优待",
    "经济困难老年人",
    "城乡客运",
    "通行费",
    "高速公路",
    "网络预约出租汽车",
    "网约车",
    "医疗卫生",
    "惠农政策",
    "户籍管理",
    "交通出行",
    "补贴",
    "申领",
    "补领",
)

# Pairs of terms people abbreviate as one (jycy → 就业创业) but that the segmenter cuts into their words,
# so that a document holding either word is found.
COMPOUND_TERMS: tuple[str, ...] = ("就业创业", "社保缴费", "养老服务")

_SYNONYM_WORD = re.compile(r"^[\u3007\u3400-\u4dbf\u4e00-\u9fff0-9a-z]{1,16}$")


def is_valid_synonym_word(word: str) -> bool:
    """Words an administrator may add: 1-16 simplified characters, digits or lower-case letters."""
    return _SYNONYM_WORD.match(word) is not None


@cache
def _segmenter() -> jieba.Tokenizer:
    """jieba with its own dictionary plus the government terms and every synonym, kept whole."""
    tokenizer = jieba.Tokenizer()
    jieba.setLogLevel(60)
    for word in (*GOVERNMENT_TERMS, *SHIPPED_SYNONYMS, *(w for ws in SHIPPED_SYNONYMS.values() for w in ws)):
        tokenizer.add_word(word, freq=200_000)
    for word in FILLERS:
        tokenizer.add_word(word)
    return tokenizer


def segment(chinese: str) -> list[str]:
    """A run of Chinese characters cut into words (no HMM guessing: the same cut on every machine)."""
    return [word for word in _segmenter().lcut(chinese, HMM=False) if word.strip()]


def is_word(text: str) -> bool:
    """A word of the segmenter's dictionary (孩子, 养老保险), not a slip or a chance run of characters."""
    return bool(_segmenter().FREQ.get(text))


def warm_up() -> None:
    """Load jieba's dictionary (about a second) before the first query needs it."""
    segment("社保")


@dataclass(frozen=True)
class Abbreviation:
    word: str
    pattern: re.Pattern[str]


def _syllable_pattern(word: str) -> re.Pattern[str]:
    """Pinyin as typed on a phone: each syllable in full or cut short, down to its first letter.

    社保 matches shebao, sheb, shb, sb; 公积金 matches gjj and gongjj; 养老保险 matches ylbx.
    """
    parts = []
    for syllable in lazy_pinyin(word, style=Style.NORMAL):
        if not syllable.isascii() or not syllable.isalpha():
            return re.compile(r"(?!)")
        rest = "".join(f"(?:{re.escape(letter)}" for letter in syllable[1:]) + ")?" * (len(syllable) - 1)
        parts.append(re.escape(syllable[0]) + rest)
    return re.compile("".join(parts))


@cache
def abbreviations() -> tuple[Abbreviation, ...]:
    words = dict.fromkeys((*GOVERNMENT_TERMS, *COMPOUND_TERMS))
    return tuple(Abbreviation(word, _syllable_pattern(word)) for word in words)


def expand_abbreviation(letters: str) -> str | None:
    """The government term `letters` abbreviates (initials or cut syllables), the commonest first."""
    for known in abbreviations():
        if known.pattern.fullmatch(letters):
            return known.word
    return None


def shipped_synonyms(word: str) -> tuple[str, ...]:
    return SHIPPED_SYNONYMS.get(word, ())
