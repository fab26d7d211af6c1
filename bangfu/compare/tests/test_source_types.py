"""Each source type of EXCHANGE.md §3 gives its findings and proposed changes; nothing changes the registry
before a person accepts (auto-apply is tested in test_review.py)."""

import datetime as dt

import pytest

from bangfu.compare.models import ChangeKind, FillPerson, Finding, Kind, RunStatus, Status
from bangfu.compare.tests.conftest import LONG, MA, SHI, TIAN, WU, compare, fresh, lines, write_source

pytestmark = pytest.mark.django_db


def row(name, id_number, **extra):
    return {"姓名": name, "证件号码": id_number, **extra}


def conflicts(run, change=None):
    qs = Finding.objects.filter(run=run, kind=Kind.CONFLICT)
    return list(qs.filter(change=change) if change else qs)


def filled(run, change) -> dict:
    """{person id: the values proposed} of the people of the run's fill findings of `change`."""
    people = FillPerson.objects.filter(finding__run=run, finding__kind=Kind.FILL, finding__change=change)
    return {
        member.person_id: member.finding.proposal["person"] for member in people.select_related("finding")
    }


def test_death_file_proposes_deceased_and_changes_nothing_yet(users, people, tmp_path):
    path = write_source(
        tmp_path / "死亡.xlsx",
        [row("龙春生", LONG, 死亡日期="2025-03-01"), row("查无此人", "", 死亡日期="2025-01-01")],
    )
    run = compare(users["county_a"], "death", path)
    assert run.status == RunStatus.DONE, run.message
    found = conflicts(run, ChangeKind.DEATH)
    assert len(found) == 1 and found[0].person == people["long"] and found[0].status == Status.OPEN
    assert found[0].proposal == {"person": {"is_deceased": True, "died_on": "2025-03-01"}}
    assert "2025-03-01" in found[0].summary
    assert not fresh(people["long"]).is_deceased  # nothing applied without acceptance
    # The row matched by ID is a finding only through its conflict: counted on the run, listed in
    # results.csv; the unmatched row is a finding of its own.
    kinds = {f.row_no: f.kind for f in Finding.objects.filter(run=run, kind__in=[Kind.EXACT, Kind.UNMATCHED])}
    assert kinds == {4: Kind.UNMATCHED}
    assert run.matched_exact == 1 and run.counts["kind"][Kind.EXACT] == 1
    assert [(r["源行号"], r["匹配结果"]) for r in lines(run)] == [("3", "精确匹配"), ("4", "未匹配")]


def test_employment_file_proposes_record_and_status_by_place(users, people, tmp_path):
    path = write_source(
        tmp_path / "用工备案.csv",
        [
            # 龙春生 (not working) now works in 长沙 (same province, other county): 省内县外务工
            row("龙春生", LONG, 单位名称="湘西建筑公司", 统一社会信用代码="", 工作地区划代码="430102000000",
                入职日期="2025-02-10", 离职日期="", 月工资="4500"),
            # 麻老三 (not working) works in Guangzhou: 省外务工
            row("麻老三", MA, 单位名称="广州电子厂", 工作地区划代码="440105", 入职日期="2025/1/5"),
            # 石秀英 worked and left: no proposal
            row("石秀英", SHI, 单位名称="花垣县茶厂", 工作地区划代码="433124", 入职日期="2024-03-01",
                离职日期="2024-12-31"),
        ],
    )  # fmt: skip
    run = compare(users["county_a"], "employment", path)
    assert run.status == RunStatus.DONE, run.message
    by_person = {f.person_id: f for f in conflicts(run, ChangeKind.EMPLOYMENT)}
    assert set(by_person) == {people["long"].pk, people["ma"].pk}
    long = by_person[people["long"].pk].proposal
    assert long["person"] == {"employment_status": "省内县外务工"}
    assert long["employment"]["employer_name"] == "湘西建筑公司" and long["employment"]["place"] == "省内县外"
    assert long["employment"]["monthly_wage"] == 4500
    assert by_person[people["ma"].pk].proposal["person"] == {"employment_status": "省外务工"}
    assert fresh(people["long"]).employment_status == "未务工"


def test_social_insurance_pension_status_employer_and_uninsured(users, people, tmp_path):
    path = write_source(
        tmp_path / "社保.xlsx",
        [
            row("龙春生", LONG, 险种="城乡居民养老保险", 参保状态="参保缴费", 参保地区划代码="433124102201",
                最近缴费年月="2025-05"),
            row("麻老三", MA, 险种="企业职工养老保险", 参保状态="参保缴费", 参保单位="吉首物流公司",
                参保地区划代码="433101", 最近缴费年月="202504"),
        ],
    )  # fmt: skip
    run = compare(users["county_a"], "social-insurance", path)
    assert run.status == RunStatus.DONE, run.message
    # The registry held no pension values: filled by village, not a finding per person.
    assert conflicts(run, ChangeKind.PENSION) == []
    pension = filled(run, ChangeKind.PENSION)
    assert set(pension) == {people["long"].pk, people["ma"].pk}
    assert pension[people["long"].pk] == {
        "pension_insurance": "城乡居民养老保险",
        "pension_status": "参保缴费",
    }
    job = conflicts(run, ChangeKind.EMPLOYMENT)
    assert len(job) == 1 and job[0].person == people["ma"]
    assert job[0].proposal["employment"]["started_on"] == "2025-04-01"
    assert job[0].proposal["person"] == {
        "employment_status": "省内县外务工"
    }  # 吉首 is another county of Hunan
    # 石秀英 and 吴建国 (over 16, county A) are not in the file: 未参保. County B's 田大山 is not judged.
    missing = Finding.objects.filter(run=run, kind=Kind.MISSING)
    assert {f.person_id for f in missing} == {people["shi"].pk, people["wu"].pk}
    assert all(f.proposal == {"person": {"pension_status": "未参保"}} for f in missing)


def test_civil_affairs_dibao_started_and_tekun_ended(users, people, tmp_path):
    from bangfu.registry.models import Household

    Household.objects.filter(pk=people["ma"].household_id).update(is_tekun=True)
    path = write_source(
        tmp_path / "低保.xlsx",
        [
            row("龙春生", LONG, 救助类型="低保", 开始日期="2025-01-01"),
            row("石秀英", SHI, 救助类型="低保", 开始日期="2025-01-01"),  # same household: one proposal
            row("麻老三", MA, 救助类型="特困", 开始日期="2019-01-01", 终止日期="2025-04-30"),
        ],
    )
    run = compare(users["county_a"], "civil-affairs", path)
    found = {f.person_id: f.proposal for f in conflicts(run, ChangeKind.ASSISTANCE)}
    assert found == {
        people["long"].pk: {"household": {"is_dibao": True}},
        people["ma"].pk: {"household": {"is_tekun": False}},
    }


def test_disability_file_proposes_health_category_grade(users, people, tmp_path):
    path = write_source(tmp_path / "残联.xlsx", [row("吴建国", WU, 残疾类别="肢体残疾", 残疾等级="三级")])
    run = compare(users["county_a"], "disability", path)
    (found,) = conflicts(run, ChangeKind.DISABILITY)
    assert found.proposal == {
        "person": {"health": "残疾", "disability_category": "肢体残疾", "disability_grade": "三级"}
    }
    assert found.registry["健康状况"] == "健康"


def test_medical_insurance_status_and_uninsured(users, people, tmp_path):
    path = write_source(
        tmp_path / "医保.xlsx",
        [
            row("龙春生", LONG, 参保年度="2025", 参保状态="参保"),
            row("石秀英", SHI, 参保年度="2025", 参保状态="未参保"),
            row("石秀英", SHI, 参保年度="2024", 参保状态="参保"),
        ],
    )
    run = compare(users["county_a"], "medical-insurance", path)
    # The registry held no medical values: filled by village; 石秀英's latest year counts.
    assert conflicts(run, ChangeKind.MEDICAL) == []
    assert filled(run, ChangeKind.MEDICAL) == {
        people["long"].pk: {"medical_insured_year": 2025, "medical_status": "参保"},
        people["shi"].pk: {"medical_insured_year": 2025, "medical_status": "未参保"},
    }
    missing = {f.person_id for f in Finding.objects.filter(run=run, kind=Kind.MISSING)}
    assert missing == {people["wu"].pk, people["ma"].pk}


def test_two_contradicting_rows_are_a_conflict_without_proposal(users, people, tmp_path):
    path = write_source(
        tmp_path / "死亡.xlsx",
        [row("龙春生", LONG, 死亡日期="2025-03-01"), row("龙春生", LONG, 死亡日期="2024-11-20")],
    )
    run = compare(users["county_a"], "death", path)
    (found,) = conflicts(run)
    assert found.change == ChangeKind.CONTRADICTION and found.proposal == {} and found.status == Status.INFO
    assert "第3行" in found.summary and "第4行" in found.summary
    assert not conflicts(run, ChangeKind.DEATH)


def test_people_outside_the_run_area_are_not_matched(users, people, tmp_path):
    path = write_source(tmp_path / "死亡.xlsx", [row("田大山", TIAN, 死亡日期="2025-03-01")])
    run = compare(users["county_a"], "death", path)
    (result,) = lines(run)
    assert result["匹配结果"] == "未匹配" and result["匹配证件号码"] == ""
    assert not fresh(people["tian"]).is_deceased


def test_registry_already_true_gives_no_conflict(users, people, tmp_path):
    from bangfu.registry.actions import SOURCE_MANUAL, update_person_fields

    update_person_fields(
        users["county_a"],
        people["long"],
        {"is_deceased": True, "died_on": dt.date(2025, 3, 1)},
        source=SOURCE_MANUAL,
    )
    path = write_source(tmp_path / "死亡.xlsx", [row("龙春生", LONG, 死亡日期="2025-03-01")])
    run = compare(users["county_a"], "death", path)
    assert not conflicts(run)
    # Matched by ID, nothing to do: no finding is kept, the run counts it and results.csv lists it.
    assert not Finding.objects.filter(run=run).exists()
    assert run.matched_exact == 1 and run.counts["kind"] == {Kind.EXACT: 1}
    assert [(r["匹配结果"], r["差异"]) for r in lines(run)] == [("精确匹配", "")]
