"""The engine on its own (no database): every hard limit, random worlds never giving a violating pair,
the capacity cap, the scores of an area run agreeing with single-pair scoring, and the reasons."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.matching import engine
from bangfu.matching.engine import Matcher, Settings
from bangfu.matching.tests.designed import EDUCATIONS, DesignedJob, DesignedLaborer, encode, violates

ON = dt.date(2026, 6, 15)
VILLAGE_A, VILLAGE_B = "433124102201", "433123109225"


def laborer(**changes) -> DesignedLaborer:
    values = dict(
        key=0,
        village=VILLAGE_A,
        birth=dt.date(1990, 3, 1),
        sex="男",
        labor_skill="普通劳动力",
        health="健康",
        education="初中",
        desired_region="不限",
        job_wish="焊工",
        wish_code="6-18-02-04",
        expected_wage=4000,
        skills="电焊",
        past_code="",
    )
    values.update(changes)
    return DesignedLaborer(**values)


def job(**changes) -> DesignedJob:
    values = dict(
        key=0,
        number="J1",
        title="焊工",
        occupation="6-18-02-04",
        openings_left=3,
        area=VILLAGE_A,
        wage_min=4000,
        wage_max=5000,
        deadline=ON + dt.timedelta(days=10),
    )
    values.update(changes)
    return DesignedJob(**values)


def pairs_everywhere(laborers, jobs, top=10):
    """Every pair the engine returns, by the three ways of running it."""
    L, J = encode(laborers, jobs)
    matcher = Matcher(L, J, ON, Settings(top=top, threads=1))
    found = set()
    result = matcher.run()
    found |= set(zip(result.laborer.tolist(), result.job.tolist(), strict=True))
    for i in range(len(laborers)):
        r = matcher.for_laborer(i, top=top)
        found |= set(zip(r.laborer.tolist(), r.job.tolist(), strict=True))
    for j in range(len(jobs)):
        r = matcher.for_job(j, top=top)
        found |= set(zip(r.laborer.tolist(), r.job.tolist(), strict=True))
    return found


def matched(lab: DesignedLaborer, j: DesignedJob) -> bool:
    return bool(pairs_everywhere([lab], [j]))


def test_a_fitting_pair_matches():
    assert matched(laborer(), job())


@pytest.mark.parametrize(
    "lab, j",
    [
        (laborer(birth=dt.date(1990, 6, 16)), job(age_min=37)),  # 36 on the run date, birthday tomorrow
        (laborer(birth=dt.date(1970, 1, 1)), job(age_max=55)),  # 56
        (laborer(sex="女"), job(sex_required="男")),
        (laborer(labor_skill="丧失劳动力"), job(suits_low_skill=True)),
        (laborer(labor_skill="无劳动力"), job(suits_low_skill=True)),
        (laborer(health="患有大病"), job(suits_low_skill=False)),
        (laborer(health="残疾"), job(suits_low_skill=False)),
        (laborer(labor_skill="弱劳动力或半劳动力"), job(suits_low_skill=False)),
        (laborer(education="初中"), job(education_min="高中")),
        (laborer(education=""), job(education_min="小学")),
        (laborer(desired_region="县内"), job(area=VILLAGE_B)),
        (laborer(desired_region="省内"), job(area="440105000000")),
        (laborer(), job(deadline=ON - dt.timedelta(days=1))),
        (laborer(), job(openings_left=0)),
        (laborer(), job(status="closed")),
    ],
    ids=[
        "age-min",
        "age-max",
        "sex",
        "no-labor",
        "none-labor",
        "illness",
        "disability",
        "weak",
        "education",
        "education-unknown",
        "county",
        "province",
        "deadline",
        "openings",
        "closed",
    ],
)
def test_each_hard_limit_is_never_broken(lab, j):
    assert violates(lab, j, ON)  # the case does break the limit…
    assert not matched(lab, j)  # …and the engine never returns it


@pytest.mark.parametrize(
    "lab, j",
    [
        (laborer(birth=dt.date(1990, 6, 15)), job(age_min=36, age_max=36)),  # birthday today: 36
        (laborer(health="患有大病"), job(suits_low_skill=True)),
        (laborer(health="长期慢性病"), job()),
        (laborer(education="高中"), job(education_min="高中")),
        (laborer(desired_region="县内"), job(area="433124100000")),  # another township of the county
        (laborer(desired_region="省内"), job(area="430182000000")),
        (laborer(desired_region="省外"), job(area=VILLAGE_A)),  # 省外 accepts anywhere
        (laborer(desired_region=""), job(area="440105000000")),
        (laborer(), job(deadline=ON)),  # the deadline day itself still counts
        (laborer(), job(deadline=None, sex_required="男")),
    ],
)
def test_the_edges_of_each_limit_are_allowed(lab, j):
    assert not violates(lab, j, ON)
    assert matched(lab, j)


SEXES = st.sampled_from(["男", "女"])
laborers_strategy = st.builds(
    DesignedLaborer,
    key=st.just(0),
    village=st.sampled_from([VILLAGE_A, VILLAGE_B, "430182100000", "440105001000"]),
    birth=st.dates(dt.date(1960, 1, 1), dt.date(2010, 12, 31)),
    sex=SEXES,
    labor_skill=st.sampled_from(["技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]),
    health=st.sampled_from(["健康", "长期慢性病", "患有大病", "残疾", ""]),
    education=st.sampled_from(["", *EDUCATIONS]),
    desired_region=st.sampled_from(["县内", "省内", "省外", "不限", ""]),
    job_wish=st.sampled_from(["焊工", "普工", "保洁", "", "电子厂"]),
    wish_code=st.sampled_from(["6-18-02-04", "4-09-08-01", ""]),
    expected_wage=st.sampled_from([0, 3000, 5000]),
    skills=st.sampled_from(["", "电焊", "驾驶"]),
    past_code=st.sampled_from(["", "6-18-02-04", "6-25-04-07"]),
)
jobs_strategy = st.builds(
    DesignedJob,
    key=st.just(0),
    number=st.just("J"),
    title=st.sampled_from(["焊工", "普工", "保洁员", "电子装配"]),
    occupation=st.sampled_from(["6-18-02-04", "4-09-08-01", "6-25-04-07", ""]),
    openings_left=st.integers(0, 3),
    area=st.sampled_from([VILLAGE_A, VILLAGE_B, "433124100000", "430182000000", "440105000000"]),
    wage_min=st.sampled_from([0, 3000, 4500]),
    wage_max=st.sampled_from([0, 5000, 8000]),
    age_min=st.one_of(st.none(), st.integers(16, 40)),
    age_max=st.one_of(st.none(), st.integers(30, 64)),
    sex_required=st.sampled_from(["", "男", "女"]),
    education_min=st.sampled_from(["", *EDUCATIONS]),
    board_and_lodging=st.sampled_from([True, False, None]),
    skills_required=st.sampled_from(["", "电焊"]),
    deadline=st.one_of(st.none(), st.dates(ON - dt.timedelta(days=5), ON + dt.timedelta(days=5))),
    suits_low_skill=st.booleans(),
    status=st.sampled_from(["open", "open", "closed"]),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(laborers_strategy, min_size=1, max_size=25), st.lists(jobs_strategy, min_size=1, max_size=25))
def test_random_worlds_never_give_a_violating_pair(laborers, jobs):
    laborers = [dataclasses.replace(lab, key=i) for i, lab in enumerate(laborers)]
    jobs = [dataclasses.replace(j, key=i) for i, j in enumerate(jobs)]
    found = pairs_everywhere(laborers, jobs, top=5)
    bad = [(i, j, violates(laborers[i], jobs[j], ON)) for i, j in found if violates(laborers[i], jobs[j], ON)]
    assert not bad
    # and no fitting pair is left out when there is room: each laborer's exact list is full or complete
    L, J = encode(laborers, jobs)
    matcher = Matcher(L, J, ON, Settings(top=5, threads=1))
    for i, lab in enumerate(laborers):
        fitting = sum(1 for j in jobs if not violates(lab, j, ON))
        assert len(matcher.for_laborer(i, top=5)) == min(fitting, 5)


def test_area_run_scores_agree_with_single_pair_scores():
    from bangfu.matching.tests.designed import build

    laborers, jobs = build(60, on=ON, background=80)
    L, J = encode(laborers, jobs)
    matcher = Matcher(L, J, ON, Settings(threads=1, capacity=False))
    result = matcher.run()
    ok, score = matcher.evaluate(result.laborer, result.job)
    assert ok.all()
    assert np.allclose(score, result.score, atol=1e-3)
    # without the cap, the area run finds each laborer's exact best job
    for i in range(len(laborers)):
        exact = matcher.for_laborer(i, top=1)
        assert result.score[(result.laborer == i) & (result.rank == 1)][0] == pytest.approx(
            exact.score[0], abs=1e-3
        )


def crowd(n: int, openings: int):
    """`n` laborers who all fit one popular job best, and a plainer job each can fall back to."""
    laborers = [
        laborer(key=i, birth=dt.date(1980 + i % 20, 1, 1), expected_wage=3000 + 10 * i) for i in range(n)
    ]
    jobs = [
        job(key=0, number="HOT", openings_left=openings, wage_max=9000),
        job(key=1, number="PLAIN", title="保洁员", occupation="4-09-08-01", openings_left=100),
    ]
    return laborers, jobs


def test_a_job_is_not_pushed_to_more_people_than_its_cap():
    laborers, jobs = crowd(100, openings=2)
    L, J = encode(laborers, jobs)
    s = Settings(top=2, cap_multiple=5, cap_min=3, threads=1)
    result = Matcher(L, J, ON, s).run()
    hot = result.laborer[result.job == 0]
    assert len(hot) == engine.cap_of(2, s) == 10
    # the cap goes to the best-scored laborers (higher expected wage → lower wage score here: all equal
    # but for the wage component, so the ten with the lowest expectations)
    assert sorted(hot.tolist()) == list(range(10))
    # everyone still gets the plain job
    assert np.count_nonzero(result.job == 1) == 100
    without = Matcher(L, J, ON, dataclasses.replace(s, capacity=False)).run()
    assert np.count_nonzero(without.job == 0) == 100


def test_capacity_equals_greedy_assignment_by_score():
    from bangfu.matching.tests.designed import build

    laborers, jobs = build(80, on=ON, background=30)
    for j in jobs:
        j.openings_left = min(j.openings_left, 1)
    L, J = encode(laborers, jobs)
    # lists long enough to hold every job, so that only the capacity pass is under test
    s = Settings(top=3, cap_multiple=1, cap_min=1, threads=1, candidates=100, pool=1000)
    matcher = Matcher(L, J, ON, s)
    result = matcher.run()
    # greedy reference over each laborer's exact candidates, from the highest score down
    pairs = []
    for i in range(len(laborers)):
        r = matcher.for_laborer(i, top=len(jobs))
        pairs += list(zip((-r.score).tolist(), [i] * len(r), r.job.tolist(), strict=True))
    taken_l, taken_j, chosen = {}, {}, set()
    for _neg, i, j in sorted(pairs, key=lambda p: (round(p[0], 3), p[1], p[2])):
        if taken_l.get(i, 0) < s.top and taken_j.get(j, 0) < max(1, J.openings_left[j]):
            chosen.add((i, j))
            taken_l[i] = taken_l.get(i, 0) + 1
            taken_j[j] = taken_j.get(j, 0) + 1
    mine = set(zip(result.laborer.tolist(), result.job.tolist(), strict=True))
    assert len(mine ^ chosen) <= len(chosen) * 0.02  # ties within 0.001 may swap


def test_reasons_read_in_chinese_and_follow_the_score():
    lab = laborer(desired_region="省外", past_code="6-18-02-04", labor_skill="普通劳动力")
    best = job(area="440105000000", board_and_lodging=True, skills_required="电焊", suits_low_skill=True)
    near = job(
        key=1, number="J2", title="铆工", occupation="6-18-02-01", wage_max=3500, board_and_lodging=False
    )
    L, J = encode([lab], [best, near])
    matcher = Matcher(L, J, ON, Settings(threads=1))
    names = {
        engine.occupation_key("6-18-02-04"): "焊工",
        engine.occupation_key("6-18-02"): "金属加工机械制造人员",
    }
    first, second = matcher.reasons(np.array([0, 0]), np.array([0, 1]), names)
    assert first[0] == "岗位职业与就业意向一致（焊工）"
    assert "月薪最高5000元，达到期望4000元" in first
    assert "省外就业，符合外出务工意愿" in first
    assert {"包吃住", "技能特长与岗位技能要求相符", "曾从事同类工作", "适合低技能劳动力，入职门槛低"} <= set(
        first
    )
    assert "岗位与就业意向同属小类“金属加工机械制造人员”" in second
    assert "月薪最高3500元，低于期望4000元" in second
    assert "县内就业，离家近" in second and "包吃住" not in second
    assert "曾从事相近工作" in second


def test_weights_are_data():
    lab = laborer(expected_wage=6000)
    fit = job(wage_min=3000, wage_max=3000)  # the wished occupation, poorly paid
    paid = job(key=1, number="J2", title="保洁员", occupation="4-09-08-01", wage_min=9000, wage_max=9000)
    L, J = encode([lab], [fit, paid])
    default = Matcher(L, J, ON, Settings(threads=1)).for_laborer(0)
    assert default.job[0] == 0
    money = Settings(weights=engine.Weights(occupation=5, wage=80), threads=1)
    assert Matcher(L, J, ON, money).for_laborer(0).job[0] == 1


def test_laborers_crowded_out_are_matched_again_against_jobs_with_room():
    laborers, jobs = crowd(100, openings=2)
    L, J = encode(laborers, jobs)
    # each laborer keeps a single candidate (the popular job), so only a refill can reach the plain one
    s = Settings(top=1, candidates=1, cap_multiple=5, cap_min=3, threads=1)
    without = Matcher(L, J, ON, dataclasses.replace(s, refill=False)).run()
    assert len(without) == 10 and set(without.job.tolist()) == {0}
    result = Matcher(L, J, ON, s).run()
    assert len(result) == 100 and np.count_nonzero(result.job == 0) == 10
    assert (np.bincount(result.laborer) == 1).all() and (result.rank == 1).all()


def test_caps_hold_even_when_the_rounds_run_out():
    from bangfu.matching.tests.designed import build

    laborers, jobs = build(80, on=ON, background=30)
    L, J = encode(laborers, jobs)
    s = Settings(top=5, cap_multiple=1, cap_min=1, threads=1, max_rounds=1)
    result = Matcher(L, J, ON, s).run()
    per_job = np.bincount(result.job, minlength=len(jobs))
    caps = np.array([engine.cap_of(int(o), s) for o in J.openings_left])
    assert (per_job <= caps).all()
    assert result.stats["capacity_rounds"] == 1


@pytest.mark.parametrize(
    "wish, fit",
    [
        ("6-18-02-04", 1.0),  # the job's own code
        ("6-18-02", 1.0),  # its 小类: the job is within the wished group
        ("6-18", 1.0),  # its 中类
        ("4-09-08-01、6-18-02-04", 1.0),  # two wishes in one cell, the second fits
        ("6-18-02-01", 0.8),  # another 细类 of its 小类
        ("6-18-01", 0.6),  # another 小类 of its 中类
        ("4-09-08-01", 0.0),  # another occupation
    ],
)
def test_a_wish_written_as_a_code_counts_as_that_occupation_or_group(wish, fit):
    L, J = encode([laborer(job_wish=wish, skills="")], [job(title="岗位", occupation="6-18-02-04")])
    matcher = Matcher(L, J, ON, Settings(threads=1))
    _, _, parts = matcher.evaluate(np.array([0]), np.array([0]), parts=True)
    assert parts["occupation"][0] == pytest.approx(fit, abs=0.01)
    area = matcher.run()  # the area run's groups read the same wishes
    assert area.score[0] == pytest.approx(matcher.evaluate(np.array([0]), np.array([0]))[1][0], abs=1e-3)


def test_the_reason_names_the_wished_group():
    L, J = encode([laborer(job_wish="6-18-02")], [job()])
    matcher = Matcher(L, J, ON, Settings(threads=1))
    names = {engine.occupation_key("6-18-02"): "金属加工机械制造人员"}
    (reasons,) = matcher.reasons(np.array([0]), np.array([0]), names)
    assert reasons[0] == "岗位属于就业意向的职业类别“金属加工机械制造人员”"


def test_a_job_elsewhere_in_the_province_is_not_also_taken_for_one_outside_it():
    """Candidate lists are built per batch of home counties; the province a batch's county is in must be
    its own (it once came from the run's list of counties, so that a job elsewhere in the province also
    appeared among the jobs outside it: the same job twice, once scored as another province's)."""
    unable = laborer(key=0, village="430121101201", labor_skill="丧失劳动力")  # a home county with no one
    seeker = laborer(key=1, village="520225101201", desired_region="不限")
    L, J = encode([unable, seeker], [job(area="520128101000")])
    matcher = Matcher(L, J, ON, Settings(threads=1))
    result = matcher.run()
    assert result.laborer.tolist() == [1] and result.job.tolist() == [0]
    assert result.score[0] == pytest.approx(matcher.evaluate(np.array([1]), np.array([0]))[1][0], abs=1e-3)
