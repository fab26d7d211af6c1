"""The low-skill suitability flag: a rule given as data, by region and effective date; a person's
decision is kept."""

import datetime as dt

import pytest

from bangfu.jobs import actions
from bangfu.jobs.models import Job, SuitabilityRule
from bangfu.jobs.suitability import Rule, judge

RULE = Rule(
    max_education="初中",
    occupation_groups=("4-09", "6"),
    max_skills_chars=10,
    demanding_words=("证", "经验"),
    easy_words=("无经验",),
)


@pytest.mark.parametrize(
    ("education", "skills", "code", "suits", "reason"),
    [
        ("", "", "6-05-01-03", True, ""),
        ("初中", "无经验可", "4-09-08-01", True, ""),
        ("高中", "", "6-05-01-03", False, "学历"),
        ("", "持电工证", "6-31-01-03", False, "证"),
        ("", "熟悉各类缝纫设备并能独立完成", "6-05-01-03", False, "超过"),
        ("", "", "2-02-10-08", False, "职业"),
        ("", "", None, True, ""),
    ],
)
def test_judge(education, skills, code, suits, reason):
    verdict = judge(RULE, education_min=education, skills_required=skills, occupation_code=code)
    assert verdict.suits is suits
    assert (reason in "；".join(verdict.reasons)) if reason else not verdict.reasons


def test_the_deepest_region_in_force_decides(areas):
    SuitabilityRule.objects.create(
        region_prefix="4331", effective_from=dt.date(2024, 1, 1), max_education="高中"
    )
    SuitabilityRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2030, 1, 1), max_education="大专"
    )
    book = actions.RuleBook()
    village = areas["village_a"].code
    assert book.rule_for(village, dt.date(2025, 1, 1)).max_education == "高中"  # the county's is not yet
    assert book.rule_for(village, dt.date(2030, 1, 1)).max_education == "大专"
    assert book.rule_for("440105000000", dt.date(2030, 1, 1)).max_education == "初中"  # the national default


def _job(employer, area, **values):
    return Job(
        employer=employer, number=values.pop("number", "S1"), title="缝纫工", openings=2, area=area, **values
    )


def test_saving_sets_the_flag_by_rule_and_keeps_a_manual_decision(users, areas):
    from bangfu.employers.tests.conftest import employer_of

    actor = users["county_a"]
    employer = employer_of(actor)
    job = actions.save_job(actor, _job(employer, areas["village_a"]), infer=True)
    assert job.occupation_id == "6-05-01-03" and job.occupation_inferred
    assert job.suits_low_skill and job.suits_low_skill_by_rule
    job.education_min = "大专"
    job = actions.save_job(actor, job)
    assert not job.suits_low_skill  # the rule again
    job = actions.save_job(actor, job, manual_suitability=True)
    assert job.suits_low_skill and not job.suits_low_skill_by_rule
    job.skills_required = "持证上岗，五年经验"
    job = actions.save_job(actor, job, manual_suitability=True)
    assert job.suits_low_skill  # a person decided: the rule no longer changes it
