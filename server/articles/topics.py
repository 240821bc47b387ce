"""The topic vocabulary (主题分类) of 政务公开. An editorial list that changes with a release, not at run time."""

# (code, name)
TOPICS: list[tuple[str, str]] = [
    ("shbz", "社会保障"),
    ("jycy", "就业创业"),
    ("jy", "教育"),
    ("ylws", "医疗卫生"),
    ("zf", "住房"),
    ("hnzc", "惠农政策"),
    ("yshj", "营商环境"),
    ("hjgl", "户籍管理"),
    ("ylfw", "养老服务"),
    ("jtcx", "交通出行"),
]

TOPIC_NAMES = dict(TOPICS)
