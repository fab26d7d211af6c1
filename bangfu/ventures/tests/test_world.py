"""A planted world of ventures and loans: 创业人数 and 带动就业人数 exactly as designed, and each subsidy list
of the payout core (一次性创业补贴, 带动就业补贴, 创业担保贷款贴息) flags exactly the planted failures."""

import datetime as dt
from decimal import Decimal

import pytest

from bangfu.conftest import COUNTY_A, area
from bangfu.payouts import actions as payouts
from bangfu.payouts.models import Line
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.stats import figures
from bangfu.ventures import actions
from bangfu.ventures.tests.factories import interest_rule, jobs_rule, loan, startup_rule, venture

ON = dt.date(2026, 11, 30)


@pytest.fixture
def world(areas):
    startup_rule(min_months=6)
    jobs_rule(amount="1000", min_jobs=2)
    interest_rule(share=100, max_amount="100000", max_months=24)
    p = {k: make_person(k) for k in ("开店", "刚开", "已停业", "两家", "去年", "已故", "逾期", "已结清")}
    v = {
        "开店": venture(p["开店"], started=dt.date(2026, 2, 1), jobs=3),
        "刚开": venture(p["刚开"], started=dt.date(2026, 10, 1), jobs=1),
        "已停业": venture(p["已停业"], started=dt.date(2026, 1, 10), jobs=2),
        "两家1": venture(p["两家"], started=dt.date(2026, 1, 5), jobs=2, name="两家一号"),
        "两家2": venture(p["两家"], started=dt.date(2026, 3, 5), jobs=0, name="两家二号"),
        "去年": venture(p["去年"], started=dt.date(2025, 5, 1), jobs=4),
        "已故": venture(p["已故"], started=dt.date(2026, 1, 2), jobs=2),
        "逾期": venture(p["逾期"], started=dt.date(2025, 12, 1)),
        "已结清": venture(p["已结清"], started=dt.date(2025, 12, 1)),
    }
    actions.close_venture(None, v["已停业"], dt.date(2026, 4, 30))
    p["已故"].is_deceased, p["已故"].died_on = True, dt.date(2026, 8, 1)
    p["已故"].save()
    ok = loan(v["开店"], amount="120000", rate="6", months=24, granted=dt.date(2026, 1, 15))
    late = loan(v["逾期"], amount="50000", rate="6", months=12, granted=dt.date(2025, 12, 20))
    actions.set_loan_status(None, late, "逾期", dt.date(2025, 12, 31), check_scope=False)
    done = loan(v["已结清"], amount="12000", rate="6", months=12, granted=dt.date(2025, 12, 20))
    actions.repay(
        None,
        done,
        paid_on=dt.date(2026, 2, 1),
        principal=Decimal("12000"),
        interest=Decimal("0"),
        check_scope=False,
    )
    venture(make_person("外县", VILLAGE_B), started=dt.date(2026, 3, 1), jobs=5)
    return p, v, ok


def test_the_figures_count_this_years_founders_and_their_jobs(world):
    values = figures.values([COUNTY_A, "43"], ON)
    county = values[f"{COUNTY_A}000000"]
    # 开店, 刚开, 已停业, 两家 (once), 已故 — not 去年, 逾期, 已结清 (started in 2025).
    assert county["entrepreneurs"] == 5
    assert county["jobs_created"] == 3 + 1 + 2 + 2 + 0 + 2
    assert values["430000000000"]["entrepreneurs"] == 6 and values["430000000000"]["jobs_created"] == 15
    before = figures.values([COUNTY_A], dt.date(2026, 2, 28))[f"{COUNTY_A}000000"]
    assert before["entrepreneurs"] == 4  # 开店, 已停业, 两家, 已故


def results(users, key):
    payout_list = payouts.build(users["county_a"], key, area(COUNTY_A), "2026")
    return {
        (line.name, line.ref): (line.result, line.amount)
        for line in Line.objects.filter(payout_list=payout_list)
    }


def test_startup_subsidy_flags_exactly_the_planted_failures(world, users):
    found = results(users, "startup-subsidy")
    assert found == {
        ("开店", "开店的小店"): ("通过", Decimal("5000.00")),
        ("刚开", "刚开的小店"): ("不符合条件", None),  # open 2 months by 30 Nov... and the year's end
        ("已停业", "已停业的小店"): ("不符合条件", None),  # closed after 3 months
        ("两家", "两家一号"): ("通过", Decimal("5000.00")),
        ("两家", "两家二号"): ("重复发放", None),
        ("已故", "已故的小店"): ("已故", None),
    }


def test_jobs_subsidy_pays_per_job_from_the_minimum(world, users):
    found = results(users, "jobs-subsidy")
    assert found[("开店", "开店的小店")] == ("通过", Decimal("3000.00"))
    assert found[("刚开", "刚开的小店")] == ("不符合条件", None)  # 1 job, fewer than 2
    assert found[("已停业", "已停业的小店")] == ("通过", Decimal("2000.00"))
    assert found[("两家", "两家二号")][0] == "不符合条件"  # 0 jobs: the program's own failure stands
    assert found[("已故", "已故的小店")][0] == "已故"


def test_interest_subsidy_pays_the_years_months_and_flags_the_overdue_loan(world, users):
    found = {name: value for (name, _), value in results(users, "loan-interest").items()}
    # 120,000 at 6%: 600 a month, subsidised on 100,000: 500 a month, for the months ending 15 Feb … 15 Dec
    # that have ended by today.
    upto = min(dt.date(2026, 12, 31), dt.date.today())
    ended = sum(1 for month in range(2, 13) if dt.date(2026, month, 15) <= upto)
    assert found["开店"] == ("通过", Decimal(500 * ended).quantize(Decimal("0.01")))
    assert found["逾期"] == ("不符合条件", None)
    # Repaid in full on 1 Feb: the months ending 20 Jan and 20 Feb began with 12,000 owed (60 each), then
    # nothing is outstanding.
    assert found["已结清"] == ("通过", Decimal("120.00"))
