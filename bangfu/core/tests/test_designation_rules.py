"""Policy rules that name a designation (core/rules.py): "every 重点帮扶县 of Hunan" applies to the areas of
the region that carry the designation on the day asked — itself or an ancestor — and nowhere else; at the
same prefix length it beats a plain rule, a longer prefix still wins first. `pick`, `in_force`, a book's
`for_code` and its one-condition `partition` all agree with a differently written oracle."""

import datetime as dt

import pytest
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.areas.actions import Listing, add_designation
from bangfu.areas.models import Area
from bangfu.conftest import area
from bangfu.core.rules import pick
from bangfu.registry.models import LaborAgeRule

D = dt.date
VILLAGE_A, VILLAGE_A2, VILLAGE_B = "433124102201", "433124102202", "433123109225"
COUNTY_A, COUNTY_B = "433124000000", "433123000000"
CODES = [VILLAGE_A, VILLAGE_A2, VILLAGE_B, COUNTY_A, COUNTY_B, "433124102000", "440105000000"]
# 花垣县 (A) a 重点帮扶县 from 2021-08-01; 土地村 a 贫困村 until it exits on 2020-06-01, then a 脱贫村;
# a village of 凤凰县 (B) a 安置点 for 2020 only.
LISTINGS = [
    (COUNTY_A, "key_county", D(2021, 8, 1), None),
    (VILLAGE_A, "poor_village", D(2014, 1, 1), D(2020, 6, 1)),
    (VILLAGE_A, "exited_village", D(2020, 6, 1), None),
    (VILLAGE_B, "relocation_site", D(2020, 1, 1), D(2021, 1, 1)),
]
DESIGNATED = ["", "key_county", "poor_village", "exited_village", "relocation_site"]
PREFIXES = ["", "43", "4331", "433124", "433123", "433124102", "44"]
DAYS = st.sampled_from(
    [D(2019, 1, 1), D(2020, 6, 1), D(2020, 12, 31), D(2021, 1, 1), D(2021, 8, 1), D(2022, 1, 1)]
)
RULE_SETS = st.lists(
    st.tuples(st.sampled_from(PREFIXES), st.sampled_from(DESIGNATED), DAYS), max_size=10, unique=True
)
SLOW = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VILLAGE_KINDS = {"poor_village", "exited_village", "relocation_site"}


def carried(code: str, on: dt.date) -> set[str]:
    """What the listings say, read by hand: kinds of the area itself or of its county."""
    found = set()
    for listed, kind, start, end in LISTINGS:
        if listed in (code, code[:6] + "000000") and start <= on and (end is None or on < end):
            found.add(kind)
    return found


def oracle(rules, code: str, on: dt.date):
    """From the area up: at the first prefix with an effective version that can apply, take the village-level
    designation's versions, else the county-level one's, else the plain ones; of those the latest."""
    kinds = carried(code, on)
    for n in range(len(code), -1, -1):
        here = [
            r
            for r in rules
            if r.region_prefix == code[:n]
            and r.effective_from <= on
            and (not r.designation or r.designation in kinds)
        ]
        for tier in (
            [r for r in here if r.designation in VILLAGE_KINDS],
            [r for r in here if r.designation and r.designation not in VILLAGE_KINDS],
            [r for r in here if not r.designation],
        ):
            if tier:
                order = {k: i for i, k in enumerate(DESIGNATED[1:])}
                latest = max(r.effective_from for r in tier)
                return min(
                    (r for r in tier if r.effective_from == latest), key=lambda r: order.get(r.designation, 0)
                )
    return None


@pytest.fixture
def listed(users, areas):
    for code, kind, start, end in LISTINGS:
        actor = users["province"] if kind == "key_county" else users["city"]
        add_designation(actor, Listing(area(code), kind, start, end))


def save(rule_set):
    LaborAgeRule.objects.all().delete()
    return [
        LaborAgeRule.objects.create(region_prefix=p, designation=k, effective_from=d, min_age=i, max_age=99)
        for i, (p, k, d) in enumerate(rule_set)
    ]


@pytest.mark.django_db
@SLOW
@given(rule_set=RULE_SETS, on=DAYS)
def test_lookups_and_partition_agree_with_the_oracle(listed, rule_set, on):
    rules = save(rule_set)
    book = LaborAgeRule.objects.book(on)
    within = LaborAgeRule.objects.book(on, within=Area.objects.get(code=COUNTY_A))
    for code in CODES:
        expected = oracle(rules, code, on)
        assert pick(rules, code, on) == expected
        assert LaborAgeRule.objects.in_force(code, on) == expected
        assert book.for_code(code) == expected
        if code.startswith("433124"):
            assert within.for_code(code) == expected
    codes = list(Area.objects.filter(code__startswith="4331").values_list("code", flat=True)[:300])
    codes += [VILLAGE_A, VILLAGE_A2, VILLAGE_B, "440105000000"]
    for rule in [*book.by_region().values(), None]:
        chosen = Area.objects.filter(code__in=codes).filter(
            book.partition("code", lambda r, rule=rule: Q() if r == rule else Q(pk__in=[]))
        )
        assert set(chosen.values_list("code", flat=True)) == {
            c for c in codes if oracle(rules, c, on) == rule
        } - ({c for c in codes if oracle(rules, c, on) is None} if rule is None else set())


def test_a_key_county_rule_applies_on_its_counties_from_their_day_and_nowhere_else(listed):
    LaborAgeRule.objects.all().delete()  # the shipped national default
    plain = LaborAgeRule.objects.create(
        region_prefix="43", effective_from=D(2020, 1, 1), min_age=16, max_age=60
    )
    key = LaborAgeRule.objects.create(
        region_prefix="43", designation="key_county", effective_from=D(2020, 1, 1), min_age=16, max_age=65
    )
    assert LaborAgeRule.objects.in_force(VILLAGE_A2, D(2021, 7, 31)) == plain  # before the listing
    assert LaborAgeRule.objects.in_force(VILLAGE_A2, D(2021, 8, 1)) == key  # a village of the county
    assert LaborAgeRule.objects.in_force(COUNTY_A, D(2021, 8, 1)) == key
    assert LaborAgeRule.objects.in_force(VILLAGE_B, D(2021, 8, 1)) == plain  # another county
    assert LaborAgeRule.objects.in_force("440105000000", D(2021, 8, 1)) is None  # outside the region
    # A longer prefix still wins first: a plain rule of 花垣县 beats the province's designation rule.
    county = LaborAgeRule.objects.create(
        region_prefix="433124", effective_from=D(2020, 1, 1), min_age=18, max_age=60
    )
    assert LaborAgeRule.objects.in_force(VILLAGE_A2, D(2022, 1, 1)) == county
    # The people counted as laborers follow the rule of their village on the day.
    book = LaborAgeRule.objects.book(D(2022, 1, 1))
    assert book.for_code(VILLAGE_B) == plain and book.for_code(VILLAGE_A) == county


def test_a_designation_rule_without_a_designated_area_applies_nowhere(db):
    LaborAgeRule.objects.all().delete()
    LaborAgeRule.objects.create(region_prefix="", designation="poor_village", effective_from=D(2020, 1, 1))
    book = LaborAgeRule.objects.book(D(2022, 1, 1))
    assert book.for_code(VILLAGE_A) is None
    assert not Area.objects.filter(book.partition("code", lambda rule: Q())).exists()
    assert book.digits == 12  # answers differ village by village: callers must not group by less


def test_the_same_region_and_day_may_hold_a_plain_and_a_designation_version(db):
    LaborAgeRule.objects.all().delete()
    LaborAgeRule.objects.create(region_prefix="43", effective_from=D(2020, 1, 1))
    LaborAgeRule.objects.create(region_prefix="43", designation="key_county", effective_from=D(2020, 1, 1))
    assert LaborAgeRule.objects.filter(region_prefix="43").count() == 2
