"""Job loss from data (issue 16): a 就业 row that ended, or an employer's insurance 终止参保, proposes ending
the record in force at that employer, a finding reviewed like the others; accepting ends the record through
employment.actions (务工状态 derived again). Rows that contradict each other stay a contradiction."""

import datetime as dt

import pytest

from bangfu.audit.models import AuditEvent
from bangfu.compare.actions import accept, reject
from bangfu.compare.models import ChangeKind, Finding, Status
from bangfu.compare.tests.conftest import (
    LONG,
    MA,
    SHI,
    TODAY,
    WU,
    compare,
    fresh,
    lines,
    write_source,
)
from bangfu.employment.actions import create_record
from bangfu.employment.models import EmploymentRecord, Source

pytestmark = pytest.mark.django_db


def row(name, id_number, **extra):
    return {"姓名": name, "证件号码": id_number, **extra}


def record(actor, person, employer_name, started, *, credit_code="", source=Source.MANUAL, place="县内"):
    return create_record(
        actor,
        person,
        EmploymentRecord(
            employer_name=employer_name,
            credit_code=credit_code,
            started_on=dt.date.fromisoformat(started),
            place=place,
            source=source,
        ),
    )


def endings(run) -> dict:
    return {f.person_id: f for f in Finding.objects.filter(run=run, change=ChangeKind.ENDING)}


def test_an_ended_employment_row_proposes_ending_the_record_there(users, people, tmp_path):
    actor = users["county_a"]
    long = record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    shi = record(actor, people["shi"], "花垣县茶厂", "2024-01-01")
    assert fresh(people["long"]).employment_status == "县内务工"
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [
            row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31"),
            # another named employer says nothing of 石秀英's record at 花垣县茶厂
            row("石秀英", SHI, 单位名称="吉首某公司", 入职日期="2023-01-01", 离职日期="2025-02-28"),
            # 麻老三 has no record: a job that ended proposes nothing
            row("麻老三", MA, 单位名称="吉首某公司", 入职日期="2023-01-01", 离职日期="2025-02-28"),
            # a 离职日期 after the run's day: still in work there, nothing ends
            row("石秀英", SHI, 单位名称="花垣县茶厂", 入职日期="2024-01-01", 离职日期="2025-12-31"),
        ],
    )  # fmt: skip
    run = compare(actor, "employment", path)
    found = endings(run)
    assert set(found) == {people["long"].pk}, [f.summary for f in Finding.objects.filter(run=run)]
    finding = found[people["long"].pk]
    assert finding.status == Status.OPEN and finding.row_no == 3
    assert finding.proposal == {
        "ending": {
            "record": long.pk,
            "employer_name": "湘西建筑公司",
            "credit_code": "",
            "started_on": "2024-03-01",
            "ended_on": "2025-05-31",
        }
    }
    assert finding.registry == {"务工状态": "县内务工", "在职记录": "湘西建筑公司，2024-03-01 入职"}
    assert finding.summary == (
        "来源：2025-05-31 从「湘西建筑公司」离职；名册：湘西建筑公司，2024-03-01 入职，在职。"
        "建议：结束该就业记录，离职日期 2025-05-31"
    )
    assert "在职记录" in finding.differs
    assert {r["源行号"]: r["差异"] for r in lines(run)}["3"] == finding.summary
    # Nothing changes before a person accepts.
    long.refresh_from_db()
    assert long.ended_on is None and fresh(people["long"]).employment_status == "县内务工"

    finding = accept(actor, finding)
    long.refresh_from_db()
    assert (long.ended_on, long.end_reason) == (dt.date(2025, 5, 31), "")
    assert fresh(people["long"]).employment_status == "未务工"  # derived from the records again
    assert finding.outcome == "已结束就业记录：湘西建筑公司，2024-03-01 入职，离职日期 2025-05-31"
    assert (
        AuditEvent.objects.filter(object_type="employment.employmentrecord", object_id=str(long.pk))
        .filter(message__contains="就业记录结束")
        .exists()
    )
    shi.refresh_from_db()
    assert shi.ended_on is None
    # Accepting twice, or a second run of the same file, ends nothing again.
    assert accept(actor, finding).outcome == finding.outcome
    again = compare(actor, "employment", path)
    assert endings(again) == {}


def test_a_record_ended_meanwhile_is_left_as_it_is(users, people, tmp_path):
    from bangfu.employment.actions import end_record

    actor = users["county_a"]
    long = record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31")],
    )
    finding = endings(compare(actor, "employment", path))[people["long"].pk]
    end_record(actor, long, dt.date(2025, 4, 30), reason="返乡")
    finding = accept(actor, finding)
    long.refresh_from_db()
    assert (long.ended_on, long.end_reason) == (dt.date(2025, 4, 30), "返乡")
    assert (
        finding.status == Status.ACCEPTED and finding.outcome == "该就业记录已于 2025-04-30 结束，名册未修改"
    )


def test_the_only_record_of_an_unknown_employer_is_taken_for_the_job_that_ended(users, people, tmp_path):
    """A 名册导入 record (employer unknown), the person's only one in force, is the job a row says ended,
    unless the same file shows them in a current job (then it may be that one)."""
    actor = users["county_a"]
    shi = record(actor, people["shi"], "", "2024-01-01", source=Source.ROSTER)
    record(actor, people["wu"], "", "2024-01-01", source=Source.ROSTER, place="省外")
    ma = record(actor, people["ma"], "", "2025-04-01", source=Source.ROSTER)
    path = write_source(
        tmp_path / "用工备案.csv",
        [
            row("石秀英", SHI, 单位名称="吉首某公司", 入职日期="2024-01-01", 离职日期="2025-04-30"),
            row("吴建国", WU, 单位名称="吉首某公司", 入职日期="2024-01-01", 离职日期="2025-04-30"),
            row("吴建国", WU, 单位名称="东莞电子厂", 工作地区划代码="441900", 入职日期="2025-05-01"),
            # ended before 麻老三's record started: another, earlier job
            row("麻老三", MA, 单位名称="吉首某公司", 入职日期="2024-01-01", 离职日期="2025-03-31"),
        ],
    )  # fmt: skip
    run = compare(actor, "employment", path)
    found = endings(run)
    assert set(found) == {people["shi"].pk}
    assert found[people["shi"].pk].proposal["ending"]["record"] == shi.pk
    assert "名册：单位不详，2024-01-01 入职，在职" in found[people["shi"].pk].summary
    jobs = Finding.objects.filter(run=run, change=ChangeKind.EMPLOYMENT)
    assert [f.person_id for f in jobs] == [people["wu"].pk]
    ma.refresh_from_db()
    assert ma.ended_on is None


def test_a_row_that_ended_beside_one_current_at_the_same_employer_is_a_contradiction(users, people, tmp_path):
    actor = users["county_a"]
    long = record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    record(actor, people["shi"], "湘西建筑公司", "2023-01-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [
            row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01"),
            row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31"),
            # left in 2024 and came back in 2025: no contradiction; the old record ends, a new one starts
            row("石秀英", SHI, 单位名称="湘西建筑公司", 入职日期="2023-01-01", 离职日期="2024-06-30"),
            row("石秀英", SHI, 单位名称="湘西建筑公司", 入职日期="2025-01-01"),
        ],
    )  # fmt: skip
    run = compare(actor, "employment", path)
    mine = Finding.objects.filter(run=run, person=people["long"])
    assert [(f.change, f.status, f.proposal) for f in mine] == [(ChangeKind.CONTRADICTION, Status.INFO, {})]
    assert mine[0].summary == "第3行、第4行对此人的在职状态（同一单位既在职又已离职）相互矛盾，请核实"
    long.refresh_from_db()
    assert long.ended_on is None
    hers = {f.change: f for f in Finding.objects.filter(run=run, person=people["shi"])}
    assert set(hers) == {ChangeKind.ENDING, ChangeKind.EMPLOYMENT}
    assert hers[ChangeKind.ENDING].proposal["ending"]["ended_on"] == "2024-06-30"
    assert hers[ChangeKind.EMPLOYMENT].proposal["employment"]["started_on"] == "2025-01-01"


def test_employer_insurance_terminated_proposes_ending_on_the_day_the_file_gives(users, people, tmp_path):
    actor = users["county_a"]
    long = record(actor, people["long"], "吉首物流公司", "2024-01-01")
    ma = record(actor, people["ma"], "广州电子厂", "2024-01-01", place="省外")
    shi = record(actor, people["shi"], "花垣县茶厂", "2024-01-01")
    record(actor, people["wu"], "吉首物流公司", "2024-01-01")
    path = write_source(
        tmp_path / "社保.xlsx",
        [
            row("龙春生", LONG, 险种="失业保险", 参保状态="终止参保", 参保单位="吉首物流公司",
                最近缴费年月="2025-03", 终止参保日期="2025-04-15"),
            row("麻老三", MA, 险种="工伤保险", 参保状态="终止参保", 参保单位="广州电子厂",
                最近缴费年月="202502"),
            row("石秀英", SHI, 险种="失业保险", 参保状态="终止参保", 参保单位="花垣县茶厂"),
            # paid and terminated at one employer: a contradiction, nothing proposed about that job
            row("吴建国", WU, 险种="失业保险", 参保状态="终止参保", 参保单位="吉首物流公司",
                最近缴费年月="2025-03"),
            row("吴建国", WU, 险种="工伤保险", 参保状态="参保缴费", 参保单位="吉首物流公司",
                最近缴费年月="2025-05"),
        ],
    )  # fmt: skip
    run = compare(actor, "social-insurance", path)
    found = endings(run)
    assert {person: f.proposal["ending"]["ended_on"] for person, f in found.items()} == {
        people["long"].pk: "2025-04-15",
        people["ma"].pk: "2025-02-28",
        people["shi"].pk: TODAY.isoformat(),
    }
    assert found[people["long"].pk].proposal["ending"]["record"] == long.pk
    assert found[people["ma"].pk].summary.startswith(
        "来源：「广州电子厂」工伤保险终止参保（未写终止参保日期，按最近缴费年月 2025-02 的月末）"
    )
    assert "未写终止参保日期和最近缴费年月，按比对日期" in found[people["shi"].pk].summary
    contradiction = Finding.objects.get(run=run, person=people["wu"], change=ChangeKind.CONTRADICTION)
    assert "在「吉首物流公司」的就业（参保缴费与终止参保）相互矛盾" in contradiction.summary
    assert not Finding.objects.filter(run=run, person=people["wu"], change=ChangeKind.EMPLOYMENT).exists()
    reject(actor, found[people["ma"].pk], "电话核实仍在岗")
    ma.refresh_from_db()
    shi.refresh_from_db()
    assert ma.ended_on is None and shi.ended_on is None


def test_endings_apply_automatically_only_when_allowed_and_linked_exactly(users, people, tmp_path):
    from bangfu.compare.run import _auto_apply

    actor = users["county_a"]
    ma = record(actor, people["ma"], "湘西建筑公司", "2024-03-01")
    long = record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [
            row("麻老三", MA, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31"),
            row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31"),
        ],
    )  # fmt: skip
    run = compare(actor, "employment", path, auto_apply=["employment"])
    assert len(endings(run)) == 2 and all(f.status == Status.OPEN for f in endings(run).values())
    ma.refresh_from_db()
    assert ma.ended_on is None
    # The settings allow endings: those linked exactly are applied, a fuzzy link waits for a person.
    Finding.objects.filter(pk=endings(run)[people["long"].pk].pk).update(method="fuzzy", probability=0.95)
    run.auto_apply = ["ending"]
    _auto_apply(run)
    found = endings(run)
    assert found[people["ma"].pk].status == Status.ACCEPTED and found[people["ma"].pk].automatic
    assert found[people["long"].pk].status == Status.OPEN
    ma.refresh_from_db()
    long.refresh_from_db()
    assert ma.ended_on == dt.date(2025, 5, 31) and long.ended_on is None


def test_an_automatic_ending_from_the_command_line_has_no_user(users, people, tmp_path):
    long = record(users["county_a"], people["long"], "湘西建筑公司", "2024-03-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31")],
    )
    from bangfu.compare.actions import create_run
    from bangfu.compare.run import run_comparison

    run = create_run(
        area=users["county_a"].area, user=None, source_type="employment", path=path, auto_apply=["ending"]
    )
    run = run_comparison(run, today=TODAY)
    finding = endings(run)[people["long"].pk]
    assert finding.status == Status.ACCEPTED and finding.decided_by is None
    long.refresh_from_db()
    assert long.ended_on == dt.date(2025, 5, 31)


# -- the employers ledger gives the work area a row lacks ------------------------------------------------


def test_a_row_of_the_countys_own_workshop_is_work_in_the_county(users, people, tmp_path):
    """A department's row for 花垣县's own 扶贫车间 names no work area (by name only, or with a credit code
    registered at the prefecture): the ledger's area of the workshop makes it 县内, the channel 扶贫车间,
    and the person, once accepted, 县内务工 and no longer a job seeker. Before the ledger was read the
    record's place was unknown (or 省内县外) and the person stayed 未务工."""
    from bangfu.employers.creditcode import make_credit_code
    from bangfu.employers.models import Employer, EmployerKind
    from bangfu.matching.service import seekers
    from bangfu.registry.models import Person

    village = people["long"].area_id
    Employer.objects.create(
        credit_code=make_credit_code("433124", 7), name="龙潭镇苗绣扶贫车间",
        kind=EmployerKind.POVERTY_WORKSHOP, area_id=village,
    )  # fmt: skip
    prefecture_code = make_credit_code("433100", 8, department="5", category="3")  # registered by 湘西州
    Employer.objects.create(
        credit_code=prefecture_code, name="花垣县就业帮扶车间", kind=EmployerKind.ASSISTANCE_WORKSHOP,
        area_id=village,
    )  # fmt: skip
    two = Person.objects.filter(pk__in=[people["long"].pk, people["shi"].pk])
    two.update(job_wish="")  # job seekers because not in work, not for a wish to change job
    assert set(seekers(two, on=TODAY)) == {
        people["long"],
        people["shi"],
    }
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [
            row("龙春生", LONG, 单位名称="龙潭镇苗绣扶贫车间", 入职日期="2025-03-01"),
            row("石秀英", SHI, 单位名称="花垣县就业帮扶车间", 统一社会信用代码=prefecture_code,
                入职日期="2025-04-01"),
        ],
    )  # fmt: skip
    run = compare(users["county_a"], "employment", path)
    found = {f.person_id: f for f in Finding.objects.filter(run=run, change=ChangeKind.EMPLOYMENT)}
    for person in ("long", "shi"):
        job = found[people[person].pk].proposal
        assert job["person"] == {"employment_status": "县内务工"}, found[people[person].pk].summary
        assert (job["employment"]["work_area"], job["employment"]["place"], job["employment"]["channel"]) == (
            village,
            "县内",
            "扶贫车间",
        )
        accept(users["county_a"], found[people[person].pk])
        made = EmploymentRecord.objects.get(person=people[person])
        assert (made.work_area_id, made.place, made.channel) == (village, "县内", "扶贫车间")
        assert fresh(people[person]).employment_status == "县内务工"
    assert not seekers(two, on=TODAY).exists()


def test_an_employer_paid_insurance_row_takes_the_workshops_area_from_the_ledger(users, people, tmp_path):
    from bangfu.employers.creditcode import make_credit_code
    from bangfu.employers.models import Employer, EmployerKind

    village = people["ma"].area_id
    Employer.objects.create(
        credit_code=make_credit_code("433124", 9), name="龙潭镇苗绣扶贫车间",
        kind=EmployerKind.POVERTY_WORKSHOP, area_id=village,
    )  # fmt: skip
    path = write_source(
        tmp_path / "社保.xlsx",
        [
            row(
                "麻老三",
                MA,
                险种="工伤保险",
                参保状态="参保缴费",
                参保单位="龙潭镇苗绣扶贫车间",
                最近缴费年月="2025-05",
            )
        ],
    )
    run = compare(users["county_a"], "social-insurance", path)
    finding = Finding.objects.get(run=run, change=ChangeKind.EMPLOYMENT)
    assert finding.proposal["employment"]["place"] == "县内" and finding.proposal["person"] == {
        "employment_status": "县内务工"
    }
    accept(users["county_a"], finding)
    made = EmploymentRecord.objects.get(person=people["ma"])
    assert (made.place, made.channel) == ("县内", "扶贫车间") and fresh(
        people["ma"]
    ).employment_status == "县内务工"


# -- what the pages, the API and the export show -------------------------------------------------------


def test_an_ending_is_shown_with_its_record_and_day_on_the_page_api_and_export(
    users, people, client_for, tmp_path
):
    import io

    from django.urls import reverse
    from python_calamine import CalamineWorkbook

    actor = users["county_a"]
    long = record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31")],
    )
    run = compare(actor, "employment", path)
    finding = endings(run)[people["long"].pk]
    client = client_for(actor)
    page = client.get(reverse("compare:finding_detail", kwargs={"pk": finding.pk})).content.decode()
    assert "冲突 · 离职（结束就业记录）" in page
    assert "结束就业记录 · 湘西建筑公司，2024-03-01 入职 → 离职日期 2025-05-31" in page
    assert "湘西建筑公司，2024-03-01 入职" in page  # the record, on the registry side
    listing = client.get(reverse("compare:finding_list") + f"?run={run.pk}&change=ending").content.decode()
    assert "离职" in listing and "在职记录" in listing
    data = client.get(reverse("comparison-finding-detail", kwargs={"pk": finding.pk})).json()
    assert data["change"] == "ending" and data["change_name"] == "离职（结束就业记录）"
    assert data["proposal"]["ending"] == {
        "record": long.pk,
        "employer_name": "湘西建筑公司",
        "credit_code": "",
        "started_on": "2024-03-01",
        "ended_on": "2025-05-31",
    }
    assert data["differs"] == ["在职记录"] and data["registry"]["在职记录"] == "湘西建筑公司，2024-03-01 入职"
    response = client.get(reverse("compare:finding_export") + f"?run={run.pk}&change=ending")
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
    rows = rows.get_sheet_by_index(0).to_python()
    assert len(rows) == 2 and rows[1][3] == "离职（结束就业记录）"
    assert "建议：结束该就业记录，离职日期 2025-05-31" in rows[1][11] and rows[1][12] == "在职记录"
    # Accepted from the page: the record ends.
    client.post(reverse("compare:finding_decide", kwargs={"pk": finding.pk}), {"decision": "accept"})
    long.refresh_from_db()
    assert long.ended_on.isoformat() == "2025-05-31"
    data = client.get(reverse("comparison-finding-detail", kwargs={"pk": finding.pk})).json()
    assert data["status"] == "accepted" and data["outcome"].startswith("已结束就业记录")


def test_accepting_an_ending_tells_the_warnings_once_committed(
    users, people, tmp_path, django_capture_on_commit_callbacks
):
    """The ended record reaches the warnings (就业转失业) through employment's records_changed, sent on
    commit for the person whose record ended."""
    from bangfu.employment.signals import records_changed

    actor = users["county_a"]
    record(actor, people["long"], "湘西建筑公司", "2024-03-01")
    path = write_source(
        tmp_path / "就业登记.xlsx",
        [row("龙春生", LONG, 单位名称="湘西建筑公司", 入职日期="2024-03-01", 离职日期="2025-05-31")],
    )
    finding = endings(compare(actor, "employment", path))[people["long"].pk]
    heard = []

    def listen(sender, person_ids, **kwargs):
        heard.append(list(person_ids))

    records_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            accept(actor, finding)
    finally:
        records_changed.disconnect(listen)
    assert heard == [[people["long"].pk]]
