"""Jobs fixtures: §2 jobs files as employers and staff send them (title rows, typed cells, mistakes)."""

import csv

import pytest
import xlsxwriter

from bangfu.employers.creditcode import make_credit_code

HEADER = [
    "岗位编号",
    "单位名称",
    "统一社会信用代码",
    "岗位名称",
    "职业代码",
    "招聘人数",
    "工作地点区划代码",
    "月薪下限",
    "月薪上限",
    "年龄下限",
    "年龄上限",
    "性别要求",
    "学历要求",
    "是否包吃住",
    "技能要求",
    "截止日期",
]
CODE_A = make_credit_code("433124", 101)  # an employer of 花垣县 (county A)
CODE_GZ = make_credit_code("440105", 202)  # an employer of 广州市海珠区
VILLAGE_A = "433124102201"


def job_row(number, title="普工", code=CODE_A, name="花垣县苗绣扶贫车间", area=VILLAGE_A, **extra):
    row = {
        "岗位编号": number,
        "单位名称": name,
        "统一社会信用代码": code,
        "岗位名称": title,
        "职业代码": "",
        "招聘人数": "3",
        "工作地点区划代码": area,
        "月薪下限": "2500",
        "月薪上限": "3500",
        "年龄下限": "18",
        "年龄上限": "55",
        "性别要求": "不限",
        "学历要求": "不限",
        "是否包吃住": "是",
        "技能要求": "",
        "截止日期": "2099-12-31",
    }
    row.update(extra)
    return row


def messy_job_rows():
    """(row, expected: True = imported, str = a word the rejection reason contains)."""
    bad_check = CODE_A[:17] + ("0" if CODE_A[17] != "0" else "1")
    return [
        (job_row("J1", "缝纫工", 职业代码="6-05-01-03"), True),
        (job_row("J2", "急招电子厂普工（包吃住）", 招聘人数=5.0), True),  # a number cell, whole
        (job_row("J3", "保洁员", code=bad_check), "校验位"),
        (job_row("J4", "保安", code="91433124ABC"), "18 位"),
        (job_row("J5", "厨师", area="433123000000"), "不在您的管辖区域内"),  # 凤凰县: county B
        (job_row("J6", "服务员", 招聘人数="0"), "招聘人数"),
        (job_row("J7", "电工", 月薪下限="6000", 月薪上限="4000"), "不能低于下限"),
        (job_row("J1", "缝纫工（重复）"), "重复"),
        (job_row("J8", "焊工", 学历要求="大学"), "只能填写"),
        (job_row("J9", "快递员", area="999999"), "不存在"),
        (job_row("J10", "叉车司机", 职业代码="6-30"), "细类"),
        (job_row("J11", "家政服务员", 截止日期="明年"), "日期"),
        (job_row(1001, "搬运工", 性别要求="男", 截止日期="2099/6/30"), True),  # a number cell 岗位编号
    ]


def write_jobs_xlsx(path, rows, header=HEADER):
    """Two title rows above the header, typed cells as Excel keeps them."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("岗位")
    sheet.merge_range(0, 0, 0, len(header) - 1, "2025年春风行动岗位信息表")
    sheet.write_string(1, 0, "填报单位：花垣县就业服务中心")
    for col, name in enumerate(header):
        sheet.write_string(2, col, name)
    for r, row in enumerate(rows, start=3):
        for col, name in enumerate(header):
            value = row.get(name, "")
            if isinstance(value, int | float):
                sheet.write_number(r, col, value)
            else:
                sheet.write_string(r, col, str(value))
    book.close()
    return path


def write_jobs_csv(path, rows, encoding="gbk"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["岗位信息"])
        writer.writerow(HEADER)
        for row in rows:
            writer.writerow([str(row.get(h, "")) for h in HEADER])
    return path


@pytest.fixture
def messy_jobs_file(tmp_path):
    rows, expected = zip(*messy_job_rows(), strict=True)
    return write_jobs_xlsx(tmp_path / "岗位.xlsx", rows), expected
