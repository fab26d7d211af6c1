"""A planted world of needs, courses, completions and jobs gives exactly the designed 应训尽训 list and the
training figures (stats.figures: 培训人数, 有培训需求人数, 应训已训人数, 应训尽训率, 培训后就业人数,
培训后就业率), for a county, its township and the province, and as they stood on a past day."""

import datetime as dt

import pytest

from bangfu.conftest import COUNTY_A, TOWNSHIP_A, area
from bangfu.employment import actions as employment
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person
from bangfu.stats import figures
from bangfu.training import actions, needs
from bangfu.training.tests.factories import course, need, outcome, trained

ON = dt.date(2026, 11, 30)
V2 = "433124105208"  # another township of county A


def job(person, started, ended=None):
    record = EmploymentRecord(employer_name="某电子厂", place="省外", started_on=started, ended_on=ended)
    return employment.create_record(None, person, record, check_scope=False)


@pytest.fixture
def world(areas):
    outcome(months=6)  # Hunan: a job within 6 months of completion
    outcome(months=1, region="433124105")  # that township: within 1 month
    weld = course(starts=dt.date(2026, 3, 1), ends=dt.date(2026, 3, 20))
    cook = course(
        kind="岗位技能培训", occupation="4-03-02-01", starts=dt.date(2026, 5, 1), ends=dt.date(2026, 5, 31)
    )
    last_year = course(starts=dt.date(2025, 6, 1), ends=dt.date(2025, 6, 20))
    p = {}

    def person(key, village=VILLAGE_A):
        p[key] = make_person(key, village)
        return p[key]

    # Need, trained this year, job 5 months after completion: met, employed after training.
    need(person("已训已就业"))
    trained(p["已训已就业"], weld)
    job(p["已训已就业"], dt.date(2026, 8, 15))
    # Need, trained this year, job 7 months after: met, not employed within 6 months.
    need(person("已训晚就业"))
    trained(p["已训晚就业"], weld)
    job(p["已训晚就业"], dt.date(2026, 10, 21))
    # Need, trained this year, a job held since before the course and still held: employed after training.
    need(person("已训原有工作"))
    job(p["已训原有工作"], dt.date(2025, 1, 1))
    trained(p["已训原有工作"], weld)
    # Need, trained this year, job ended before completion: not employed after training.
    need(person("已训工作已结束"))
    job(p["已训工作已结束"], dt.date(2025, 1, 1), dt.date(2026, 2, 28))
    trained(p["已训工作已结束"], weld)
    # Need, trained only last year: on the list.
    need(person("去年培训"), on=dt.date(2025, 1, 10))
    trained(p["去年培训"], last_year, completed=dt.date(2025, 6, 20))
    # Need, on a course now (在训): on the list, marked in training.
    need(person("在训"))
    actions.enrol(None, cook, p["在训"], check_scope=False)
    # Need, dropped out: on the list.
    need(person("退学"))
    actions.drop_out(None, actions.enrol(None, cook, p["退学"], check_scope=False))
    # Need recorded after ON: not counted.
    need(person("需求在后"), on=ON + dt.timedelta(days=1))
    # Need dropped before ON: not counted.
    dropped = need(person("不再需要"))
    actions.drop_need(None, dropped, on=dt.date(2026, 6, 1))
    # Two needs: one person.
    need(person("两条需求"))
    need(p["两条需求"], kind="创业培训", occupation=None)
    # Trained without a recorded need: 培训人数 only.
    trained(person("无需求已训"), cook, completed=dt.date(2026, 5, 31))
    # Other township with the 1-month rule: job 40 days after completion does not count there.
    need(person("他乡", V2))
    trained(p["他乡"], weld)
    job(p["他乡"], dt.date(2026, 4, 29))
    # Completed on 31 January, job on 28 February (a shorter month): within 1 month.
    jan = course(starts=dt.date(2026, 1, 5), ends=dt.date(2026, 1, 31))
    trained(person("月末", V2), jan, completed=dt.date(2026, 1, 31))
    job(p["月末"], dt.date(2026, 2, 28))
    # Completed on 31 January, job on 1 March: not within 1 month.
    trained(person("月末超期", V2), jan, completed=dt.date(2026, 1, 31))
    job(p["月末超期"], dt.date(2026, 3, 1))
    # County B: needs and training never counted in county A.
    need(person("外县", VILLAGE_B))
    trained(p["外县"], course("433123"))
    return p


def names(people):
    return sorted(person.name for person in people)


def test_the_untrained_list_is_exactly_the_designed_people(world):
    listed = needs.untrained(area(COUNTY_A), ON)
    assert names(listed) == sorted(["去年培训", "在训", "退学", "两条需求"])
    assert {p.name for p in listed if p.in_training} == {"在训"}


def test_the_training_figures_of_the_county(world):
    values = figures.values([COUNTY_A], ON)[f"{COUNTY_A}000000"]
    got = {
        key: values[key] for key in ("trained", "training_need", "training_need_met", "trained_employed")
    } | {
        "training_rate": values["training_rate"],
        "trained_employed_rate": values["trained_employed_rate"],
    }
    assert got == {
        "trained": 8,  # 已训×4, 无需求已训, 他乡, 月末, 月末超期
        "training_need": 9,  # 已训×4, 去年培训, 在训, 退学, 两条需求, 他乡
        "training_need_met": 5,  # 已训×4, 他乡
        "training_rate": round(5 * 100 / 9, 1),
        "trained_employed": 3,  # 已训已就业, 已训原有工作, 月末
        "trained_employed_rate": round(3 * 100 / 8, 1),
    }
    # The list is always 有培训需求人数 − 应训已训人数.
    assert (
        needs.untrained(area(COUNTY_A), ON).count() == values["training_need"] - values["training_need_met"]
    )


def test_a_township_and_the_province_add_up(world):
    values = figures.values([TOWNSHIP_A, "433124105", "43"], ON)
    assert values[f"{TOWNSHIP_A}000"]["trained"] == 5
    assert values["433124105000"]["trained"] == 3
    assert values["433124105000"]["trained_employed"] == 1  # 月末 only: 他乡 and 月末超期 too late
    assert values["430000000000"]["trained"] == 9  # and 外县
    assert values["430000000000"]["training_need"] == 10


def test_a_past_day_counts_what_was_done_by_then(world):
    values = figures.values([COUNTY_A], dt.date(2026, 4, 30))[f"{COUNTY_A}000000"]
    # By 30 April: the 20 March course and the January one; 已训已就业's job (15 August) not yet started.
    assert values["trained"] == 7
    assert values["trained_employed"] == 2  # 已训原有工作, 月末


def test_without_an_outcome_rule_nobody_counts_as_employed_after_training(world):
    from bangfu.training.models import OutcomeRule

    OutcomeRule.objects.all().delete()
    values = figures.values([COUNTY_A], ON)[f"{COUNTY_A}000000"]
    assert values["trained_employed"] == 0 and values["trained_employed_rate"] == 0.0


def test_the_command_writes_the_list_and_prints_the_figures(world, tmp_path, capsys):
    import csv

    from django.core.management import call_command

    out = tmp_path / "list.csv"
    call_command("training", "untrained", "--area", COUNTY_A, "--date", ON.isoformat(), "--out", str(out))
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert sorted(r[1] for r in rows[1:]) == sorted(["去年培训", "在训", "退学", "两条需求"])
    call_command("training", "figures", "--area", COUNTY_A, "--date", ON.isoformat())
    total = capsys.readouterr().out.strip().splitlines()[-1].split("\t")
    assert total[0] == f"{COUNTY_A}000000" and total[2:8] == ["8", "9", "5", "55.6", "3", "37.5"]
