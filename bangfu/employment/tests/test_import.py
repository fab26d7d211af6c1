"""`bangfu import employment` and 导入就业信息 (EXCHANGE §5), with real files written here: every row checked
with the row, column and reason in Chinese; valid rows become records of source 就业信息导入 with 务工地域
and 就业渠道 derived; importing again updates by the record's key, never duplicates, and writes nothing
when nothing changed; the registry's 务工状态 never disagrees with the records afterwards."""

import csv
import datetime as dt

import pytest
import xlsxwriter
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bangfu.audit.models import AuditEvent
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Cooperation, EmployerKind
from bangfu.employment import importer
from bangfu.employment.actions import refresh_status
from bangfu.employment.models import EmploymentImport, EmploymentRecord, Source
from bangfu.employment.status import Spell, derive
from bangfu.exchange.report import write_table
from bangfu.referrals.tests.factories import VILLAGE_B, area, make_employer, make_person
from bangfu.registry.models import Change, ImportStatus, Person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=200)
HEADER = [
    "证件号码",
    "姓名",
    "单位名称",
    "统一社会信用代码",
    "工作地区划代码",
    "入职日期",
    "离职日期",
    "离职原因",
    "月工资",
    "就业渠道",
]
GUANGZHOU = "440105"  # 广州市海珠区: outside the province
CHANGSHA = "433123"  # 凤凰县 (county B): in the province, outside county A
COUNTY_A_TOWN = "433124102"


@pytest.fixture
def people(areas):
    return {
        "wu": make_person("吴就业"),
        "shi": make_person("石就业"),
        "long": make_person("龙就业"),
        "ma": make_person("麻就业"),
        "dead": make_person("田已故", is_deceased=True, died_on=TODAY - dt.timedelta(days=30)),
        "outsider": make_person("凤外县", VILLAGE_B),
    }


@pytest.fixture
def ledger(areas):
    factory = make_employer("广州海珠电子厂", GUANGZHOU, 301)
    workshop = make_employer("花垣苗绣扶贫车间", "433124", 302)
    workshop.kind = EmployerKind.POVERTY_WORKSHOP
    workshop.save()
    return {"factory": factory, "workshop": workshop}


def import_file(user, path, **kwargs):
    batch = importer.create_employment_import(area=user.area, user=user, path=path)
    return importer.run_employment_import(batch, **kwargs)


def status_agrees() -> None:
    """The registry's 务工状态 and 务工时间(月) are what the records say, for every person with records."""
    for person in Person.objects.filter(employments__isnull=False).distinct():
        spells = [Spell.of(r) for r in EmploymentRecord.objects.filter(person=person)]
        assert (person.employment_status, person.work_months) == derive(spells, TODAY), person.name


def good_rows(people, ledger):
    wu, shi, long, ma = (people[k] for k in ("wu", "shi", "long", "ma"))
    return [
        # 2: outside the province at a ledger employer (linked by credit code), in work
        [
            wu.id_number,
            wu.name,
            "广州海珠电子厂",
            ledger["factory"].credit_code,
            GUANGZHOU,
            START.isoformat(),
            "",
            "",
            "5200",
            "",
        ],
        # 3: the county's workshop: 扶贫车间 by the ledger's kind; ended
        [
            shi.id_number,
            shi.name,
            "花垣苗绣扶贫车间",
            ledger["workshop"].credit_code,
            COUNTY_A_TOWN,
            START.isoformat(),
            (TODAY - dt.timedelta(days=10)).isoformat(),
            "返乡",
            "",
            "",
        ],
        # 4: in the province, outside the county, no credit code, channel given
        [
            long.id_number,
            long.name,
            "长沙某物流公司",
            "",
            CHANGSHA,
            START.strftime("%Y/%m/%d"),
            "",
            "",
            "",
            "灵活就业",
        ],
        # 5: 有组织输出 by a cooperation of county A with Guangzhou
        [ma.id_number, ma.name, "广州某制衣厂", "", GUANGZHOU + "000", START.isoformat(), "", "", "4800", ""],
    ]


def test_valid_rows_become_records_with_place_channel_and_status(users, people, ledger, tmp_path):
    Cooperation.objects.create(sending_area=area("433124"), receiving_area=area(GUANGZHOU))
    path = tmp_path / "就业.xlsx"
    write_table(path, HEADER, good_rows(people, ledger))
    batch = import_file(users["county_a"], path)
    assert batch.status == ImportStatus.DONE, batch.message
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (4, 4, 0)
    assert (batch.created, batch.updated, batch.unchanged) == (4, 0, 0)
    records = {r.person.name: r for r in EmploymentRecord.objects.select_related("person")}
    wu, shi, long, ma = (records[n] for n in ("吴就业", "石就业", "龙就业", "麻就业"))
    assert {r.source for r in records.values()} == {Source.IMPORT}
    assert (wu.place, wu.employer, wu.monthly_wage, wu.work_area_id) == (
        "省外",
        ledger["factory"],
        5200,
        GUANGZHOU + "000000",
    )
    assert (shi.place, shi.channel, shi.employer, shi.end_reason) == (
        "县内",
        "扶贫车间",
        ledger["workshop"],
        "返乡",
    )
    assert (long.place, long.channel, long.credit_code, long.employer) == ("省内县外", "灵活就业", "", None)
    assert (ma.place, ma.channel) == ("省外", "有组织输出")
    assert wu.channel == "有组织输出"  # outside the county, in the cooperation's receiving area
    assert wu.created_by == users["county_a"] and wu.area_id == people["wu"].area_id
    people["wu"].refresh_from_db()
    people["shi"].refresh_from_db()
    assert people["wu"].employment_status == "省外务工"
    assert people["shi"].employment_status == "未务工"
    status_agrees()
    assert Change.objects.filter(person=people["wu"], field="务工状态", source="就业信息导入").exists()
    messages = AuditEvent.objects.filter(message__startswith="就业信息导入完成").values_list(
        "message", flat=True
    )
    assert "新增就业记录 4 条" in messages.get()
    assert AuditEvent.objects.filter(message__startswith="提交就业信息导入").exists()


def test_importing_again_updates_by_key_and_writes_nothing_when_unchanged(users, people, ledger, tmp_path):
    path = tmp_path / "就业.csv"
    rows = good_rows(people, ledger)
    write_table(path, HEADER, rows)
    import_file(users["county_a"], path)
    stamps = dict(EmploymentRecord.objects.values_list("id", "updated_at"))
    changes = Change.objects.count()
    again = import_file(users["county_a"], path)
    assert (again.created, again.updated, again.unchanged, again.status_changed) == (0, 0, 4, 0)
    assert dict(EmploymentRecord.objects.values_list("id", "updated_at")) == stamps
    assert Change.objects.count() == changes
    # The same file with 离职日期 added to 吴's record: that record is updated, nobody duplicated.
    ended = TODAY - dt.timedelta(days=3)
    rows[0][6], rows[0][7] = ended.isoformat(), "合同到期"
    rows[2][8] = "3900"
    write_table(path, HEADER, rows)
    third = import_file(users["county_a"], path)
    assert (third.created, third.updated, third.unchanged) == (0, 2, 2)
    assert EmploymentRecord.objects.count() == 4
    record = EmploymentRecord.objects.get(person=people["wu"])
    assert (record.ended_on, record.end_reason) == (ended, "合同到期")
    assert EmploymentRecord.objects.get(person=people["long"]).monthly_wage == 3900
    people["wu"].refresh_from_db()
    assert people["wu"].employment_status == "未务工"
    status_agrees()
    # An older file (no 离职日期) does not reopen the record.
    rows[0][6], rows[0][7] = "", ""
    write_table(path, HEADER, rows)
    fourth = import_file(users["county_a"], path)
    assert (fourth.updated, fourth.unchanged) == (0, 4)
    record.refresh_from_db()
    assert record.ended_on == ended


def test_an_existing_record_of_another_source_is_updated_not_duplicated(users, people, ledger, tmp_path):
    wu = people["wu"]
    EmploymentRecord.objects.create(
        person=wu,
        area_id=wu.area_id,
        employer=ledger["factory"],
        employer_name="广州海珠电子厂",
        credit_code=ledger["factory"].credit_code,
        place="省外",
        channel="推荐就业",
        started_on=START,
        source=Source.REFERRAL,
    )
    path = tmp_path / "就业.xlsx"
    write_table(path, HEADER, good_rows(people, ledger)[:1])
    batch = import_file(users["county_a"], path)
    assert (batch.created, batch.updated, batch.unchanged) == (0, 1, 0)  # 月工资 and 工作地 added
    record = EmploymentRecord.objects.get(person=wu)
    assert (record.source, record.channel, record.monthly_wage) == (Source.REFERRAL, "推荐就业", 5200)


def test_every_bad_row_is_reported_with_row_column_and_reason(users, people, ledger, tmp_path):
    wu, long, dead, outsider = (people[k] for k in ("wu", "long", "dead", "outsider"))
    future = (TODAY + dt.timedelta(days=2)).isoformat()
    code = ledger["factory"].credit_code
    bad_code = code[:17] + ("0" if code[17] != "0" else "1")
    rows = [
        [wu.id_number, wu.name, "某厂", "", GUANGZHOU, START.isoformat(), "", "", "", ""],  # 2: good
        [wu.id_number, "吴错名", "某厂二", "", GUANGZHOU, START.isoformat(), "", "", "", ""],  # 3
        [outsider.id_number, outsider.name, "某厂", "", GUANGZHOU, START.isoformat(), "", "", "", ""],  # 4
        [dead.id_number, dead.name, "某厂", "", GUANGZHOU, START.isoformat(), "", "", "", ""],  # 5
        [long.id_number, long.name, "某厂", bad_code, "4401", START.isoformat(), "", "", "", ""],  # 6
        [long.id_number, long.name, "某厂", "", "999999", START.isoformat(), "", "", "", ""],  # 7
        [
            long.id_number,
            long.name,
            "某厂",
            "",
            GUANGZHOU,
            START.isoformat(),
            (START - dt.timedelta(days=1)).isoformat(),
            "",
            "",
            "",
        ],  # 8: ends before it starts
        [
            long.id_number,
            long.name,
            "某厂",
            "",
            GUANGZHOU,
            START.isoformat(),
            "",
            "返乡",
            "很多",
            "打工",
        ],  # 9
        [
            wu.id_number,
            wu.name,
            "某厂",
            "",
            GUANGZHOU,
            START.isoformat(),
            "",
            "",
            "3000",
            "",
        ],  # 10: same as 2
        [long.id_number, long.name, "", "", "", "", "", "", "", ""],  # 11
        [long.id_number, long.name, "某厂三", "", GUANGZHOU, START.isoformat(), future, "", "", ""],  # 12
    ]
    path = tmp_path / "就业.xlsx"
    write_table(path, HEADER, rows)
    batch = import_file(users["county_a"], path)
    assert batch.status == ImportStatus.DONE
    assert (batch.total_rows, batch.valid_rows, batch.error_rows, batch.created) == (11, 1, 10, 1)
    reasons = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "与名册登记的姓名（吴就业）不一致" in reasons[(3, "姓名")]
    assert "名册中没有此证件号码" in reasons[(4, "证件号码")]
    assert "已去世" in reasons[(5, "证件号码")]
    assert "校验位" in reasons[(6, "统一社会信用代码")]
    assert "6 到 12 位" in reasons[(6, "工作地区划代码")]
    assert "不是已登记的行政区划代码" in reasons[(7, "工作地区划代码")]
    assert "不能晚于今天" in reasons[(12, "离职日期")]
    assert "不能早于入职日期" in reasons[(8, "离职日期")]
    assert "只有填写了离职日期" in reasons[(9, "离职原因")]
    assert "应为整数" in reasons[(9, "月工资")]
    assert "只能填写：有组织输出" in reasons[(9, "就业渠道")]
    assert "与第 2 行是同一段就业" in reasons[(10, "")]
    assert reasons[(11, "单位名称")] == reasons[(11, "入职日期")] == "必填"
    assert batch.report
    status_agrees()


def test_a_file_not_generated_here(users, people, ledger, tmp_path):
    """Columns in another order under other names, an extra column, title rows, full-width digits,
    Excel dates, a lower-case credit code with spaces, a GBK CSV."""
    wu, long = people["wu"], people["long"]
    code = ledger["factory"].credit_code
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in long.id_number)
    header = ["备注", "入职时间", "身份证号", "姓名", "用人单位", "工作地", "信用代码", "工资", "离职时间"]
    rows = [
        [
            "第一个",
            dt.datetime.combine(START, dt.time()),
            wu.id_number,
            wu.name,
            "广州海珠电子厂",
            GUANGZHOU,
            " " + code[:9].lower() + " " + code[9:],
            5000.0,
            None,
        ],
        ["", START, fullwidth, "龙 就业", "长沙某（物流）公司", "４３３１２３", "", "", TODAY],
    ]
    path = tmp_path / "外来.xlsx"
    with xlsxwriter.Workbook(path) as book:  # as Excel writes it: a title row, real dates and numbers
        sheet = book.add_worksheet()
        dates = book.add_format({"num_format": "yyyy-mm-dd"})
        sheet.write_row(0, 0, ["某县就业登记表"])
        sheet.write_row(1, 0, header)
        for number, row in enumerate(rows, start=2):
            for column, value in enumerate(row):
                if isinstance(value, dt.date):
                    value = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
                    sheet.write_datetime(number, column, value, dates)
                elif value is not None:
                    sheet.write(number, column, value)
    batch = import_file(users["county_a"], path)
    assert (batch.valid_rows, batch.error_rows, batch.created) == (2, 0, 2), batch.errors
    assert "备注" in batch.message  # the unknown column is reported
    wu_record = EmploymentRecord.objects.get(person=wu)
    assert (wu_record.employer, wu_record.monthly_wage, wu_record.started_on) == (
        ledger["factory"],
        5000,
        START,
    )
    long_record = EmploymentRecord.objects.get(person=long)
    assert (long_record.employer_name, long_record.work_area_id, long_record.ended_on) == (
        "长沙某(物流)公司",
        CHANGSHA + "000000",
        TODAY,
    )
    gbk = tmp_path / "gbk.csv"
    with open(gbk, "w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["就业登记导出"])
        writer.writerow(["姓名", "证件号码", "单位名称", "入职日期", "工作地区划代码"])
        writer.writerow([long.name, long.id_number, "长沙某(物流)公司", START.isoformat(), CHANGSHA])
    again = import_file(users["county_a"], gbk)
    assert (again.valid_rows, again.created, again.unchanged) == (1, 0, 1), again.errors


def test_the_command_exit_codes(users, people, ledger, tmp_path, capsys):
    good = tmp_path / "good.csv"
    write_table(good, HEADER, good_rows(people, ledger))
    call_command("import", "employment", str(good), "--area", "433124")  # 0: returns
    assert EmploymentRecord.objects.count() == 4
    assert EmploymentImport.objects.get().user is None
    bad = tmp_path / "bad.csv"
    write_table(bad, HEADER, [*good_rows(people, ledger), ["1", "无名", "", "", "", "", "", "", "", ""]])
    report = tmp_path / "report.xlsx"
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "employment", str(bad), "--area", "433124", "--report", str(report))
    assert exit_info.value.code == 3 and report.exists()
    # Outside the importing area's subtree: county B imports nobody of county A.
    with pytest.raises(SystemExit) as exit_info:
        call_command("import", "employment", str(good), "--area", "433123")
    assert exit_info.value.code == 3
    empty = tmp_path / "empty.csv"
    empty.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("import", "employment", str(empty), "--area", "433124")
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as usage:
        call_command("import", "employment", str(tmp_path / "none.csv"), "--area", "433124")
    assert usage.value.returncode == 2
    assert EmploymentRecord.objects.count() == 4


def test_a_failure_while_saving_saves_nothing(users, people, ledger, tmp_path, monkeypatch):
    path = tmp_path / "就业.csv"
    write_table(path, HEADER, good_rows(people, ledger))

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(importer, "refresh_status", broken)
    batch = importer.create_employment_import(area=users["county_a"].area, user=users["county_a"], path=path)
    with pytest.raises(RuntimeError):
        importer.run_employment_import(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "未保存任何就业记录" in batch.message
    assert EmploymentRecord.objects.count() == 0
    status_agrees()


def test_a_credit_code_of_the_ledger_links_and_a_workshop_makes_the_channel(users, people, areas, tmp_path):
    workshop = make_employer("某就业帮扶车间", "433124", 77)
    workshop.kind = EmployerKind.ASSISTANCE_WORKSHOP
    workshop.save()
    unknown = make_credit_code("433124", 78)
    wu, shi = people["wu"], people["shi"]
    rows = [
        [
            wu.id_number,
            wu.name,
            "某就业帮扶车间",
            workshop.credit_code,
            "433124",
            START.isoformat(),
            "",
            "",
            "",
            "",
        ],
        [shi.id_number, shi.name, "不在台账的公司", unknown, "433124", START.isoformat(), "", "", "", ""],
    ]
    path = tmp_path / "e.xlsx"
    write_table(path, HEADER, rows)
    import_file(users["county_a"], path)
    linked = EmploymentRecord.objects.get(person=wu)
    assert (linked.employer, linked.channel) == (workshop, "扶贫车间")
    plain = EmploymentRecord.objects.get(person=shi)
    assert (plain.employer, plain.channel, plain.credit_code) == (None, "", unknown)


def test_the_column_wise_checks_accept_and_refuse_exactly_as_the_row_checks(
    users, people, ledger, tmp_path, monkeypatch
):
    """The same CSV through both readers: the same records, the same errors (employment/columnar.py)."""
    wu, long = people["wu"], people["long"]
    code = ledger["factory"].credit_code
    odd = [
        [wu.id_number, wu.name, "广州（海珠）电子厂", code, GUANGZHOU, START.isoformat(), "", "", "5200", ""],
        [wu.id_number.lower(), wu.name, "某厂", code.lower(), GUANGZHOU, "2026/1/5", "", "", "4,500", ""],
        [
            long.id_number,
            "龙•就业",
            " 某厂 ",
            "",
            "４４０１０５",
            START.isoformat(),
            TODAY.isoformat(),
            "返乡",
            "04500",
            "灵活就业",
        ],
        [long.id_number, long.name, "某厂", code[:17] + "0", "4401", "2026-02-30", "", "其他", "-1", "打工"],
        [long.id_number, long.name, "某厂二", "", "1234567", START.isoformat(), "", "", "1000001", ""],
        [long.id_number[:17] + "0", long.name, "Ab & Co.", "", GUANGZHOU, "19790101", "", "", "", ""],
        ["", "", "", "", "", "", "", "", "", ""],
        [long.id_number, long.name, "某厂四", "", GUANGZHOU, START.isoformat(), "2099-01-01", "", "", ""],
    ]
    path = tmp_path / "odd.csv"
    write_table(path, HEADER, odd)
    area = users["county_a"].area
    results = []
    for fast in (True, False):
        monkeypatch.setattr(importer, "can_read_fast", lambda sheet, fast=fast: fast)
        validation = importer.validate_file(path, area)
        errors = sorted(
            (p.row_number, e.column or "", e.message) for p in validation.problems for e in p.errors
        )
        results.append((validation.records.sort("row_number").rows(), errors))
    assert results[0] == results[1]
    assert len(results[0][0]) == 2 and len(results[0][1]) >= 8  # row 4: 龙·就业 is not the registered name


def test_what_listens_to_the_records_neither_fails_on_many_people_nor_undoes_the_import(
    users, people, ledger, tmp_path, django_capture_on_commit_callbacks
):
    """The listeners of records_changed take a million ids (SQLite allows 32,766 parameters a statement),
    and one that fails after the commit leaves the import done, as saved."""
    from bangfu.employment.signals import records_changed

    with django_capture_on_commit_callbacks(execute=True):
        records_changed.send(sender=EmploymentRecord, person_ids=list(range(1, 40_001)))

    def broken(sender, **kwargs):
        raise RuntimeError("listener down")

    records_changed.connect(broken, dispatch_uid="test-broken-listener")
    try:
        path = tmp_path / "就业.csv"
        write_table(path, HEADER, good_rows(people, ledger))
        with django_capture_on_commit_callbacks(execute=True):
            batch = import_file(users["county_a"], path)
    finally:
        records_changed.disconnect(dispatch_uid="test-broken-listener")
    assert batch.status == ImportStatus.DONE and batch.created == 4
    assert EmploymentRecord.objects.count() == 4


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_status_derived_in_memory_is_what_the_stored_records_give(users, areas, tmp_path, seed):
    """The import derives 务工状态 and 务工时间(月) from the records it holds in memory (status.derived_frame)
    rather than asking the database again: after files that add, end and move records of people who
    already have several — started the same day, sharing a key, entered by other paths — what it stored
    is exactly what the stored records give (status.derive, one person at a time)."""
    import random

    rng = random.Random(seed)
    year_start = dt.date(TODAY.year, 1, 1)
    people = [make_person(f"随机{seed}{n:02d}") for n in range(30)]
    places = {"433124": "县内", CHANGSHA: "省内县外", GUANGZHOU: "省外"}

    def day():
        return (
            year_start
            - dt.timedelta(days=200)
            + dt.timedelta(days=rng.randrange((TODAY - year_start).days + 200))
        )

    for person in people:
        for _ in range(rng.randrange(0, 4)):
            started = rng.choice([day(), year_start])  # many records start on the same day
            work = rng.choice([*places, ""])
            EmploymentRecord.objects.create(
                person=person, area_id=person.area_id, employer_name=rng.choice(["甲厂", "乙厂"]),
                started_on=started, work_area_id=work.ljust(12, "0") if work else None,
                place=places.get(work, ""),
                ended_on=None if rng.random() < 0.5 else started + dt.timedelta(days=rng.randrange(0, 120)),
                source=rng.choice([Source.MANUAL, Source.ROSTER]),
            )  # fmt: skip
    refresh_status(None, [p.pk for p in people], source="测试")
    status_agrees()
    for round_number in range(2):
        rows = []
        for person in rng.sample(people, 20):
            existing = list(EmploymentRecord.objects.filter(person=person))
            if existing and rng.random() < 0.5:  # the same spell again: moved, or ended
                record = rng.choice(existing)
                started, employer = record.started_on, record.employer_name
            else:
                started, employer = rng.choice([day(), year_start]), rng.choice(["甲厂", "乙厂", "丙厂"])
            ended = ""
            if rng.random() < 0.4:
                ended = min(started + dt.timedelta(days=rng.randrange(0, 150)), TODAY).isoformat()
            work = rng.choice(list(places))
            rows.append(
                [person.id_number, person.name, employer, "", work, started.isoformat(), ended, "", "", ""]
            )
        path = tmp_path / f"random-{round_number}.csv"
        write_table(path, HEADER, rows)
        batch = import_file(users["county_a"], path)
        assert batch.status == ImportStatus.DONE and batch.error_rows == 0, batch.errors
        assert batch.created + batch.updated > 0
        status_agrees()
