"""Registry fixtures: real spreadsheet files as staff send them, written with xlsxwriter and csv."""

import csv
import datetime as dt

import pytest
import xlsxwriter

from bangfu.core.idnumber import make_id

VILLAGE = "433124102201"  # 土地村, 龙潭镇, 花垣县 (county A)
VILLAGE_B = "433123109225"  # 龙潭村 in 凤凰县 (county B)

HEADER = [
    "行政区划代码",
    "乡(镇)",
    "行政村",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "出生日期",
    "民族",
    "文化程度",
    "健康状况",
    "劳动技能",
    "务工状态",
    "务工时间\n(月)",
    "联系电话",
    "户类型",
    "监测对象类型",
    "脱贫年度",
    "人均纯收入",
    "是否低保",
    "就业意向",
    "意向务工地",
    "期望月薪",
    "培训意愿",
    "就业意愿",
]


def pid(birth: str, seq: int, area: str = "433124") -> str:
    return make_id(area, dt.date.fromisoformat(birth), seq)


def person(household, name, id_number, relation="户主", sex="男", birth="", code=VILLAGE, **extra):
    row = {
        "行政区划代码": code,
        "户编号": household,
        "姓名": name,
        "证件号码": id_number,
        "与户主关系": relation,
        "性别": sex,
        "出生日期": birth,
        "民族": "苗族",
        "文化程度": "初中",
        "健康状况": "健康",
        "劳动技能": "普通劳动力",
        "务工状态": "省外务工",
        "务工时间\n(月)": "8",
        "联系电话": "13812345678",
        "户类型": "脱贫户",
        "脱贫年度": "2018",
        "人均纯收入": "12000",
        "是否低保": "否",
        "就业意向": "建筑工人",
        "意向务工地": "省外",
        "期望月薪": "5000",
        "培训意愿": "电工",
        "就业意愿": "是",
    }
    row.update(extra)
    return row


HEAD_ID = pid("1975-03-04", 11)
SPOUSE_ID = pid("1977-08-09", 22)


def messy_rows():
    """(rows, expected outcome per row: True = imported, str = a word the rejection reason contains)."""
    legacy15 = pid("1962-05-06", 31)[:6] + pid("1962-05-06", 31)[8:17]
    wrong_check = pid("1990-01-02", 41)[:17] + ("0" if pid("1990-01-02", 41)[17] != "0" else "1")
    return [
        (person("H1", "龙春生", HEAD_ID, birth="1975-03-04"), True),
        (person("H1", "石秀英", SPOUSE_ID, "配偶", "女", "1977-08-09"), True),
        (person("H2", "吴建国", 433124199001020413.0), "数字"),  # an Excel number cell
        (person("H2", "吴建军", wrong_check), "校验"),
        (person("H3", "麻老三", legacy15, birth="1962-05-06"), True),  # 15-digit legacy number
        (person("H4", "龙春生", HEAD_ID), "重复"),
        (person("H5", "田大山", pid("1980-01-01", 51, "433123"), code=VILLAGE_B), "不在您的管辖区域内"),
        (person("H6", "杨小红", pid("1985-02-03", 61), sex="女"), "性别"),  # sequence 61 is odd: male
        (person("H7", "阿依古丽·买买提", pid("1992-07-08", 72), "户主", "女"), True),
        (
            person(
                "H1", "龙小军", pid("2001-09-10", 81), "之子", 户类型="监测户", 监测对象类型="边缘易致贫户"
            ),
            "不一致",
        ),
        (person("H8", "彭大海", pid("1970-10-11", 91), 文化程度="大学"), "只能填写"),
        (
            person(
                "H9", "向前进", pid("1968-12-13", 13), code="", **{"乡(镇)": "龙潭镇", "行政村": "土地村"}
            ),
            True,
        ),
    ]


def write_xlsx(path, rows):
    """Title rows, a merged title cell, a header with a line break, a blank row, typed cells."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("名单")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "花垣县2025年脱贫劳动力名单")
    sheet.write_string(1, 0, "填报单位：花垣县人社局")
    for col, name in enumerate(HEADER):
        sheet.write_string(2, col, name)
    excel_row = 3
    for index, row in enumerate(rows):
        if index == 4:
            excel_row += 1  # a blank row in the middle
        for col, name in enumerate(HEADER):
            value = row.get(name, "")
            if isinstance(value, float):
                sheet.write_number(excel_row, col, value)
            else:
                sheet.write_string(excel_row, col, str(value))
        excel_row += 1
    book.close()
    return path


def write_csv(path, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["花垣县名单"])
        writer.writerow([h.replace("\n", "") for h in HEADER])
        for row in rows:
            writer.writerow([str(row.get(h, "")) for h in HEADER])
    return path


@pytest.fixture
def messy_file(tmp_path):
    rows, expected = zip(*messy_rows(), strict=True)
    return write_xlsx(tmp_path / "名单.xlsx", rows), expected
