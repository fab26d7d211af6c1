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

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError

from bangfu.areas.models import Area
from bangfu.posts.models import Duty, Spell, SubsidyRule, held_in, month_bounds

TWO_POSTS, NOT_MET = "一人多岗", "不符合条件"
SHOWN_MISSING = 5  # areas named in the refusal


@dataclass(frozen=True)
class PayLine:
    person_id: int
    amount: Decimal | None
    failed: str = ""
    note: str = ""
    ref: str = ""  # the post number


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


def lines(area: Area, month: str) -> Iterator[PayLine]:
    """The month's lines, spell by spell (ordered by person, then 上岗日期). ValidationError (Chinese) when
    there can be no payroll (`refusal`)."""
    refused = refusal(area, month)
    if refused:
        raise ValidationError(refused)
    book = _book(area, month)
    rules: dict[str, SubsidyRule] = {}
    digits = book.digits
    duty = Duty.objects.filter(person_id__in=_spells(area, month).values("person_id"), month=month)
    days = {
        person: (on, due) for person, on, due in duty.values_list("person_id", "days_on_duty", "days_due")
    }
    rows = (
        _spells(area, month)
        .order_by("person_id", "started_on", "post__number", "id")
        .values_list("person_id", "area_id", "post__number")
    )
    paid_post: dict[int, str] = {}
    for person_id, code, number in rows.iterator(chunk_size=5000):
        key = code[:digits] if digits < 12 else code
        rule = rules.get(key)
        if rule is None:
            rule = rules[key] = book.for_code(code)
        if person_id in paid_post:
            note = f"同月另有岗位 {paid_post[person_id]}，只发放一个岗位的补贴"
            yield PayLine(person_id, None, TWO_POSTS, note, number)
            continue
        paid_post[person_id] = number
        found = days.get(person_id)
        if found is None:
            yield PayLine(person_id, None, NOT_MET, f"{month} 未填报出勤", number)
        elif found[0] < rule.min_days:
            note = f"在岗 {found[0]}/{found[1]} 天，少于最低在岗天数 {rule.min_days} 天，当月不发放"
            yield PayLine(person_id, None, NOT_MET, note, number)
        else:
            yield PayLine(person_id, rule.monthly_amount, "", f"在岗 {found[0]}/{found[1]} 天", number)


def propose(area: Area, month: str):
    """The payout core's `propose` for kind `welfare-post`: the lines as its Proposals."""
    from bangfu.payouts.kinds import Proposal

    for line in lines(area, month):
        yield Proposal(line.person_id, line.amount, failed=line.failed, note=line.note, ref=line.ref)


def payout_kind():
    """The kind `welfare-post` (公益性岗位补贴) as the payout core registers it."""
    from bangfu.payouts.kinds import MONTH, PayoutKind

    return PayoutKind(
        key="welfare-post",
        item="公益性岗位补贴",
        period=MONTH,
        propose=propose,
        refusal=refusal,
        basis="公益性岗位补贴规则（政策规则：月补贴标准、最低在岗天数）；按月出勤发放",
    )
