"""Automatic referral: only where an enabled rule (region + date, as data) allows; each laborer's best
matches up to the rule's limits; safe to re-run; the command refuses bad input with exit code 2."""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.referrals.auto import auto_refer
from bangfu.referrals.models import AutoReferralRule, Referral, Status


@dataclass
class FakeMatch:
    person_id: int
    job_id: int
    rank: int
    score: float
    reasons: list = field(default_factory=list)


@pytest.fixture
def matcher(world):
    """Every laborer's ranking, constructed: the factory job first, then the workshop job, then a weak one."""
    ranking = [(world["job"], 90.0), (world["local_job"], 75.0), (world["other_job"], 20.0)]

    def match_for_person(person, top=10):
        return [
            FakeMatch(person.pk, job.pk, i + 1, score, ["职业相符"]) for i, (job, score) in enumerate(ranking)
        ][:top]

    return match_for_person


def test_no_rule_no_referral(world, areas, matcher):
    result = auto_refer(areas["county_a"], matcher=matcher)
    assert result.created == 0 and "没有启用" in result.messages[0] and not Referral.objects.exists()


def test_enabled_rule_refers_top_matches(world, areas, matcher):
    AutoReferralRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2024, 1, 1), enabled=True, top=2, min_score=50
    )
    result = auto_refer(areas["county_a"], matcher=matcher)
    assert result.created == 4  # 龙春生 and 石秀英, two jobs each; 田大山 is in county B
    pairs = set(Referral.objects.values_list("person__name", "job__title"))
    assert pairs == {
        ("龙春生", "电子装配工"),
        ("龙春生", "苗绣工"),
        ("石秀英", "电子装配工"),
        ("石秀英", "苗绣工"),
    }
    assert all(
        r.auto and r.referred_by is None and r.status == Status.REFERRED for r in Referral.objects.all()
    )
    again = auto_refer(areas["county_a"], matcher=matcher)  # open referrals are not repeated
    assert again.created == 0 and Referral.objects.count() == 4


def test_rule_not_yet_in_force_or_disabled_below(world, areas, matcher):
    AutoReferralRule.objects.create(
        region_prefix="43", effective_from=dt.date(2024, 1, 1), enabled=True, top=1
    )
    AutoReferralRule.objects.create(
        region_prefix="433124102", effective_from=dt.date(2024, 1, 1), enabled=False
    )
    AutoReferralRule.objects.create(region_prefix="433123", effective_from=dt.date(2099, 1, 1), enabled=False)
    result = auto_refer(areas["city"], matcher=matcher)
    # 土地村 (township 102) has its own disabled rule; county B follows the province's
    # (its own later rule is not in force yet).
    assert set(Referral.objects.values_list("person__name", flat=True)) == {"田大山"} and result.created == 1


def test_command_usage_errors(db):
    with pytest.raises(CommandError) as error:
        call_command("referrals", "auto", "--area", "999999")
    assert error.value.returncode == 2
    with pytest.raises(CommandError) as error:
        call_command("referrals", "auto", "--area", "abc")
    assert error.value.returncode == 2


def test_command_enqueues_task(areas, capsys):
    from django_tasks_db.models import DBTaskResult

    call_command("referrals", "auto", "--area", "433124", "--enqueue")
    assert "已提交后台任务" in capsys.readouterr().out
    assert DBTaskResult.objects.filter(task_path__endswith="auto_refer_task").exists()
