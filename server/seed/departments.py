"""The 40 provincial departments present in the provincial government service centre.

Codes are stable identifiers (used in URLs, officer accounts and seed data); names follow the
provincial government's own short forms. Phones are the service hall's consultation lines.
"""

DEPARTMENTS: list[tuple[str, str, str]] = [
    # (code, full name, short name)
    ("fgw", "省发展和改革委员会", "发展改革委"),
    ("jyt", "省教育厅", "教育厅"),
    ("kjt", "省科学技术厅", "科技厅"),
    ("gxt", "省工业和信息化厅", "工业和信息化厅"),
    ("mzw", "省民族和宗教事务委员会", "民族宗教委"),
    ("gat", "省公安厅", "公安厅"),
    ("mzt", "省民政厅", "民政厅"),
    ("sft", "省司法厅", "司法厅"),
    ("czt", "省财政厅", "财政厅"),
    ("rst", "省人力资源和社会保障厅", "人力资源社会保障厅"),
    ("zrzyt", "省自然资源厅", "自然资源厅"),
    ("sthjt", "省生态环境厅", "生态环境厅"),
    ("zjt", "省住房和城乡建设厅", "住房城乡建设厅"),
    ("jtt", "省交通运输厅", "交通运输厅"),
    ("slt", "省水利厅", "水利厅"),
    ("nynct", "省农业农村厅", "农业农村厅"),
    ("swt", "省商务厅", "商务厅"),
    ("whlyt", "省文化和旅游厅", "文化和旅游厅"),
    ("wsjkw", "省卫生健康委员会", "卫生健康委"),
    ("tyjrswt", "省退役军人事务厅", "退役军人事务厅"),
    ("yjglt", "省应急管理厅", "应急管理厅"),
    ("sjt", "省审计厅", "审计厅"),
    ("gzw", "省人民政府国有资产监督管理委员会", "国资委"),
    ("scjgj", "省市场监督管理局", "市场监管局"),
    ("gdj", "省广播电视局", "广电局"),
    ("tyj", "省体育局", "体育局"),
    ("tjj", "省统计局", "统计局"),
    ("ybj", "省医疗保障局", "医保局"),
    ("lyj", "省林业和草原局", "林草局"),
    ("ylj", "省粮食和物资储备局", "粮食和储备局"),
    ("jgswglj", "省机关事务管理局", "机关事务局"),
    ("xfj", "省信访局", "信访局"),
    ("yjj", "省药品监督管理局", "药监局"),
    ("zscqj", "省知识产权局", "知识产权局"),
    ("rfb", "省人民防空办公室", "人防办"),
    ("dzj", "省地震局", "地震局"),
    ("qxj", "省气象局", "气象局"),
    ("swj", "国家税务总局本省税务局", "税务局"),
    ("xfjy", "省消防救援总队", "消防救援总队"),
    ("gjj", "省住房公积金管理中心", "住房公积金中心"),
]


def department_phone(order: int) -> str:
    """The consultation line of the department at `order` in DEPARTMENTS."""
    return f"024-2288{order:04d}"
