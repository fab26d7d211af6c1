"""The month's payroll of public-welfare posts (公益性岗位补贴), proposed to the payout core
(bangfu/payouts, kind `welfare-post`): one line per holder spell held some day of the month on a post of
the area's subtree, in one query with the month's duty.

- The amount is 月补贴标准 of the 公益性岗位补贴 version in force for the post's area on the month's last
  day. Without a version for some post's area there is no payroll (`refusal` says which areas lack one).
- Pay is all or nothing (EXCHANGE §9: 最低在岗天数 is "days in the month for full pay"): on duty at least
  最低在岗天数 days, the whole 月补贴标准; fewer days, or no duty recorded for the month, nothing and
  不符合条件 with a note. No pro-rata share is ever computed, so no line carries cents it did not earn.
- A person with more than one spell in the month is paid once: the first spell (earliest 上岗日期, then
  post number) is proposed as usual, every further one fails 一人多岗, naming the post paid.

The core adds 已故, 重复发放 and the registry and area checks.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, IntegerField, Value, Window
from django.db.models.functions import FirstValue, RowNumber

from bangfu.areas.models import Area
from bangfu.payouts.models import Line
from bangfu.posts.models import Duty, Spell, SubsidyRule, held_in, month_bounds
from bangfu.registry.models import Person

TWO_POSTS, NOT_MET = "一人多岗", "不符合条件"
SHOWN_MISSING = 5  # areas named in the refusal


def _book(area: Area, month: str):
    _, last = month_bounds(month)
    return SubsidyRule.objects.book(last, within=area)


def _spells(area: Area, month: str):
    first, last = month_bounds(month)
    return Spell.objects.for_area(area).filter(held_in(first, last))


def refusal(area: Area, month: str) -> str:
    """Why no payroll can be made for `area` and `month` ("" when it can): a month that is not YYYY-MM, or
    posts held that month in areas with no 公益性岗位补贴 version in force on its last day."""
    try:
        _, last = month_bounds(month)
    except ValueError:
        return f"期间应为年月（YYYY-MM），不是“{month}”。"
    book = _book(area, month)
    codes = sorted(set(_spells(area, month).values_list("area_id", flat=True).order_by()))
    missing = [code for code in codes if book.for_code(code) is None]
    if not missing:
        return ""
    names = dict(Area.objects.filter(code__in=missing[:SHOWN_MISSING]).values_list("code", "full_name"))
    shown = "、".join(names.get(code) or code for code in missing[:SHOWN_MISSING])
    more = f"等 {len(missing)} 个地区" if len(missing) > SHOWN_MISSING else ""
    return (
        f"{shown}{more}在 {last:%Y-%m-%d} 没有适用的公益性岗位补贴规则版本，不能生成 {month} 的发放名单："
        "请先在“政策规则”中设置月补贴标准和最低在岗天数。"
    )


def insert(payout_list) -> int:
    """The payout core's `insert` for kind `welfare-post`: the month's lines in one INSERT … SELECT, a line
    per spell held some day of the month on a post of the list's area (ordered by person, then 上岗日期, post
    number). Each spell's rule is the 公益性岗位补贴 version in force for its post's area on the month's
    last day (a CASE over the rules' territories, as the ORM writes it); the person's first spell of the
    month is paid with the month's duty, every further one fails 一人多岗 (a window over the person's
    spells names the post paid)."""
    area, month = payout_list.area, payout_list.period
    refused = refusal(area, month)
    if refused:
        raise ValidationError(refused)
    book = _book(area, month)
    rules = book.current()
    which = book.case("area", lambda i, rule: Value(i), IntegerField(), default=-1)
    order = [F("started_on").asc(), F("post__number").asc(), F("id").asc()]
    spells_sql, spells_params = (
        _spells(area, month)
        .annotate(
            rule=which,
            number=F("post__number"),
            rn=Window(RowNumber(), partition_by=[F("person_id")], order_by=order),
            paid=Window(FirstValue("post__number"), partition_by=[F("person_id")], order_by=order),
        )
        .values_list("person_id", "rule", "rn", "paid", "number")
        .order_by()
        .query.sql_with_params()
    )
    on_duty = "CAST(d.days_on_duty AS TEXT) || '/' || CAST(d.days_due AS TEXT)"
    amount, failed, note = ["CASE WHEN s.rn > 1 OR d.person_id IS NULL THEN NULL"], [], []
    amount_params, failed_params, note_params = (
        [],
        [TWO_POSTS, NOT_MET],
        [TWO_POSTS_NOTE[0], TWO_POSTS_NOTE[1]],
    )
    failed.append("CASE WHEN s.rn > 1 THEN %s WHEN d.person_id IS NULL THEN %s")
    note.append("CASE WHEN s.rn > 1 THEN %s || s.paid || %s WHEN d.person_id IS NULL THEN %s")
    note_params.append(f"{month} 未填报出勤")
    for i, rule in enumerate(rules):
        least = int(rule.min_days)
        amount.append(f"WHEN s.rule = {i} AND d.days_on_duty >= {least} THEN %s")
        amount_params.append(rule.monthly_amount)
        failed.append(f"WHEN s.rule = {i} AND d.days_on_duty < {least} THEN %s")
        failed_params.append(NOT_MET)
        note.append(f"WHEN s.rule = {i} AND d.days_on_duty < {least} THEN %s || {on_duty} || %s")
        note_params += ["在岗 ", f" 天，少于最低在岗天数 {least} 天，当月不发放"]
    amount.append("END")
    failed.append("ELSE '' END")
    note.append(f"ELSE %s || {on_duty} || %s END")
    note_params += ["在岗 ", " 天"]
    qn = connection.ops.quote_name
    columns = ", ".join(qn(Line._meta.get_field(c).column) for c in COLUMNS_IN)
    sql = f"""
        INSERT INTO {qn(Line._meta.db_table)} ({columns})
        SELECT p.id, p.id_number, p.name, p.area_id, {" ".join(amount)}, {" ".join(failed)},
               {" ".join(note)}, s.number, %s, %s, %s, ''
        FROM ({spells_sql}) s
        JOIN {qn(Person._meta.db_table)} p ON p.id = s.person_id
        LEFT JOIN {qn(Duty._meta.db_table)} d ON d.person_id = s.person_id AND d.month = %s
        ORDER BY s.person_id, s.rn
    """
    params = [
        *amount_params, *failed_params, *note_params, payout_list.pk, payout_list.kind, payout_list.period,
        *spells_params, month,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# The columns `insert` writes, in its SELECT's order.
COLUMNS_IN = (
    "person", "id_number", "name", "area_code", "proposed", "failed", "note", "ref", "payout_list", "kind",
    "period", "result",
)  # fmt: skip
TWO_POSTS_NOTE = ("同月另有岗位 ", "，只发放一个岗位的补贴")


def payout_kind():
    """The kind `welfare-post` (公益性岗位补贴) as the payout core registers it."""
    from bangfu.payouts.kinds import MONTH, PayoutKind

    return PayoutKind(
        key="welfare-post",
        item="公益性岗位补贴",
        period=MONTH,
        propose=lambda area, period: (),
        insert=insert,
        refusal=refusal,
        basis="公益性岗位补贴规则（政策规则：月补贴标准、最低在岗天数）；按月出勤发放",
    )
