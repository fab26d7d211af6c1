"""一次性交通补助 through the payout core: once a year, to 脱贫户 and 监测户 laborers who worked 省外 or
省内县外 for at least the rule's 最短务工月数 in the year, the rule's 金额 of the person's area.

Set-based: the people are those with such a record in the year registered in the list's area (a person who
has since moved away is proposed and the core finds them outside the area); one INSERT … SELECT writes the
lines with their months, then one UPDATE per rule version in force sets the amount or says why not."""

from __future__ import annotations

import datetime as dt

from django.db.models import CharField, DecimalField, F, IntegerField, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from bangfu.employment.models import EmploymentRecord, Place
from bangfu.payouts import checks
from bangfu.payouts.kinds import YEAR, PayoutKind
from bangfu.payouts.models import Line
from bangfu.payouts.periods import parse
from bangfu.registry.models import Person
from bangfu.subsidies.models import TransportRule
from bangfu.subsidies.months import worked_months_sql

ITEM = "一次性交通补助"
HOUSEHOLDS = ("脱贫户", "监测户")
AWAY = (Place.OUTSIDE.value, Place.PROVINCE.value)
BASIS = (
    "对脱贫劳动力和监测对象劳动力跨省、省内跨县务工的，给予一次性交通补助"
    "（人力资源社会保障部等部门就业帮扶政策）"
)


def _days(period: str) -> tuple[dt.date, dt.date]:
    first, last = parse(period, YEAR)
    return first, min(last, timezone.localdate())


def refusal(area, period: str) -> str:
    last = parse(period, YEAR)[1]
    if not len(TransportRule.objects.book(last, within=area)):
        return (
            f"{area.name}在 {period} 年没有生效的一次性交通补助规则（金额、最短务工月数），不能生成发放名单。"
        )
    return ""


def insert(payout_list) -> int:
    area, period = payout_list.area, payout_list.period
    first, upto = _days(period)
    low, high = area.code_range
    away = EmploymentRecord.objects.filter(
        area__gte=low, area__lte=high, place__in=AWAY, started_on__lte=upto
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
    placeholders = ", ".join(["%s"] * len(AWAY))
    months_sql, months_params = worked_months_sql(
        first.year, upto, person=f"{Person._meta.db_table}.id", where=f"r.place IN ({placeholders})",
        where_params=AWAY,
    )  # fmt: skip
    people = Person.objects.filter(
        pk__in=away.values("person_id"), household__household_type__in=HOUSEHOLDS
    ).annotate(
        person_id=F("id"),
        employer_id=Value(None, output_field=IntegerField()),
        area_code=F("area_id"),
        proposed=Value(None, output_field=DecimalField()),
        quantity=RawSQL(months_sql, months_params, output_field=IntegerField()),
        failed=Value(""),
        note=Value(""),
        ref=Value(""),
    )
    written = checks.insert_from(payout_list, people)
    _judge(payout_list, parse(period, YEAR)[1])
    return written


def _judge(payout_list, last: dt.date) -> None:
    """Each line's amount by the rule of the person's area, or why none."""
    lines = Line.objects.filter(payout_list=payout_list)
    book = TransportRule.objects.book(last, within=payout_list.area)
    months = Cast("quantity", output_field=CharField())
    for rule in book.by_region().values():
        territory = book.partition("area_code", lambda r, rule=rule: Q() if r is rule else Q(pk__in=[]))
        mine = lines.filter(territory)
        mine.filter(quantity__gte=rule.min_months).update(
            proposed=rule.amount, note=Concat(Value("外出务工 "), months, Value(" 个月"))
        )
        mine.filter(quantity__lt=rule.min_months).update(
            note=Concat(Value("外出务工 "), months, Value(f" 个月，少于最短务工月数 {rule.min_months}"))
        )
    lines.filter(note="").update(note="所在地区没有生效的一次性交通补助规则")


KIND = PayoutKind(
    key="transport",
    item=ITEM,
    period=YEAR,
    propose=lambda area, period: (),
    basis=BASIS,
    insert=insert,
    refusal=refusal,
    quantity_label="外出务工月数",
)
