"""养老保险代缴 (EXCHANGE §12): for year Y, the people whose pension premium the government pays, with the
amount of the 养老保险代缴 rule of their area and each level's share by the 代缴分担 rule of their county.

Eligible: a living registry person aged within the rule's ages (16–59) on 1 January of Y, not a student
(在校生状况 empty or 非在校生), enrolled in 城乡居民养老保险 with 参保状态 参保缴费 or 暂停缴费 (as the latest
social-insurance comparison set it), in one of the groups of `GROUPS` (the first that applies names the
代缴类别). The rules read are the versions in force on 31 December of Y (the payout core reads a year's
rules on the period's last day too).

Set-based: who is eligible is one SQL condition (the rules' territories compiled by the ORM from
`RuleBook.partition`); amounts and shares are looked up once per rule territory, never per person. The same
people are proposed to the payout core as kind `pension-premium` (one INSERT … SELECT), with the people of
the groups and ages who fail the other conditions as 不符合条件 lines, so that staff see who to enrol.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    IntegerField,
    Q,
    Value,
    When,
)

from bangfu.areas.models import Area
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.payouts.kinds import YEAR, PayoutKind
from bangfu.pension.models import LEVELS, PremiumRule, PremiumShareRule
from bangfu.registry.models import Person

ITEM = "养老保险代缴"
RESIDENTS = "城乡居民养老保险"
ACTIVE = ("参保缴费", "暂停缴费")
SEVERE = ("一级", "二级")
# 代缴类别 in EXCHANGE §12's order: a person in several takes the first.
GROUPS = (
    ("脱贫人口", Q(household__household_type="脱贫户")),
    ("监测对象", Q(household__household_type="监测户")),
    ("低保", Q(household__is_dibao=True)),
    ("特困", Q(household__is_tekun=True)),
    ("重度残疾", Q(disability_grade__in=SEVERE)),
)
GROUP_NAMES = tuple(name for name, _ in GROUPS)
HEADER = ["证件号码", "姓名", "代缴类别", "代缴金额", "省级承担", "市级承担", "县级承担"]
BASIS = (
    "对建档立卡贫困人口、低保对象、特困人员等困难群体，地方人民政府为其代缴部分或全部最低标准的"
    "城乡居民养老保险费（人力资源社会保障部、财政部、国务院扶贫办社保扶贫政策）"
)
NOT_STUDENT = Q(student_status="") | Q(student_status="非在校生")
ENROLLED = Q(pension_insurance=RESIDENTS, pension_status__in=ACTIVE)


def in_group() -> Q:
    found = Q(pk__in=[])
    for _, condition in GROUPS:
        found |= condition
    return found


def group_of() -> Case:
    return Case(
        *(When(condition, then=Value(name)) for name, condition in GROUPS),
        default=Value(""),
        output_field=CharField(),
    )


def first_day(year: int) -> dt.date:
    return dt.date(year, 1, 1)


def rules_day(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def of_age(year: int, within: Area | None = None) -> Q:
    """Aged within the 养老保险代缴 rule's ages on 1 January of `year`, by the rule of each person's area."""
    book = PremiumRule.objects.book(rules_day(year), within=within)
    return book.partition("area", lambda rule: rule.born_within(first_day(year)))


def candidates(area: Area, year: int):
    """The people of `area` in a group and of age for `year`, living or not: the payout list's proposals."""
    return Person.objects.for_area(area).filter(in_group()).filter(of_age(year, area))


def eligible(area: Area, year: int):
    """The roster's people (EXCHANGE §12), annotated with `group` (代缴类别)."""
    return (
        candidates(area, year)
        .filter(is_deceased=False)
        .filter(NOT_STUDENT)
        .filter(ENROLLED)
        .annotate(group=group_of())
    )


class Pricing:
    """Each person's 代缴金额 and the levels' shares: the 养老保险代缴 rule of their area and the 代缴分担
    rule of their county, looked up once per territory the rules tell apart."""

    def __init__(self, area: Area | None, year: int):
        day = rules_day(year)
        self.premiums = PremiumRule.objects.book(day, within=area)
        self.shares = PremiumShareRule.objects.book(day, within=area)
        self._found: dict[tuple[str, str], tuple] = {}
        self.digits = self.premiums.digits

    def __call__(self, area_code: str) -> tuple[Decimal | None, tuple | None]:
        """(amount, (省级, 市级, 县级)) for a person of village `area_code`; shares None without a rule."""
        county = area_code[: LEVEL_DIGITS[3]]
        key = (area_code[: self.digits], county)
        if key not in self._found:
            premium = self.premiums.for_code(area_code)
            amount = premium.amount if premium is not None else None
            share = self.shares.for_code(county.ljust(12, "0"))
            split = share.split(amount) if share is not None and amount is not None else None
            self._found[key] = (amount, split)
        return self._found[key]


@dataclass
class Totals:
    """An area's roster: people, money, each level's share, people by 代缴类别, money without a share rule."""

    people: int = 0
    amount: Decimal = Decimal("0")
    levels: list = field(default_factory=lambda: [Decimal("0")] * 3)
    unshared: Decimal = Decimal("0")
    by_group: dict = field(default_factory=lambda: dict.fromkeys(GROUP_NAMES, 0))

    def add(self, n: int, group: str, amount: Decimal | None, split: tuple | None) -> None:
        self.people += n
        self.by_group[group] = self.by_group.get(group, 0) + n
        if amount is None:
            return
        self.amount += amount * n
        if split is None:
            self.unshared += amount * n
        else:
            self.levels = [held + part * n for held, part in zip(self.levels, split, strict=True)]

    @property
    def shares(self) -> list[tuple[str, Decimal]]:
        return list(zip(LEVELS, self.levels, strict=True))


def totals(area: Area, year: int, children: list[Area]) -> tuple[list[tuple[Area, Totals]], Totals]:
    """The roster summed per child area and for `area`: one GROUP BY (village, 代缴类别) in the database,
    each village's money from its rules (people × the per-person amounts, exact to the fen)."""
    price = Pricing(area, year)
    rows = eligible(area, year).values_list("area_id", "group").annotate(n=Count("id")).order_by()
    whole = Totals()
    per_child: dict[str, Totals] = defaultdict(Totals)
    digits = [(child.code[: LEVEL_DIGITS[child.level]], child.code) for child in children]
    for code, group, n in rows:
        amount, split = price(code)
        whole.add(n, group, amount, split)
        for prefix, child_code in digits:
            if code.startswith(prefix):
                per_child[child_code].add(n, group, amount, split)
                break
    return [(child, per_child[child.code]) for child in children if child.code in per_child], whole


def rows(area: Area, year: int, *, masked: bool = False) -> Iterator[list]:
    """EXCHANGE §12 rows, by village and then as registered; a person of an area without a 代缴分担 rule
    has empty shares."""
    from bangfu.core.idnumber import mask_id

    price = Pricing(area, year)
    people = (
        eligible(area, year).order_by("area_id", "id").values_list("id_number", "name", "group", "area_id")
    )
    for id_number, name, group, code in people.iterator(chunk_size=10_000):
        amount, split = price(code)
        shares = [f"{part:.2f}" for part in split] if split is not None else ["", "", ""]
        money = f"{amount:.2f}" if amount is not None else ""
        yield [mask_id(id_number) if masked else id_number, name, group, money, *shares]


def write(area: Area, year: int, path, *, masked: bool = False) -> int:
    from bangfu.exchange.report import write_table

    return write_table(path, HEADER, rows(area, year, masked=masked))


# --- the payout core ----------------------------------------------------------------------------------------

NOTES = {
    "student": "在校生，不在代缴范围",
    "not_residents": "未参加城乡居民养老保险",
    "inactive": "城乡居民养老保险参保状态不是参保缴费或暂停缴费",
    "no_rule": "所在地区没有生效的养老保险代缴规则",
}


def _amount(book) -> Case:
    """The 代缴金额 of the rule in force for each person's area, one CASE over the rules' territories."""
    return book.case(
        "area", lambda i, rule: Value(rule.amount), DecimalField(max_digits=12, decimal_places=2)
    )


def insert(payout_list) -> int:
    """One INSERT … SELECT of the candidates (groups and ages) of the list's area: those the roster takes
    with the rule's amount, the others 不符合条件 with the reason (the dead and duplicates are the core's)."""
    from bangfu.payouts.checks import insert_from

    year = int(payout_list.period)
    book = PremiumRule.objects.book(rules_day(year), within=payout_list.area)
    ineligible = Value("不符合条件")
    failed = Case(
        When(~NOT_STUDENT, then=ineligible),
        When(~Q(pension_insurance=RESIDENTS), then=ineligible),
        When(~Q(pension_status__in=ACTIVE), then=ineligible),
        default=Value(""),
        output_field=CharField(),
    )
    note = Case(
        When(~NOT_STUDENT, then=Value(NOTES["student"])),
        When(~Q(pension_insurance=RESIDENTS), then=Value(NOTES["not_residents"])),
        When(~Q(pension_status__in=ACTIVE), then=Value(NOTES["inactive"])),
        default=Value(""),
        output_field=CharField(),
    )
    people = candidates(payout_list.area, year).annotate(
        employer_id=Value(None, output_field=IntegerField()),
        area_code=F("area_id"),
        proposed=_amount(book),
        quantity=Value(None, output_field=IntegerField()),
        failed=failed,
        note=note,
        ref=group_of(),
    )
    return insert_from(payout_list, people.annotate(person_id=F("id")))


def refusal(area, period: str) -> str:
    year = int(period)
    if not len(PremiumRule.objects.book(rules_day(year), within=area)):
        return f"{area.name}在 {period} 年没有生效的养老保险代缴规则，不能生成代缴名单。"
    return ""


KIND = PayoutKind(
    key="pension-premium",
    item=ITEM,
    period=YEAR,
    propose=lambda area, period: (),
    basis=BASIS,
    insert=insert,
    refusal=refusal,
    shares=PremiumShareRule,
)
