"""The kinds of payout (补贴项目) the core pays: each program registers one from its AppConfig.ready().

A kind proposes payments for an area and a period; the core (payouts/checks.py) checks every proposal the
same way in the order EXCHANGE §11 names — 已故, 重复发放, then the program's own failure (一人多岗,
不符合条件), then 不符合条件 when the payee is not in the registry or not in the list's area.

A kind proposes in one of two ways: `propose` yields `Proposal`s one by one (small programs: a month's
welfare-post payroll), or `insert` writes the lines of a list itself in one set-based statement and
returns how many (programs over millions of records: the transport subsidy). Either way the core's
checks run over the list's lines in SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bangfu.areas.models import Area

MONTH, YEAR = "month", "year"


@dataclass(frozen=True)
class Proposal:
    """One payment a program proposes. The payee is a registry person (`person_id`) or, for rewards to
    workshops and bases, an employer (`employer_id`). A person the registry does not hold may be proposed
    with `person_id=None` and the `id_number` and `name` the program knows: the core marks it 不符合条件."""

    person_id: int | None  # registry Person pk
    amount: Decimal | None  # yuan, from the program's dated regional rule; None when its conditions fail
    failed: str = ""  # "" or a program-specific failure: "一人多岗" or "不符合条件"
    note: str = ""  # 说明 shown on the line (e.g. "在岗 18/22 天，低于最低在岗天数 20")
    ref: str = ""  # the program's own reference (post number, employer id …), kept on the line
    employer_id: int | None = None  # employers.Employer pk, when the payee is an employer
    id_number: str = ""  # for a payee not in the registry: the ID number the program holds
    name: str = ""  # and the name
    quantity: int | None = None  # what the amount was judged on: days on duty, months of work, laborers


@dataclass(frozen=True)
class PayoutKind:
    key: str  # "welfare-post", "transport", "workshop-reward" (the command's KIND)
    item: str  # 补贴项目: "公益性岗位补贴", "一次性交通补助", …
    period: str  # "month" (YYYY-MM) or "year" (YYYY)
    propose: Callable[[Area, str], Iterable[Proposal]]  # (area, period) -> proposals in that area's subtree
    basis: str = ""  # 政策依据 shown to users
    # Set-based alternative to `propose`: insert(payout_list) writes the list's lines (payouts.Line rows
    # with result "") in one statement and returns how many. When given, `propose` is not called.
    insert: Callable[[object], int] | None = None
    payee: str = "person"  # "person" or "employer": whom the lines pay
    # Why nothing can be proposed for (area, period) — no rule version in force — or "" when it can.
    refusal: Callable[[Area, str], str] | None = None
    quantity_label: str = ""  # what a line's `quantity` counts: "在岗天数", "务工月数", "吸纳人数"
    # The rule that shares this kind's money between levels: a RegionalRule model with `split(amount)`
    # giving the 省级, 市级, 县级 parts (None: the core's 补贴资金分担, payouts.ShareRule).
    shares: type | None = None

    @property
    def period_label(self) -> str:
        return "月份（YYYY-MM）" if self.period == MONTH else "年度（YYYY）"


_KINDS: dict[str, PayoutKind] = {}


def register(kind: PayoutKind) -> None:
    """Called from an app's AppConfig.ready(); registering the same key again replaces it (tests)."""
    if kind.period not in (MONTH, YEAR):
        raise ValueError(f"period must be {MONTH!r} or {YEAR!r}")
    if kind.payee not in ("person", "employer"):
        raise ValueError("payee must be 'person' or 'employer'")
    _KINDS[kind.key] = kind


def unregister(key: str) -> None:
    _KINDS.pop(key, None)


def kinds() -> list[PayoutKind]:
    return list(_KINDS.values())


def kind(key: str) -> PayoutKind:
    """The kind registered as `key`; KeyError with the known keys when none is."""
    try:
        return _KINDS[key]
    except KeyError:
        raise KeyError(f"未知的补贴项目：{key}（可用：{'、'.join(_KINDS) or '无'}）") from None
