"""数据交换说明: every file the platform imports, column by column, built from the imports' own definitions.

The columns, whether they are required, their other accepted names and their allowed values are read from
the code that checks the rows (registry.rows and registry.vocab, jobs.rows, employment.rows, tracking.rows,
compare.sources): the page, the templates and docs/exchange.md can never list a value the import refuses,
or miss one it takes. What is written here is only prose: what a column means and what a value looks
like. Plain Python, no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from bangfu.areas import kinds as designation_kinds
from bangfu.areas import rows as designation_rows
from bangfu.compare import sources
from bangfu.core.idnumber import make_id
from bangfu.employers.creditcode import make_credit_code
from bangfu.employment import rows as employment_rows
from bangfu.exchange.spreadsheet import Column
from bangfu.jobs import rows as job_rows
from bangfu.posts import rows as post_rows
from bangfu.registry import rows as registry_rows
from bangfu.registry import vocab
from bangfu.rules import kinds as rule_kinds
from bangfu.targets import rows as target_rows
from bangfu.tracking import rows as visit_rows
from bangfu.training import rows as roster_rows
from bangfu.workforce import rows as workforce_rows


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    required: str  # 必填, 选填, or which alternative it belongs to
    rule: str  # what a value means and looks like
    values: tuple[str, ...] = ()  # the allowed values, when the column takes a fixed set
    aliases: tuple[str, ...] = ()  # other header texts read as this column
    example: str = ""

    @property
    def values_text(self) -> str:
        return "、".join(self.values)


@dataclass(frozen=True)
class Layout:
    key: str  # the template's URL and the anchor on the page
    title: str
    reader: str  # where the platform reads such a file
    columns: tuple[ColumnSpec, ...]
    notes: tuple[str, ...] = ()

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def example(self) -> list[str]:
        return [c.example for c in self.columns]


@dataclass(frozen=True)
class Place:
    """Where the examples are: a village of the reader's area, with its county and township names."""

    village_code: str
    county: str = ""
    township: str = ""
    village: str = ""

    @property
    def county6(self) -> str:
        return self.village_code[:6]


# docs/exchange.md shows its examples in a village of 花垣县; the page puts them in the user's own area.
DOC_PLACE = Place("433124102201", "花垣县", "龙潭镇", "土地村")
EXAMPLE_BIRTH = dt.date(1990, 5, 12)
EXAMPLE_OCCUPATION = "6-18-02-04"  # 焊工, a 细类 of the 2022 classification

REQUIRED, OPTIONAL = "必填", "选填"
AREA_EITHER = "二选一之一"

# What each registry column means (EXCHANGE.md §1); values and ranges come from rows.py and vocab.py.
_REGISTRY_RULES = {
    registry_rows.AREA_CODE: (
        "户所在村（社区）的 12 位统计用区划代码。填了代码就以代码为准，可不填下面三列名称。"
    ),
    registry_rows.COUNTY: "县（市、区）名称，如“花垣县”。在您的管辖区域内有重名的乡镇时需要填写。",
    registry_rows.TOWNSHIP: "乡（镇、街道）名称；不填区划代码时必填。",
    registry_rows.VILLAGE: "行政村（社区）名称；不填区划代码时必填。可带或不带“村委会”等后缀。",
    "户编号": "户在原系统中的编号。同一户的成员填写相同的户编号，户信息（户类型等）应一致。",
    "姓名": "汉字、字母，少数民族姓名可含间隔号“·”。",
    "证件号码": (
        "18 位居民身份证号码（或 15 位旧号码），请把单元格设为文本，以免末尾数字丢失。"
        "一人在全平台只登记一次。"
    ),
    "与户主关系": "本人与户主的关系；每户应有一名户主。",
    "性别": "可不填；填写时须与证件号码一致，保存的性别总是取自证件号码。",
    "出生日期": "可不填；填写时须与证件号码一致，写成如 1990-05-12。",
    "民族": "",
    "文化程度": "",
    "在校生状况": "",
    "健康状况": "",
    "劳动技能": "技能劳动力、普通劳动力、弱劳动力或半劳动力在劳动年龄内计为劳动力。",
    "务工状态": (
        "以就业记录为准（见下方说明）：与就业记录一致时不变；就业记录中没有的务工，按本列新增一条"
        "“名册导入”就业记录（单位不详）；填“未务工”而就业记录显示在职的，列入“名册与就业记录不一致”待核实。"
    ),
    "务工时间(月)": (
        "本年度务工的月数。按就业记录计算；新增“名册导入”就业记录时，用本列推定入职月份"
        "（本月往前推 月数−1 个月，不填或 0 按 1 个月）。"
    ),
    "联系电话": "11 位手机号码，或带区号的固定电话（如 0743-7123456）。",
    "户类型": "",
    "监测对象类型": "只有户类型为“监测户”时填写。",
    "脱贫年度": "脱贫户的脱贫年份；一般农户不填。",
    "人均纯收入": "家庭人均纯收入，元/年，可带两位小数。",
    "是否低保": "",
    "是否特困": "",
    "是否易地搬迁": "",
    "就业意向": "想从事的工作：职业分类大典的职业名称或代码（如 6-18-02-04），或自由填写。",
    "意向务工地": "最远愿意去的地方：县内（本县）、省内（本省）、省外或不限。",
    "期望月薪": "元/月。",
    "培训意愿": "想参加的培训，自由填写；不填或填“无”表示没有。",
    "技能特长": "自由填写。",
    "就业意愿": "劳动力是否想找工作；不填表示尚未询问。统计“有就业意愿未务工人数”按此列。",
}

_JOB_RULES = {
    job_rows.NUMBER: "岗位在本单位内的编号；同一单位的同一编号再次导入会更新原岗位。",
    job_rows.EMPLOYER: "用人单位全称；未在企业台帐登记的单位按此名称自动登记。",
    job_rows.CREDIT_CODE: "18 位统一社会信用代码（GB 32100-2015，含校验位）。",
    job_rows.TITLE: "岗位名称，如“焊工”“普工”。",
    job_rows.OCCUPATION: "职业分类大典（2022）的细类代码，如 6-18-02-04；不填时按岗位名称推断。",
    job_rows.OPENINGS: "招聘人数。",
    job_rows.AREA: "工作地点的 6、9 或 12 位区划代码，须在您的管辖区域内，或在生效中的劳务协作关系的输入地。",
    job_rows.WAGE_MIN: "元/月。",
    job_rows.WAGE_MAX: "元/月，不低于月薪下限。",
    job_rows.AGE_MIN: "周岁。",
    job_rows.AGE_MAX: "周岁，不低于年龄下限。",
    job_rows.SEX: "",
    job_rows.EDUCATION: "最低学历要求。",
    job_rows.BOARD: "",
    job_rows.SKILLS: "自由填写，不超过 200 字。",
    job_rows.DEADLINE: "招聘截止日期，写成如 2026-06-30。",
}

_SOURCE_RULES = {
    "姓名": "与名册比对的姓名。",
    "证件号码": "18 位身份证号码；可以有错或缺失，比对会按姓名、性别、出生日期等模糊匹配。请设为文本。",
    "性别": "可写 男、女（也认 男性、女性、1、2）。",
    "出生日期": "写成如 1990-05-12。",
    "联系电话": "手机号码或固定电话。",
    "地址": "住址，自由填写。",
    "户籍地区划代码": "户籍地（居住地）6、9 或 12 位区划代码，帮助模糊匹配；不属于数据交换规范，可不填。",
    "险种": "",
    "参保状态": "",
    "参保单位": "参保单位名称。",
    "参保地区划代码": "参保地 6、9 或 12 位区划代码；城乡居民养老保险未填户籍地时以此为居住地。",
    "最近缴费年月": "写成如 2026-05。",
    "终止参保日期": "参保状态为终止参保时填写，写成如 2026-05-31；单位缴纳的险种（企业职工养老保险、"
    "失业保险、工伤保险）终止参保时，据此建议结束此人在该单位的就业记录，未填时按最近缴费年月的月末。",
    "单位名称": "用人单位名称。",
    "统一社会信用代码": "18 位统一社会信用代码。",
    "工作地区划代码": "工作地 6、9 或 12 位区划代码，用来判断县内、省内县外或省外务工；未填时取企业台帐中"
    "该单位的所在地。",
    "入职日期": "写成如 2025-03-01，不晚于今天。",
    "离职日期": "仍在职时不填；不早于入职日期。已离职的，建议结束此人在该单位的在职就业记录。",
    "月工资": "元/月。",
    "死亡日期": "不晚于今天，不早于出生日期。",
    "救助类型": "",
    "开始日期": "救助开始日期。",
    "终止日期": "救助终止日期；仍在享受时不填。",
    "残疾类别": "",
    "残疾等级": "",
    "参保年度": "",
    "结算日期": "医保结算（出院）日期，写成如 2026-03-15，不晚于今天。",
    "总费用": "本次就医的医疗总费用，元，最多两位小数。",
    "基本医保支付": "基本医疗保险统筹基金支付的金额，元；空为 0。",
    "大病保险支付": "大病保险支付的金额，元；空为 0。",
    "医疗救助支付": "医疗救助支付的金额，元；空为 0。",
    "个人负担": "“一站式”结算后个人负担的金额，元。各项支付与个人负担之和不超过总费用。",
    "医疗类别": "平台的补充列：用于按医疗倾斜政策估算应报销金额；空为不估算。",
    "医院等级": "平台的补充列：定点医疗机构的等级，住院按等级估算应报销金额。",
}


def _range(low, high, unit: str = "") -> str:
    return f"{low}–{high}{unit} 之间的整数。"


def _join(*parts: str) -> str:
    return "".join(p for p in parts if p)


def registry_layout(place: Place = DOC_PLACE) -> Layout:
    """人员名单 (EXCHANGE.md §1): 名册导入 and `bangfu import registry`, as registry.rows reads it."""
    values: dict[str, tuple[str, ...]] = {
        column: allowed for column, (allowed, _) in registry_rows.ENUMS.items()
    }
    values.update({column: tuple(registry_rows.YES_NO) for column in registry_rows.FLAGS})
    values["性别"] = vocab.SEXES
    ranges = {column: _range(low, high) for column, (low, high) in registry_rows.RANGES.items()}
    ranges["人均纯收入"] = f"0–{registry_rows.INCOME_MAX:,} 之间的金额。"
    example_id = make_id(place.county6, EXAMPLE_BIRTH, 11)  # an odd sequence number: a man
    examples = {
        registry_rows.AREA_CODE: place.village_code,
        registry_rows.COUNTY: place.county,
        registry_rows.TOWNSHIP: place.township,
        registry_rows.VILLAGE: place.village,
        "户编号": f"{place.village_code}0001",
        "姓名": "张示例",
        "证件号码": example_id,
        "与户主关系": "户主",
        "性别": "男",
        "出生日期": EXAMPLE_BIRTH.isoformat(),
        "民族": "苗族",
        "文化程度": "初中",
        "在校生状况": "非在校生",
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "务工状态": "未务工",
        "务工时间(月)": "0",
        "联系电话": "13800000000",
        "户类型": "脱贫户",
        "监测对象类型": "",
        "脱贫年度": "2018",
        "人均纯收入": "12000",
        "是否低保": "否",
        "是否特困": "否",
        "是否易地搬迁": "否",
        "就业意向": "焊工",
        "意向务工地": "省内",
        "期望月薪": "4000",
        "培训意愿": "电焊",
        "技能特长": "",
        "就业意愿": "是",
    }
    area_columns = (
        registry_rows.AREA_CODE,
        registry_rows.COUNTY,
        registry_rows.TOWNSHIP,
        registry_rows.VILLAGE,
    )
    columns = []
    for column in registry_rows.COLUMNS:
        if column.name in area_columns:
            required = "区划二选一" if column.name != registry_rows.COUNTY else OPTIONAL
        else:
            required = REQUIRED if column.required else OPTIONAL
        columns.append(
            _spec(
                column,
                required,
                _join(_REGISTRY_RULES[column.name], ranges.get(column.name, "")),
                values.get(column.name, ()),
                examples[column.name],
            )
        )
    notes = (
        f"户所在村用两种方式之一填写：“{registry_rows.AREA_CODE}”（12 位村级代码），"
        f"或“{registry_rows.TOWNSHIP}”和"
        f"“{registry_rows.VILLAGE}”名称（必要时加“{registry_rows.COUNTY}”）；名称只在您的管辖区域内查找。",
        "一人一行，同一户的成员户编号相同。证件号码在全平台唯一：已在其他地区登记的人不会被导入或迁移。",
        "同一文件重复导入不会产生重复数据：内容相同的行不变，内容有变化的行按字段更新并留下修改记录。",
        "有错误的行不导入，其余行照常导入；错误行、列和原因列在导入结果页上，也可下载错误报告，改正后重新导入。",
        "导出的名册文件（名册 → 导出）使用相同的列，可直接修改后再导入。",
        "务工状态和务工时间(月)由就业记录得出（EXCHANGE.md §5）：务工状态为导入当日在职的就业记录的务工地域，"
        "否则为未务工；务工时间为本年度截至当日有在职日子的月数。名册中的这两列只用来补充和核对就业记录，"
        "不会直接改写；同一文件再次导入不会重复新增就业记录或不一致条目。",
        "公开规范 EXCHANGE.md §1 中的“就业意愿”（是、否）列本版本尚未读取："
        "上传时会作为不认识的列列出并忽略。",
    )
    return Layout(
        "registry", "人员名单", "名册 → 名册导入；命令 bangfu import registry", tuple(columns), notes
    )


def jobs_layout(place: Place = DOC_PLACE) -> Layout:
    """岗位信息 (EXCHANGE.md §2): 导入岗位 and `bangfu import jobs`, as jobs.rows reads it."""
    values = {
        job_rows.SEX: tuple(job_rows.SEX_VALUES),
        job_rows.EDUCATION: tuple(job_rows.EDUCATION_VALUES),
        job_rows.BOARD: tuple(job_rows.YES_NO),
    }
    ranges = {
        job_rows.OPENINGS: _range(1, job_rows.MAX_OPENINGS),
        job_rows.WAGE_MIN: _range(0, job_rows.MAX_WAGE),
        job_rows.WAGE_MAX: _range(0, job_rows.MAX_WAGE),
        job_rows.AGE_MIN: _range(job_rows.AGE_LOW, job_rows.AGE_HIGH),
        job_rows.AGE_MAX: _range(job_rows.AGE_LOW, job_rows.AGE_HIGH),
    }
    examples = {
        job_rows.NUMBER: "GW0001",
        job_rows.EMPLOYER: "示例电子科技有限公司",
        job_rows.CREDIT_CODE: make_credit_code(place.county6, 1),
        job_rows.TITLE: "焊工",
        job_rows.OCCUPATION: EXAMPLE_OCCUPATION,
        job_rows.OPENINGS: "5",
        job_rows.AREA: place.county6,
        job_rows.WAGE_MIN: "4000",
        job_rows.WAGE_MAX: "6000",
        job_rows.AGE_MIN: "18",
        job_rows.AGE_MAX: "50",
        job_rows.SEX: "不限",
        job_rows.EDUCATION: "初中",
        job_rows.BOARD: "是",
        job_rows.SKILLS: "持焊工证优先",
        job_rows.DEADLINE: "",
    }
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _join(_JOB_RULES[column.name], ranges.get(column.name, "")),
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in job_rows.COLUMNS
    )
    notes = (
        "岗位按（统一社会信用代码，岗位编号）识别：再次导入会更新原岗位，内容相同则不变。",
        "整个文件在一个事务中保存：保存出错时一个岗位也不会保存，可改正后重新导入。",
        "有错误的行不导入，错误列在导入结果页上，也可下载错误报告。",
    )
    return Layout("jobs", "岗位信息", "对接 → 岗位 → 导入岗位；命令 bangfu import jobs", columns, notes)


_VISIT_RULES = {
    visit_rows.ID: "被回访人员的 18 位居民身份证号码，须是导入区域名册中的人员。请把单元格设为文本。",
    visit_rows.NAME: "与名册登记的姓名一致。",
    visit_rows.DAY: "回访当天的日期，不能晚于今天。",
    visit_rows.METHOD: "",
    visit_rows.RESULT: (
        "已离职、返乡：结束当天在岗、尚无离职日期的就业记录（离职原因“其他”或“返乡”）；"
        "联系不上：列入联系不上名单，之后联系上的回访将其移出；在岗、不愿就业：只记录回访。"
    ),
    visit_rows.NOTE: f"自由填写，不超过 {visit_rows.NOTE_LIMIT} 字。",
}


def followups_layout(place: Place = DOC_PLACE) -> Layout:
    """跟踪回访 (EXCHANGE.md §6): 导入回访 and `bangfu import followups`, as tracking.rows reads it."""
    values = {visit_rows.METHOD: visit_rows.METHODS, visit_rows.RESULT: visit_rows.RESULTS}
    examples = {
        visit_rows.ID: make_id(place.county6, EXAMPLE_BIRTH, 11),
        visit_rows.NAME: "张示例",
        visit_rows.DAY: "2026-05-31",
        visit_rows.METHOD: "电话",
        visit_rows.RESULT: "在岗",
        visit_rows.NOTE: "在广州某电子厂务工",
    }
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _VISIT_RULES[column.name],
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in visit_rows.COLUMNS
    )
    notes = (
        "回访按（证件号码，回访日期，回访方式）识别：再次导入会更新原回访，内容相同则不变。",
        "整个文件在一个事务中保存：保存出错时一条回访也不会保存，可改正后重新导入。",
        "回访结果为在岗、但当天没有在岗就业记录的，回访照常保存，导入结果会提示到人员页面登记就业记录。",
        "有错误的行不导入，错误列在导入结果页上，也可下载错误报告。",
    )
    return Layout("followups", "跟踪回访", "跟踪 → 回访导入；命令 bangfu import followups", columns, notes)


def targets_layout(place: Place = DOC_PLACE) -> Layout:
    """目标 (EXCHANGE.md §8): 导入目标 and `bangfu import targets`, as targets.rows reads it; the figures'
    names are the stats app's own (bangfu.stats.figures.FIGURES)."""
    from bangfu.stats.figures import FIGURES

    rules = {
        target_rows.YEAR: "目标所属年度，如 2026。",
        target_rows.AREA: "目标所属区域的区划代码（2、4、6、9 或 12 位），须是导入区域本身或其下级区域。",
        target_rows.FIGURE: "统计指标的名称，指标值由系统按名册和就业记录自动统计。",
        target_rows.VALUE: "全年目标，不小于 0 的整数。",
    }
    month_rule = "累计月度目标（选填）：每月不小于之前的月份，不超过年度目标；12月填写时须等于年度目标。"
    examples = {target_rows.YEAR: "2026", target_rows.AREA: place.village_code, target_rows.VALUE: "120"}
    examples[target_rows.FIGURE] = FIGURES[0].name
    examples.update({month: str(10 * index) for index, month in enumerate(target_rows.MONTHS, 1)})
    values = {target_rows.FIGURE: tuple(f.name for f in FIGURES)}
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            rules.get(column.name, month_rule),
            values.get(column.name, ()),
            examples.get(column.name, ""),
        )
        for column in target_rows.COLUMNS
    )
    notes = (
        "目标按（年度，区划代码，指标）识别：再次导入会更新原目标，内容相同则不变。",
        "只能为导入区域本身及其下级区域设定目标。",
        "分解到下级的目标合计不能少于上级目标：不足时这些下级区域的行不导入，错误原因写明还差多少。",
        "整个文件在一个事务中保存：保存出错时一个目标也不会保存，可改正后重新导入。",
        "完成率（指标值 ÷ 目标）、进度和排名随时由系统计算，不在文件中填写。",
    )
    return Layout("targets", "目标", "目标调度 → 目标导入；命令 bangfu import targets", columns, notes)


_EMPLOYMENT_RULES = {
    employment_rows.ID: "18 位居民身份证号码，须是导入区域名册中在世的人员。请把单元格设为文本。",
    employment_rows.NAME: "与名册登记的姓名一致。",
    employment_rows.EMPLOYER: f"用人单位全称，不超过 {employment_rows.EMPLOYER_LIMIT} 字。",
    employment_rows.CREDIT_CODE: (
        "18 位统一社会信用代码（GB 32100-2015，含校验位）。与用人单位台账相同的，记录关联到该单位。"
    ),
    employment_rows.WORK_AREA: (
        "工作地点的 6 到 12 位行政区划代码（须是已载入的区划）；"
        "务工地域（县内、省内县外、省外）由它和本人所在村得出。"
    ),
    employment_rows.STARTED: "不能晚于今天。",
    employment_rows.ENDED: "不能早于入职日期，不能晚于今天；仍在岗时不填。",
    employment_rows.END_REASON: "只有填写了离职日期才能填写。",
    employment_rows.WAGE: f"整数，元，0 到 {employment_rows.WAGE_MAX}。",
    employment_rows.CHANNEL: (
        "不填时由数据得出：用人单位台账中为扶贫车间、就业帮扶车间的是扶贫车间；在县外的劳务协作基地，"
        "或在本县劳务协作关系的输入地务工的，是有组织输出。"
    ),
}


def employment_layout(place: Place = DOC_PLACE) -> Layout:
    """就业信息 (EXCHANGE.md §5): 导入就业信息 and `bangfu import employment`, as employment.rows reads it."""
    r = employment_rows
    values = {r.END_REASON: r.END_REASONS, r.CHANNEL: r.CHANNELS}
    examples = {
        r.ID: make_id(place.county6, EXAMPLE_BIRTH, 11),
        r.NAME: "张示例",
        r.EMPLOYER: "示例电子科技有限公司",
        r.CREDIT_CODE: make_credit_code("440105", 1),
        r.WORK_AREA: "440105",
        r.STARTED: "2026-03-01",
        r.ENDED: "",
        r.END_REASON: "",
        r.WAGE: "4500",
        r.CHANNEL: "",
    }
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _EMPLOYMENT_RULES[column.name],
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in r.COLUMNS
    )
    notes = (
        "每行是一段就业。记录按（证件号码，入职日期，单位）识别，单位为统一社会信用代码，未填时为单位名称："
        "再次导入会更新原记录（如补上离职日期），内容相同则不变；空白的离职日期、离职原因、月工资、就业渠道"
        "不会清除已有的值。",
        "保存后，相关人员的务工状态和务工时间(月)按就业记录重新计算；离职的记录会触发“就业转失业”预警。",
        "全部记录在一个事务中保存：保存出错时一条记录也不会保存，可改正后重新导入。",
        "有错误的行不导入，错误列在导入结果页上，也可下载错误报告。",
    )
    return Layout(
        "employment", "就业信息", "就业记录 → 导入就业信息；命令 bangfu import employment", columns, notes
    )


def source_layout(code: str, place: Place = DOC_PLACE) -> Layout:
    """One comparison source type (EXCHANGE.md §3), as compare.sources reads it."""
    source_type = sources.TYPES[code]
    values = {"性别": sources.SEXES, **sources.VALUES[code]}
    ranges = {
        "月工资": _range(0, sources.WAGE_MAX),
        "参保年度": f"{sources.FIRST_MEDICAL_YEAR} 年至明年之间的年份。",
    }
    examples = {
        "姓名": "张示例",
        "证件号码": make_id(place.county6, EXAMPLE_BIRTH, 11),
        "性别": "男",
        "出生日期": EXAMPLE_BIRTH.isoformat(),
        "联系电话": "13800000000",
        "地址": f"{place.county}{place.township}{place.village}",
        "户籍地区划代码": place.village_code,
        "险种": sources.INSURANCE_KINDS[0],
        "参保状态": sources.INSURANCE_STATUSES[0] if code == sources.SOCIAL else sources.MEDICAL_STATUSES[0],
        "参保单位": "",
        "参保地区划代码": place.county6,
        "最近缴费年月": "2026-01",
        "终止参保日期": "",
        "单位名称": "示例电子科技有限公司",
        "统一社会信用代码": make_credit_code(place.county6, 1),
        "工作地区划代码": place.county6,
        "入职日期": "2025-03-01",
        "离职日期": "",
        "月工资": "4500",
        "死亡日期": "2025-01-20",
        "救助类型": sources.ASSISTANCE_TYPES[0],
        "开始日期": "2024-01-01",
        "终止日期": "",
        "残疾类别": sources.DISABILITY_CATEGORIES[3],
        "残疾等级": sources.DISABILITY_GRADES[3],
        "参保年度": "2025",
        "结算日期": "2026-03-15",
        "总费用": "20000.00",
        "基本医保支付": "14000.00",
        "大病保险支付": "1500.00",
        "医疗救助支付": "2000.00",
        "个人负担": "2500.00",
        "医疗类别": sources.CARE_KINDS[0],
        "医院等级": sources.HOSPITAL_LEVELS[1],
    }
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _join(_SOURCE_RULES[column.name], ranges.get(column.name, "")),
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in source_type.columns
    )
    notes = (
        f"在“数据比对”页选择比对数据类型「{source_type.name}」后上传；命令 bangfu compare {code}。",
        "证件号码有误或缺失的行不会被拒绝，而是按姓名、性别、出生日期等模糊匹配，匹配结果由工作人员确认；"
        "与名册中多人同样相符的行不会任选其一，而是列为“待核实”，由工作人员对照候选人确认。",
        "证件号码与名册一致、但姓名、性别或出生日期不一致的行，列为需核实的比对结果。",
        "每行的比对结果（精确匹配、模糊匹配、待核实、未匹配）和差异可在比对结果文件 results.csv 中查看。",
        *(
            [
                "本类型是本平台对《数据交换说明》§3 的补充提议（医保部门的“一站式”结算数据），不改动名册："
                "匹配到名册的结算记入社保扶贫的医疗负担台账，年度个人负担超过本地区“医疗负担预警”规则的人员"
                "列入名单并可导出报扶贫部门；并按“医疗倾斜政策”参考规则估算应报销金额，提示可能未享受倾斜政策"
                "的结算。",
            ]
            if code == sources.SETTLEMENT
            else []
        ),
    )
    return Layout(f"compare-{code}", f"比对数据：{source_type.name}", "名册 → 数据比对", columns, notes)


_RULE_RULES = {
    rule_kinds.RULE: "规则名称，见下面各规则的参数。也认政策规则页上的名称（如“劳动年龄段”）。",
    rule_kinds.REGION: (
        "适用区域的区划代码前缀：省 2 位、市 4 位、县 6 位、乡镇 9 位、村 12 位（也可填完整的 12 位代码，"
        "如 430000000000 即 43）；留空或填“全国”表示全国。"
    ),
    rule_kinds.DATE: "版本开始适用的日期，写成如 2026-01-01。",
    rule_kinds.PARAM: "该规则的参数名称（见下面各规则的参数），也认政策规则页上的名称。",
    rule_kinds.VALUE: "数字（可带单位，如“30天”）；是否类参数填 是、否；列表类参数用顿号或逗号分隔。",
    rule_kinds.NOTE: "政策依据或说明（如文件文号），不超过 200 字；同一版本填一行即可。",
    rule_kinds.DESIGNATION: (
        "平台增加的列：版本只适用于区域内具有该认定的地区（本身或上级具有，如重点帮扶县下的村），"
        "按查询当天的区域认定名单判断；留空适用于区域内所有地区。"
    ),
}


def rules_layout(place: Place = DOC_PLACE) -> Layout:
    """政策规则 (EXCHANGE.md §9): `bangfu rules load` and 政策规则 → 从文件导入, as rules/load.py reads it."""
    examples = {
        rule_kinds.RULE: "就业预警",
        rule_kinds.REGION: place.county6,
        rule_kinds.DATE: "2030-01-01",  # a day to come: the page loads versions from today on
        rule_kinds.PARAM: "离职预警天数",
        rule_kinds.VALUE: "45",
        rule_kinds.NOTE: "",
        rule_kinds.DESIGNATION: "",
    }
    values = {
        rule_kinds.RULE: tuple(kind.name for kind in rule_kinds.KINDS),
        rule_kinds.DESIGNATION: tuple(designation_kinds.NAMES.values()),
    }
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _RULE_RULES[column.name],
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in rule_kinds.COLUMNS
    )

    def param_text(param) -> str:
        if param.required:
            return f"{param.name}（必填）"
        return f"{param.name}（默认 {param.default or '空'}）"

    notes = (
        "每行一个参数；规则、区域代码、认定类别、生效日期相同的行组成一个规则版本，整个版本一起导入或一起不导入。"
        "版本未列出的参数取默认值，没有默认值的参数必须填写。",
        *(f"{kind.name}：{'、'.join(param_text(p) for p in kind.params)}。" for kind in rule_kinds.KINDS),
        "某地某日适用的版本：区域代码与该地代码相符的最长前缀；前缀同样长时，该地当天具有的认定类别的版本优先于"
        "不填认定类别的版本（村级认定贫困村、脱贫村、安置点又优先于县级认定重点帮扶县、深度贫困县）；"
        "再取生效日期不晚于该日的最近一版。",
        "重复导入同一文件不会重复新增。与已存版本（同规则、同区域、同生效日期）内容不同时：尚未生效的版本按文件修改，"
        "已生效的版本不修改，该版本各行报告为错误（已生效的规则只能用新的生效日期新增版本）。",
        "命令 bangfu rules load 可导入过去日期的版本（补录历年政策）；"
        "政策规则页上导入的版本只能今天或以后生效，且只能是本辖区及下级区域的规则。",
        *(
            [
                "数据交换规范 §9 列出的"
                + "、".join(rule_kinds.PLANNED)
                + "规则本版本尚未提供：这些行报告为错误，其余行照常导入。"
            ]
            if rule_kinds.PLANNED
            else []
        ),
        "命令 bangfu rules export 导出全部版本，列与本表相同，可原样导回。",
    )
    return Layout("rules", "政策规则", "政策规则 → 从文件导入；命令 bangfu rules load", columns, notes)


_WORKFORCE_RULES = {
    workforce_rows.ID: "18 位居民身份证号码（或 15 位旧号码），请把单元格设为文本，以免末尾数字丢失。",
    workforce_rows.NAME: "与身份证一致的姓名；少数民族姓名可含间隔号“·”。",
    workforce_rows.STARTED: "写成如 2026-03-01，不晚于今天。",
    workforce_rows.JOB: "岗位或工种，如“普工”“缝纫工”，不超过 50 字。",
    workforce_rows.WAGE: f"元/月，0–{workforce_rows.MAX_WAGE:,}。",
    workforce_rows.WORK_AREA: "在外地工作的填工作地的 6、9 或 12 位区划代码；不填则为本单位所在地。",
    workforce_rows.ENDED: "离职后填写最后工作日；仍在职不填。不早于入职日期，不晚于今天。",
    workforce_rows.REASON: "填写离职日期时必填。",
    workforce_rows.MONTH: "工资所属月份，写成如 2026-03，不晚于本月。",
    workforce_rows.INSURED: "本单位是否为其缴纳了该月的社会保险。",
}


def workforce_layouts(place: Place = DOC_PLACE) -> tuple[Layout, Layout]:
    """企业用工报送 (the project's own files, not in EXCHANGE.md): an employer's 用工人员 and 月工资参保, as
    workforce/rows.py reads them, in the enterprise portal (用工报送 → 文件导入)."""
    examples = {
        workforce_rows.ID: make_id(place.county6, EXAMPLE_BIRTH, 11),
        workforce_rows.NAME: "张示例",
        workforce_rows.STARTED: "2026-03-01",
        workforce_rows.JOB: "普工",
        workforce_rows.WAGE: "3800",
        workforce_rows.WORK_AREA: "",
        workforce_rows.ENDED: "",
        workforce_rows.REASON: "",
        workforce_rows.MONTH: "2026-03",
        workforce_rows.INSURED: "是",
    }
    values = {
        workforce_rows.REASON: workforce_rows.END_REASONS,
        workforce_rows.INSURED: tuple(workforce_rows.YES_NO),
    }

    def columns(definitions):
        return tuple(
            _spec(
                column,
                REQUIRED if column.required else OPTIONAL,
                _WORKFORCE_RULES[column.name],
                values.get(column.name, ()),
                examples[column.name],
            )
            for column in definitions
        )

    reader = "企业门户 → 用工报送 → 文件导入（用人单位账号）"
    hires = Layout(
        "workforce-hires",
        "用工人员（企业报送）",
        reader,
        columns(workforce_rows.HIRE_COLUMNS),
        (
            "每行一段在职经历，按（证件号码，入职日期）识别：再次导入会补充离职日期和原因、修改岗位和月工资，内容相同则不变；"
            "已报送的离职不能更改或撤销。",
            "同一人在本单位的在职期间不能重叠：新的入职须在上一段离职之后（可在同一文件中先填上一段的离职日期）。",
            "报送本单位自行招用的人员；经人社部门推荐录用的人员已在推荐回复中登记，无需再报。",
            "有错误的行不导入，其余行照常导入；错误的行号和原因列在导入结果中。",
        ),
    )
    wages = Layout(
        "workforce-wages",
        "月工资参保（企业报送）",
        reader,
        columns(workforce_rows.WAGE_COLUMNS),
        (
            "每行一人一个月，按（证件号码，年月）识别：再次导入会修改该月的工资和参保情况。",
            "须是已报送入职、该月在职的人员，姓名与入职报送一致。",
        ),
    )
    return hires, wages


_DESIGNATION_RULES = {
    designation_rows.CODE: (
        "被认定区域的区划代码：村（社区）填 12 位，县填 6 位（或补零到 12 位）；须是导入区域的下级区域。"
    ),
    designation_rows.NAME: "可不填；填写时须与区划代码对应的名称一致（村名可带或不带“村”“村委会”“社区”）。",
    designation_rows.KIND: (
        "贫困村、脱贫村、易地搬迁安置点认定给村（社区）；国家乡村振兴重点帮扶县（也认“重点帮扶县”）、"
        "深度贫困县认定给县。"
    ),
    designation_rows.STARTS: "该区域具有此认定的第一天，写成如 2014-05-01；脱贫村填退出（脱贫）日期。",
    designation_rows.ENDS: "自该日起不再具有此认定；不填为至今有效。须晚于起始日期。",
    designation_rows.BASIS: f"认定或退出的文件文号等，不超过 {designation_rows.BASIS_LIMIT} 字。",
}


def designations_layout(place: Place = DOC_PLACE) -> Layout:
    """区域认定名单 (the project's own file, docs/designations.md): 区域认定 → 导入名单 and
    `bangfu import designations`, as areas/rows.py reads it."""
    examples = {
        designation_rows.CODE: place.village_code,
        designation_rows.NAME: place.village,
        designation_rows.KIND: "脱贫村",
        designation_rows.STARTS: "2019-12-20",
        designation_rows.ENDS: "",
        designation_rows.BASIS: "示例文号〔2019〕1号",
    }
    values = {designation_rows.KIND: designation_rows.KIND_VALUES}
    columns = tuple(
        _spec(
            column,
            REQUIRED if column.required else OPTIONAL,
            _DESIGNATION_RULES[column.name],
            values.get(column.name, ()),
            examples[column.name],
        )
        for column in designation_rows.COLUMNS
    )
    notes = (
        "平台自己的文件（数据交换规范 EXCHANGE.md 未规定）：每行一个区域在一段时间内的一项认定。",
        "认定按（区划代码，认定类别，起始日期）识别：再次导入会更新终止日期和认定依据（修改前的内容记入修改记录），"
        "内容相同则不变。",
        "脱贫村的起始日期即退出日期：该村在这一天仍有效的贫困村认定于当天终止（文件中贫困村一行可不填终止日期）。",
        "同一区域同一类别（贫困村与脱贫村视为同一组）的认定期间不能重叠，重叠的行报告为错误。",
        "整个文件在一个事务中保存：保存出错时一条认定也不会保存。有错误的行不导入，其余行照常导入。",
        "命令 bangfu import designations FILE --area CODE [--report PATH]，退出码同其他导入。",
    )
    return Layout(
        "designations",
        "区域认定名单",
        "区域 → 区域认定 → 导入名单；命令 bangfu import designations",
        columns,
        notes,
    )


_POST_RULES = {
    post_rows.NUMBER: (
        f"岗位编号，在县内唯一，不超过 {post_rows.NUMBER_LIMIT} 个字符；同一岗位的多行编号相同。"
    ),
    post_rows.AREA: "岗位所在村（社区，12 位）或乡镇（街道，9 位）的区划代码，须在导入区域内。",
    post_rows.KIND: "岗位类型。",
    post_rows.TITLE: f"岗位名称，如保洁员、护林员，不超过 {post_rows.TITLE_LIMIT} 字。",
    post_rows.ID: "在岗人员的 18 位居民身份证号码，须在导入区域的名册中；岗位空缺时本行在岗人员各列都不填。",
    post_rows.NAME: "在岗人员姓名，须与名册一致。",
    post_rows.STARTED: "上岗日期，填写在岗人员时必填，写成如 2026-03-01。",
    post_rows.ENDED: "离岗日期（最后在岗的一天）；仍在岗不填。",
}
_DUTY_RULES = {
    post_rows.ID: "在岗人员的 18 位居民身份证号码；该人员当月须在导入区域的公益性岗位上。",
    post_rows.NAME: "姓名，须与名册一致。",
    post_rows.MONTH: "出勤所属年月，写成如 2026-05（也认 2026/5、2026年5月），不能晚于本月。",
    post_rows.DAYS: "当月实际在岗天数，0 到应出勤天数之间的整数。",
    post_rows.DUE: "当月应出勤天数，1 到当月天数之间的整数。",
}


def posts_layouts(place: Place = DOC_PLACE) -> tuple[Layout, Layout]:
    """公益性岗位 and 公益性岗位出勤 (EXCHANGE.md §10): `bangfu import posts|duty`, as posts/rows.py reads
    them."""
    holder = make_id(place.county6, EXAMPLE_BIRTH, 123)
    examples = {
        post_rows.NUMBER: f"{place.county6}-GY-001", post_rows.AREA: place.village_code,
        post_rows.KIND: post_rows.KINDS[0], post_rows.TITLE: "保洁员", post_rows.ID: holder,
        post_rows.NAME: "张三", post_rows.STARTED: "2026-03-01", post_rows.ENDED: "",
        post_rows.MONTH: "2026-05", post_rows.DAYS: "21", post_rows.DUE: "22",
    }  # fmt: skip
    values = {post_rows.KIND: post_rows.KINDS}

    def columns(layout_columns, rules):
        return tuple(
            _spec(column, REQUIRED if column.required else OPTIONAL, rules[column.name],
                  values.get(column.name, ()) if rules is _POST_RULES else (), examples[column.name])
            for column in layout_columns
        )  # fmt: skip

    posts = Layout(
        "posts",
        "公益性岗位",
        "公益性岗位 → 导入岗位；命令 bangfu import posts",
        columns(post_rows.POST_COLUMNS, _POST_RULES),
        (
            "每行一个岗位的一段在岗经历（岗位，在岗人员，上岗日期）；空缺岗位一行，在岗人员各列不填。",
            "岗位按（县，岗位编号）识别，在岗经历按（岗位编号，证件号码，上岗日期）识别：再次导入不会重复；"
            "补填离岗日期即办理离岗（同时结束其就业记录）。",
            "每段在岗经历同时是一条就业渠道为“公益性岗位”的就业记录，人员的务工状态随之更新。",
            "同一岗位同一时间只能有一人在岗；已去世的人员不能上岗。",
            "整个文件在一个事务中保存：保存出错时什么也不保存。有错误的行不导入，其余行照常导入。",
        ),
    )
    duty = Layout(
        "duty",
        "公益性岗位出勤",
        "公益性岗位 → 出勤 → 导入出勤；命令 bangfu import duty",
        columns(post_rows.DUTY_COLUMNS, _DUTY_RULES),
        (
            "每行一人一个月，按（证件号码，年月）识别：再次导入会修改该月的出勤。",
            "公益性岗位补贴按当月出勤发放：在岗天数不少于“公益性岗位补贴”规则的最低在岗天数时全额发放，"
            "不足则当月不发放。",
        ),
    )
    return posts, duty


_ROSTER_RULES = {
    roster_rows.COURSE: "培训班在平台开设时的班级编号（县内唯一）；名册只能报送已开设的培训班。",
    roster_rows.ID: "学员的 18 位身份证号码，须在导入区域的名册中。请设为文本。",
    roster_rows.NAME: "须与名册中的姓名一致。",
    roster_rows.ENROLLED: "写成如 2026-03-01；不填时取开班日期。",
    roster_rows.DAYS: "实际出勤天数，整数，不超过培训班的培训天数；不填时保持原值（新学员为 0）。",
    roster_rows.RESULT: "不填为在训；已结业或退学的学员不能再改回在训。",
    roster_rows.COMPLETED: "培训结果为结业时必填，不早于开班日期，不晚于今天；其他结果不填。",
    roster_rows.CERT_KIND: "结业学员取得的证书；与证书编号一起填写。",
    roster_rows.CERT_NUMBER: "与证书类型一起填写，不超过 40 个字符。",
    roster_rows.CERT_ON: "不填时取结业日期。",
}


def training_layout(place: Place = DOC_PLACE) -> Layout:
    """培训学员名册 (the project's proposal for EXCHANGE.md §13): `bangfu import training`, as
    training/rows.py reads it."""
    examples = {
        roster_rows.COURSE: f"{place.county6}-PX-001",
        roster_rows.ID: make_id(place.county6, EXAMPLE_BIRTH, 123),
        roster_rows.NAME: "张三", roster_rows.ENROLLED: "2026-03-01", roster_rows.DAYS: "15",
        roster_rows.RESULT: "结业", roster_rows.COMPLETED: "2026-03-20",
        roster_rows.CERT_KIND: "培训合格证书", roster_rows.CERT_NUMBER: "PX2026000123",
        roster_rows.CERT_ON: "2026-03-20",
    }  # fmt: skip
    values = {roster_rows.RESULT: roster_rows.RESULTS, roster_rows.CERT_KIND: roster_rows.CERTIFICATES}
    return Layout(
        "training",
        "培训学员名册（平台提议，EXCHANGE §13）",
        "职业技能培训 → 名册导入；命令 bangfu import training",
        tuple(
            _spec(
                column,
                REQUIRED if column.required else OPTIONAL,
                _ROSTER_RULES[column.name],
                values.get(column.name, ()),
                examples[column.name],
            )
            for column in roster_rows.COLUMNS
        ),
        (
            "培训机构报送：每行一名学员在一个培训班的报名、出勤、结业和证书。",
            "学员按（班级编号，证件号码）识别：再次导入同一名册不会重复；后来的名册更新出勤、结果和证书。",
            "培训班已满（计划人数）时，超出的新学员行不导入；已故人员不能报名。",
            "有效行在一个事务中保存：保存出错时什么也不保存。有错误的行不导入，其余行照常导入。",
        ),
    )


def _spec(column: Column, required: str, rule: str, values: Sequence[str], example: str) -> ColumnSpec:
    return ColumnSpec(column.name, required, rule, tuple(values), column.aliases, example)


@dataclass(frozen=True)
class Catalog:
    registry: Layout
    jobs: Layout
    followups: Layout
    sources: tuple[Layout, ...] = field(default_factory=tuple)
    employment: Layout | None = None
    rules: Layout | None = None
    workforce: tuple[Layout, ...] = ()
    designations: Layout | None = None
    targets: Layout | None = None
    posts: tuple[Layout, ...] = ()
    training: Layout | None = None

    @property
    def layouts(self) -> tuple[Layout, ...]:
        return (
            self.registry,
            self.jobs,
            *((self.employment,) if self.employment else ()),
            self.followups,
            *self.sources,
            *((self.rules,) if self.rules else ()),
            *self.workforce,
            *((self.designations,) if self.designations else ()),
            *((self.targets,) if self.targets else ()),
            *self.posts,
            *((self.training,) if self.training else ()),
        )

    def get(self, key: str) -> Layout | None:
        return next((layout for layout in self.layouts if layout.key == key), None)


def catalog(place: Place = DOC_PLACE) -> Catalog:
    return Catalog(
        registry_layout(place),
        jobs_layout(place),
        followups_layout(place),
        tuple(source_layout(code, place) for code in sources.TYPES),
        employment=employment_layout(place),
        rules=rules_layout(place),
        workforce=workforce_layouts(place),
        designations=designations_layout(place),
        targets=targets_layout(place),
        posts=posts_layouts(place),
        training=training_layout(place),
    )


GENERAL = (
    "支持 .xlsx、.xls 和 .csv 文件（UTF-8、带 BOM 的 UTF-8、GBK/GB18030 编码）。",
    "表头之上可以有标题行，表格中可以有空行；列的顺序不限。",
    "列名按去掉空格、全角半角统一后匹配；每列的“也可识别的列名”同样有效。",
    "文件中不认识的列会在结果中列出并忽略，不影响导入。",
    "有固定取值的列只接受列出的值，填写其他内容会被报告为错误并写明可填写的值。",
    "日期写成 2026-05-31（也认 2026/5/31、2026年5月31日、20260531）。证件号码、电话等请设为文本格式。",
)


def markdown(place: Place = DOC_PLACE) -> str:
    """docs/exchange.md: the same catalog as the page, as a document in the repository."""
    book = catalog(place)
    lines = [
        "# 数据交换说明",
        "",
        "<!-- 由 bangfu/formats/catalog.py 生成（python -m bangfu.formats > docs/exchange.md），"
        "请勿手工修改；",
        "     列、是否必填和可填写的值取自导入程序本身，与公开规范 EXCHANGE.md 一致。 -->",
        "",
        "平台通过表格文件与工作人员、用人单位和其他部门交换数据。本说明列出平台读取的每种文件的列、",
        "是否必填、可填写的值和填写要求。系统内“数据交换说明”页面内容相同，并可下载每种文件的导入模板",
        "（表头、一行示例、逐列说明）。",
        "",
        "## 通用规则",
        "",
        *(f"- {text}" for text in GENERAL),
        "",
    ]
    for number, layout in enumerate(book.layouts, start=1):
        lines += [
            f"## {number}. {layout.title}",
            "",
            f"读取位置：{layout.reader}。模板：`{layout.key}`。",
            "",
        ]
        lines += [
            "| 列名 | 必填 | 可填写的值 | 填写要求 | 也可识别的列名 | 示例 |",
            "|---|---|---|---|---|---|",
        ]
        for c in layout.columns:
            cells = [c.name, c.required, c.values_text, c.rule, "、".join(c.aliases), c.example]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
        lines.append("")
        lines += [f"- {note}" for note in layout.notes]
        lines.append("")
    lines += [
        "## 命令",
        "",
        "`bangfu` 命令的退出码：0 完成；3 完成，但有行被拒绝（错误报告写明行、列和原因）；"
        "1 失败，未做任何修改；"
        "2 用法错误。",
        "",
        "| 命令 | 作用 |",
        "|---|---|",
        "| `bangfu import registry FILE --area CODE [--dry-run] [--report PATH]` | 名册导入（人员名单） |",
        "| `bangfu export registry --area CODE [--format xlsx\\|csv] --out PATH` | 名册导出，列同人员名单 |",
        "| `bangfu import jobs FILE --area CODE [--report PATH]` | 岗位导入（岗位信息） |",
        "| `bangfu import employment FILE --area CODE [--report PATH]` | 就业信息导入（就业记录） |",
        "| `bangfu import followups FILE --area CODE [--report PATH]` | 跟踪回访导入 |",
        "| `bangfu import targets FILE --area CODE [--report PATH]` | 目标导入（目标），本区域及下级区域 |",
        "| `bangfu report annual --area CODE --year Y --out PATH` | 年度报告（.xlsx 或 .pdf） |",
        "| `bangfu compare SOURCE_TYPE FILE --area CODE --out DIR` "
        "| 数据比对；DIR/results.csv 每个来源行一行 |",
        "| `bangfu match --area CODE [--top N] --out PATH` | 人岗匹配结果 |",
        "| `bangfu rules load FILE [--report PATH] [--dry-run]` "
        "| 政策规则版本导入（政策规则），可含过去日期；已生效的版本不会被修改 |",
        "| `bangfu rules show [--area CODE] [--date D]` | 某区域某日适用的各项规则 |",
        "| `bangfu rules export --out PATH` | 导出全部规则版本，列同政策规则，可原样导回 |",
        "| `bangfu import designations FILE --area CODE [--report PATH]` "
        "| 区域认定名单导入（贫困村、脱贫村、重点帮扶县、安置点等） |",
        "| `bangfu import posts FILE --area CODE [--report PATH]` | 公益性岗位和在岗人员导入（公益性岗位） |",
        "| `bangfu import duty FILE --area CODE [--report PATH]` | 公益性岗位月度出勤导入 |",
        "| `bangfu import training FILE --area CODE [--report PATH]` | 培训学员名册导入（培训机构报送） |",
        "",
    ]
    return "\n".join(lines)
