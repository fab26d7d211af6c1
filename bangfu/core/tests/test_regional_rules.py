"""The rule in force (bangfu/core/rules.py): the longest region prefix containing the area among the
versions already effective, then the latest of them; None when none applies. Checked against a
differently written oracle on random rule sets, for single lookups, books and the database partition."""

import datetime as dt

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.areas.models import Area
from bangfu.core.rules import RuleInEffectError, pick, validate_region_prefix
from bangfu.registry.models import LaborAgeRule

# Real regions of the test areas: nation, Hunan, 湘西州, 花垣县 (A), 凤凰县 (B), 龙潭镇, 土地村, Guangdong.
PREFIXES = ["", "43", "4331", "433124", "433123", "433124102", "433124102201", "44", "440105"]
CODES = ["433124102201", "433124102000", "433124000000", "433123109225", "433100000000", "440105000000"]
DAYS = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 1, 12))
RULE_SETS = st.lists(st.tuples(st.sampled_from(PREFIXES), DAYS), max_size=10, unique=True)
SLOW = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def oracle(rules, code: str, on: dt.date):
    """Walk from the area itself up to the nation; the first region with an effective version wins,
    and of its versions the latest."""
    for n in range(len(code), -1, -1):
        versions = [r for r in rules if r.region_prefix == code[:n] and r.effective_from <= on]
        if versions:
            return max(versions, key=lambda r: r.effective_from)
    return None


def save(rule_set):
    LaborAgeRule.objects.all().delete()
    return [
        LaborAgeRule.objects.create(region_prefix=prefix, effective_from=day, min_age=i, max_age=99)
        for i, (prefix, day) in enumerate(rule_set)
    ]


@given(rule_set=RULE_SETS, code=st.sampled_from(CODES), on=DAYS)
def test_pick_agrees_with_the_oracle(rule_set, code, on):
    rules = [LaborAgeRule(region_prefix=p, effective_from=d) for p, d in rule_set]
    assert pick(rules, code, on) is oracle(rules, code, on)


@pytest.mark.django_db
@SLOW
@given(rule_set=RULE_SETS, on=DAYS)
def test_in_force_book_and_partition_agree_with_the_oracle(areas, rule_set, on):
    rules = save(rule_set)
    book = LaborAgeRule.objects.book(on)
    for code in CODES:
        expected = oracle(rules, code, on)
        assert LaborAgeRule.objects.in_force(code, on) == expected
        assert book.for_code(code) == expected
    # The partition sends every area to exactly the rule in force for it, in one query.
    codes = list(Area.objects.filter(code__startswith="4331").values_list("code", flat=True)[:400])
    codes += ["440105000000"]
    for rule in book.by_region().values():
        chosen = Area.objects.filter(code__in=codes).filter(
            book.partition("code", lambda r, rule=rule: Q() if r == rule else Q(pk__in=[]))
        )
        assert set(chosen.values_list("code", flat=True)) == {
            c for c in codes if oracle(rules, c, on) == rule
        }


def test_no_rule_applies_outside_its_region_or_before_its_day():
    rules = [LaborAgeRule(region_prefix="433124", effective_from=dt.date(2025, 1, 1))]
    assert pick(rules, "433123000000", dt.date(2026, 1, 1)) is None
    assert pick(rules, "433124102201", dt.date(2024, 12, 31)) is None
    assert pick(rules, "433124102201", dt.date(2025, 1, 1)) is rules[0]


def test_a_book_with_no_rules_selects_nothing(db):
    LaborAgeRule.objects.all().delete()
    book = LaborAgeRule.objects.book(dt.date(2025, 1, 1))
    assert not Area.objects.filter(book.partition("code", lambda rule: Q())).exists()


def test_book_within_an_area_keeps_only_rules_that_can_apply_there(db):
    LaborAgeRule.objects.all().delete()
    day = dt.date(2020, 1, 1)
    for prefix in ["", "43", "433124", "433124102", "433123", "44"]:
        LaborAgeRule.objects.create(region_prefix=prefix, effective_from=day)
    county_a = Area(code="433124000000", level=3)
    assert {r.region_prefix for r in LaborAgeRule.objects.book(day, within=county_a).rules} == {
        "",
        "43",
        "433124",
        "433124102",
    }


@pytest.mark.parametrize("value", ["", "43", "4331", "433124", "433124102", "433124102201"])
def test_region_prefixes_are_area_code_prefixes(value):
    validate_region_prefix(value)


@pytest.mark.parametrize("value", ["4", "43312", "4331241", "43a1", "4331241022011", " 43"])
def test_other_prefixes_are_refused(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_region_prefix(value)


def test_a_version_in_effect_is_never_changed_but_a_scheduled_one_may_be(db):
    from django.utils import timezone

    today = timezone.localdate()
    past = LaborAgeRule.objects.create(region_prefix="43", effective_from=today, min_age=16, max_age=59)
    past.max_age = 60
    with pytest.raises(RuleInEffectError):
        past.save()
    with pytest.raises(RuleInEffectError):
        past.delete()
    assert LaborAgeRule.objects.get(pk=past.pk).max_age == 59
    later = LaborAgeRule.objects.create(
        region_prefix="43", effective_from=today + dt.timedelta(days=1), min_age=16, max_age=59
    )
    later.max_age = 60
    later.save()
    later.delete()
    assert not LaborAgeRule.objects.filter(pk=later.pk).exists()
