"""一次性交通补助 through the payout core: once a year, to 脱贫户 and 监测户 laborers who worked 省外 or
省内县外 for at least the rule's 最短务工月数 in the year, the rule's 金额 of the person's area.

Set-based: the people are those with such a record in the year registered in the list's area (a person who
has since moved away is proposed and the core finds them outside the area); one INSERT … SELECT writes the
lines with their months, then one UPDATE per rule version in force sets the amount or says why not."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import IntegerField, Value
from django.utils import timezone

from bangfu.employment.models import Place
from bangfu.employment.status import RECORDS, date_param, months_table
from bangfu.payouts.checks import provisional
from bangfu.payouts.kinds import YEAR, PayoutKind
from bangfu.payouts.models import Line
from bangfu.payouts.periods import parse
from bangfu.registry.models import Household, Person
from bangfu.subsidies.models import TransportRule

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
    """One INSERT … SELECT: the people with a 省外 or 省内县外 record in the year registered in the area, of
    脱贫户 and 监测户 households, with their months away (all their away records, GROUP BY once), and the
    amount and 说明 of the rule version of their area (its 金额 when the months reach its 最短务工月数)."""
    area, period = payout_list.area, payout_list.period
    first, upto = _days(period)
    last = parse(period, YEAR)[1]
    book = TransportRule.objects.book(last, within=area)
    rules = book.current()
    # Which rule applies to a person: a CASE over the rules' territories, compiled by the ORM.
    which = book.case("area", lambda i, rule: Value(i), IntegerField(), default=-1)
    rule_sql, rule_params = (
        Person.objects.annotate(rule=which)
        .values_list("id", "rule", "id_number", "name", "area_id", "household_id")
        .query.sql_with_params()
    )
    amount, note, case_params = ["CASE w.rule"], ["CASE w.rule"], []
    for i, rule in enumerate(rules):
        amount.append(f"WHEN {i} THEN (CASE WHEN w.months >= {int(rule.min_months)} THEN %s END)")
        case_params.append(rule.amount)
    amount.append("END")
    verdict, verdict_params = provisional(" ".join(amount), case_params)
    note_params = []
    for i, rule in enumerate(rules):
        months_text = "CAST(w.months AS TEXT)"
        note.append(
            f"WHEN {i} THEN (CASE WHEN w.months >= {int(rule.min_months)} THEN %s || {months_text} || %s"
            f" ELSE %s || {months_text} || %s END)"
        )
        note_params += ["外出务工 ", " 个月", "外出务工 ", f" 个月，少于最短务工月数 {rule.min_months}"]
    note.append("ELSE %s END")
    note_params.append("所在地区没有生效的一次性交通补助规则")
    months, months_params = months_table(first.year, upto)
    low, high = area.code_range
    away = ", ".join(["%s"] * len(AWAY))
    households = ", ".join(["%s"] * len(HOUSEHOLDS))
    day_first, first_value = date_param(first)
    day_upto, upto_value = date_param(upto)
    qn = connection.ops.quote_name
    columns = ", ".join(qn(Line._meta.get_field(c).column) for c in COLUMNS_IN)
    sql = f"""
        INSERT INTO {qn(Line._meta.db_table)} ({columns})
        WITH months AS ({months}),
        candidates AS (
            SELECT DISTINCT person_id AS id FROM {RECORDS}
            WHERE area_id BETWEEN %s AND %s AND place IN ({away})
              AND started_on <= {day_upto} AND (ended_on IS NULL OR ended_on >= {day_first})
        ),
        worked AS (
            SELECT r.person_id, COUNT(DISTINCT m.n) AS months
            FROM candidates c CROSS JOIN {RECORDS} r
            JOIN months m ON m.last_day >= r.started_on AND (r.ended_on IS NULL OR m.first_day <= r.ended_on)
            WHERE r.person_id = c.id AND r.place IN ({away})
            GROUP BY r.person_id
        ),
        ruled AS (
            SELECT worked.person_id, worked.months, pr.rule, pr.id_number, pr.name, pr.area_id,
                pr.household_id
            FROM worked JOIN ({rule_sql}) pr ON pr.id = worked.person_id
        )
        SELECT w.person_id, w.id_number, w.name, w.area_id, {" ".join(amount)}, w.months, '',
               {" ".join(note)}, '', %s, %s, %s, {verdict}
        FROM ruled w
        JOIN {qn(Household._meta.db_table)} h ON h.id = w.household_id
        WHERE h.household_type IN ({households})
    """
    params = [
        *months_params, low, high, *AWAY, upto_value, first_value, *AWAY, *rule_params,
        *case_params, *note_params, payout_list.pk, payout_list.kind, payout_list.period, *verdict_params,
        *HOUSEHOLDS,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# The columns `insert` writes, in its SELECT's order.
COLUMNS_IN = (
    "person", "id_number", "name", "area_code", "proposed", "quantity", "failed", "note", "ref",
    "payout_list", "kind", "period", "result", "amount",
)  # fmt: skip


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
