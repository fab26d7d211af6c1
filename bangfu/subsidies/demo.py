"""The demo's 就业补贴 and 补贴发放 (issue 18, item 6): the 一次性交通补助 and 车间基地奖补 rules of the demo
counties, the 补贴资金分担 of Hunan, the two payout rights for the county users, and last year's
一次性交通补助 list of 花垣县 built through the real core — with lines that fail each check: a laborer who
died during the year, one already paid on a village's list, too few months away, one who moved to 凤凰县
after his record was registered in 花垣县. Payee accounts for most of those who pass, so the bank file
can be exported. Written by the demo users through the real actions; skipped once the list exists."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.employment.models import EmploymentRecord
from bangfu.payouts import actions
from bangfu.payouts.models import Card, Line, PayoutList, Result, Right, ShareRule
from bangfu.registry.actions import update_person_fields
from bangfu.registry.models import Person
from bangfu.subsidies.models import RewardRule, TransportRule
from bangfu.subsidies.transport import AWAY, HOUSEHOLDS

SINCE = dt.date(2020, 1, 1)


def _user(code: str) -> User | None:
    return User.objects.filter(username=f"demo{code}").first()


def _area(code: str) -> Area:
    return Area.objects.get(code=code.ljust(12, "0"))


def ensure_rules(counties) -> None:
    note = "演示数据"
    if not ShareRule.objects.filter(region_prefix="43").exists():
        ShareRule.objects.create(
            region_prefix="43", effective_from=SINCE, province_pct=40, city_pct=30, county_pct=30, note=note
        )
    for index, county in enumerate(counties):
        if not TransportRule.objects.filter(region_prefix=county).exists():
            TransportRule.objects.create(
                region_prefix=county, effective_from=SINCE, amount=Decimal(500 + 100 * index),
                min_months=3 + index, note=f"{note}：跨省、省内跨县务工一次性交通补助",
            )  # fmt: skip
    if not RewardRule.objects.filter(region_prefix="4331").exists():
        RewardRule.objects.create(
            region_prefix="4331", effective_from=SINCE, min_hired=5, min_months=6, per_person=Decimal("1000"),
            fixed=Decimal("10000"), cap=Decimal("50000"), note=f"{note}：就业帮扶车间、基地吸纳就业奖补",
        )  # fmt: skip


def _away_people(county: str, year: int):
    low, high = _area(county).code_range
    records = EmploymentRecord.objects.filter(
        area__gte=low, area__lte=high, place__in=AWAY, started_on__lte=dt.date(year, 3, 1)
    ).exclude(ended_on__lt=dt.date(year, 10, 1))
    return (
        Person.objects.filter(pk__in=records.values("person_id"), household__household_type__in=HOUSEHOLDS)
        .filter(is_deceased=False)
        .order_by("pk")
    )


@transaction.atomic
def build_payouts_demo(counties) -> None:
    ensure_rules(counties)
    county, other = counties[0], counties[1]
    clerk = _user(county)
    if clerk is None:
        return
    for right in (Right.APPROVE, Right.EXPORT):
        for code in counties:
            if (user := _user(code)) is not None:
                actions.grant(None, user, right, True)
    year = timezone.localdate().year - 1
    period = str(year)
    if PayoutList.objects.filter(kind="transport", period=period, area_id=_area(county).code).exists():
        return
    away = list(_away_people(county, year)[:4])
    if len(away) == 4:
        dead, twice = away[0], away[1]
        fields = {"is_deceased": True, "died_on": dt.date(year, 7, 15)}
        update_person_fields(clerk, dead, fields, source="手工", message="演示：登记死亡")
        village_list = actions.build(clerk, "transport", _area(twice.area_id), period)
        _pay(clerk, village_list)
    moved_from = Person.objects.filter(area__code__startswith=other, household__household_type__in=HOUSEHOLDS)
    moved = moved_from.order_by("pk").first()
    if moved is not None:  # registered by 花垣县 while he lived there; he lives in 凤凰县 now
        village = Area.objects.filter(code__startswith=county, level=5).order_by("code").first()
        EmploymentRecord.objects.create(
            person=moved, area=village, employer_name="广东东莞某电子厂", place="省外",
            started_on=dt.date(year, 2, 1), ended_on=dt.date(year, 11, 30),
        )  # fmt: skip
    payout_list = actions.build(clerk, "transport", _area(county), period)
    passed = Line.objects.filter(payout_list=payout_list, result=Result.PASSED).order_by("id")
    people = Person.objects.in_bulk(list(passed.values_list("person_id", flat=True)[:400]))
    for index, person in enumerate(people.values()):
        if index % 5 == 4:
            continue  # a few without an account: the page says so before the bank file
        card = Card.SOCIAL_SECURITY if index % 2 else Card.ONE_CARD
        number = f"62{person.id_number[-14:].replace('X', '0')}{index % 10:02d}"
        actions.save_account(clerk, person=person, card=card, bank="湖南农村信用社", number=number)
    for code in counties:
        with suppress(ValidationError):  # no workshop with poor laborers: no list
            actions.build(_user(code), "workshop-reward", _area(code), period)


def _pay(clerk, payout_list) -> None:
    """A village's list approved and paid (its bank file exported), so the county's list finds it paid."""
    try:
        actions.approve(clerk, payout_list)
        actions.export_bank(clerk, payout_list)
    except ValidationError:
        pass
