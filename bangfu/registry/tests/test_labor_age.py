"""The working-age band (劳动年龄段) is a rule with a region and a date: the national 16–64 seeded by a
migration, and a province's own band changes who counts as a laborer there, everywhere the band is used."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.registry.models import Household, LaborAgeRule, Person, years_before
from bangfu.registry.tests.conftest import VILLAGE, VILLAGE_B, pid

HAIZHU_VILLAGE = "440105"  # a Guangdong village under 海珠区
SEQUENCE = itertools.count(101, 2)


def make_person(name: str, age: int, code: str = VILLAGE) -> Person:
    """A member with labor ability, `age` whole years old today (the birthday was yesterday)."""
    birth = years_before(timezone.localdate(), age) - dt.timedelta(days=1)
    area = Area.objects.filter(code__startswith=code).order_by("-level", "code").first()
    household = Household.objects.create(number=f"H-{name}", area=area)
    return Person.objects.create(
        id_number=pid(birth.isoformat(), next(SEQUENCE), area.code[:6]),
        name=name,
        sex="男",
        birth_date=birth,
        household=household,
        relation="户主",
        area=area,
        labor_skill="普通劳动力",
        employment_status="未务工",
    )


def laborer_names(queryset=None, on=None) -> set[str]:
    return set((queryset or Person.objects.all()).laborers(on).values_list("name", flat=True))


def test_the_national_band_is_seeded_by_the_migration(db):
    rule = LaborAgeRule.objects.in_force(VILLAGE, timezone.localdate())
    assert (rule.region_prefix, rule.min_age, rule.max_age) == ("", 16, 64)


def test_the_band_edges_follow_birthdays(areas):
    today = timezone.localdate()
    born = {
        "刚满十六": years_before(today, 16),
        "明天满十六": years_before(today, 16) + dt.timedelta(days=1),
        "六十四岁末": years_before(today, 65) + dt.timedelta(days=1),
        "今天满六十五": years_before(today, 65),
    }
    area = Area.objects.get(code=VILLAGE)
    for i, (name, birth) in enumerate(born.items()):
        household = Household.objects.create(number=f"E{i}", area=area)
        Person.objects.create(
            id_number=pid(birth.isoformat(), 300 + i), name=name, sex="女", birth_date=birth,
            household=household, relation="户主", area=area, labor_skill="普通劳动力",
        )  # fmt: skip
    assert laborer_names() == {"刚满十六", "六十四岁末"}
    assert {p.name for p in Person.objects.all() if p.is_laborer} == {"刚满十六", "六十四岁末"}


def test_a_province_band_changes_who_counts_as_laborer(areas):
    make_person("湘六十二", 62)
    make_person("湘五十八", 58)
    make_person("凤凰六十二", 62, code=VILLAGE_B)
    make_person("粤六十二", 62, code=HAIZHU_VILLAGE)
    everyone = {"湘六十二", "湘五十八", "凤凰六十二", "粤六十二"}
    assert laborer_names() == everyone

    LaborAgeRule.objects.create(
        region_prefix="43",
        effective_from=timezone.localdate(),
        min_age=16,
        max_age=59,
        note="湖南省劳动年龄段",
    )
    assert laborer_names() == {"湘五十八", "粤六十二"}  # Guangdong keeps the national band
    assert {p.name for p in Person.objects.all() if p.is_laborer} == {"湘五十八", "粤六十二"}

    # A county inside the province sets its own band again: the province's stops there.
    LaborAgeRule.objects.create(
        region_prefix="433123", effective_from=timezone.localdate(), min_age=18, max_age=64
    )
    assert laborer_names() == {"湘五十八", "粤六十二", "凤凰六十二"}


def test_the_band_is_used_by_seekers_matching_and_norms(areas):
    from bangfu.matching.service import seekers as matching_seekers
    from bangfu.referrals.actions import seekers as referral_seekers

    make_person("湘六十二", 62)
    make_person("湘三十", 30)
    county_a = Person.objects.for_area(areas["county_a"])
    assert set(referral_seekers(county_a).values_list("name", flat=True)) == {"湘六十二", "湘三十"}
    assert set(matching_seekers(county_a).values_list("name", flat=True)) == {"湘六十二", "湘三十"}
    LaborAgeRule.objects.create(
        region_prefix="4331", effective_from=timezone.localdate(), min_age=16, max_age=59
    )
    assert set(referral_seekers(county_a).values_list("name", flat=True)) == {"湘三十"}
    assert set(matching_seekers(county_a).values_list("name", flat=True)) == {"湘三十"}


def test_a_scheduled_band_counts_only_from_its_day(areas):
    make_person("湘六十二", 62)
    later = timezone.localdate() + dt.timedelta(days=30)
    LaborAgeRule.objects.create(region_prefix="43", effective_from=later, min_age=16, max_age=59)
    assert laborer_names() == {"湘六十二"}
    assert laborer_names(on=later) == set()  # by then also a month older, and outside the band


@pytest.mark.parametrize("rows", [1, 30])
def test_the_rules_are_read_once_per_call_not_per_row(areas, rows, django_assert_num_queries):
    LaborAgeRule.objects.create(
        region_prefix="433124", effective_from=timezone.localdate(), min_age=18, max_age=60
    )
    for i in range(rows):
        make_person(f"人{i:02d}", 20 + i % 30)
    with django_assert_num_queries(2):  # the rules, then the people
        assert len(list(Person.objects.laborers())) == rows
