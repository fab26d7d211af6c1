"""What a settlement should have reimbursed under the 医疗倾斜政策 reference rule of the person's area
(plain Python: a settlement and a rule in, an estimate out), so that staff can spot settlements that seem to
have missed the preferences for the poor. An estimate, not the medical insurance's own calculation: costs
outside the policy scope (目录外费用) are not known here, so a shortfall is a reason to look, not a debt.

- 住院: no deductible when the rule waives it for the poor (else the ordinary 住院起付线); the ratio is the
  rule's 一级医院报销比例 at a level-1 hospital, else the ordinary ratio plus the rule's points, at most its
  cap; then major-illness insurance pays its ratio of what remains above its deductible.
- 门诊慢特病: the ratio (as above, without the level-1 case) of the cost, at most the yearly cap, with no
  deductible (the cap is read per settlement: earlier settlements of the year are not known here).
- 普通门诊 or no 医疗类别: no estimate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Estimate:
    basic: Decimal  # what basic insurance should have paid
    major: Decimal  # what major-illness insurance should have paid
    paid: Decimal  # what both paid
    tolerance: Decimal

    @property
    def expected(self) -> Decimal:
        return self.basic + self.major

    @property
    def shortfall(self) -> Decimal:
        return max(Decimal("0"), self.expected - self.paid)

    @property
    def missed(self) -> bool:
        """Paid less than estimated by more than the rule's 提示差额."""
        return self.shortfall > self.tolerance


def _d(value) -> Decimal:
    return Decimal(str(value))


def _ratio(rule, level: str, inpatient: bool) -> Decimal:
    if inpatient and level == "一级":
        return _d(rule.level1_ratio)
    return min(_d(rule.base_ratio) + _d(rule.ratio_bonus), _d(rule.ratio_cap))


def estimate(settlement, rule) -> Estimate | None:
    """The estimate of one settlement (total, basic, major, care_kind, hospital_level) under `rule`."""
    if rule is None or settlement.care_kind not in ("住院", "门诊慢特病"):
        return None
    total = Decimal(settlement.total)
    paid = Decimal(settlement.basic) + Decimal(settlement.major)
    if settlement.care_kind == "门诊慢特病":
        basic = min(total * _ratio(rule, "", False) / 100, _d(rule.chronic_cap)).quantize(CENT)
        return Estimate(basic, Decimal("0.00"), paid, _d(rule.tolerance))
    deductible = Decimal("0") if rule.waive_deductible else _d(rule.deductible)
    basic = (
        max(Decimal("0"), total - deductible) * _ratio(rule, settlement.hospital_level, True) / 100
    ).quantize(CENT)
    remaining = total - basic
    major = (max(Decimal("0"), remaining - _d(rule.major_deductible)) * _d(rule.major_ratio) / 100).quantize(
        CENT
    )
    return Estimate(basic, major, paid, _d(rule.tolerance))
