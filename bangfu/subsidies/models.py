"""就业补贴's rules: the 一次性交通补助 and the 车间基地奖补, dated regional rules (core/rules.py) with their
amounts in yuan. No national default: where no version is in force, no list is built."""

from django.db import models

from bangfu.core.rules import RegionalRule


class TransportRule(RegionalRule):
    """一次性交通补助: the amount paid once a year to a 脱贫户 or 监测户 laborer who worked 省外 or 省内县外
    for at least `min_months` calendar months of the year."""

    amount = models.DecimalField("金额（元）", max_digits=10, decimal_places=2)
    min_months = models.PositiveSmallIntegerField("最短务工月数")

    class Meta(RegionalRule.Meta):
        verbose_name = "一次性交通补助"
        verbose_name_plural = "一次性交通补助"

    def __str__(self):
        region = self.region_prefix or "全国"
        return f"{region} {self.effective_from}起：{self.amount} 元，务工满 {self.min_months} 个月"


class RewardRule(RegionalRule):
    """车间基地奖补: a workshop (扶贫车间, 就业帮扶车间) or base (就业帮扶基地, 劳务协作基地) that employed at
    least `min_hired` 脱贫户 or 监测户 laborers for at least `min_months` calendar months of the year each is
    rewarded `fixed` plus `per_person` for each of them, at most `cap` (0: no cap)."""

    min_hired = models.PositiveIntegerField("最少吸纳人数")
    min_months = models.PositiveSmallIntegerField("最短务工月数")
    per_person = models.DecimalField("每人奖补金额（元）", max_digits=10, decimal_places=2)
    fixed = models.DecimalField("固定奖补金额（元）", max_digits=12, decimal_places=2, default=0)
    cap = models.DecimalField("奖补上限（元，0 为不设上限）", max_digits=12, decimal_places=2, default=0)

    class Meta(RegionalRule.Meta):
        verbose_name = "车间基地奖补"
        verbose_name_plural = "车间基地奖补"

    def __str__(self):
        return (
            f"{self.region_prefix or '全国'} {self.effective_from}起：吸纳满 {self.min_hired} 人（各务工满 "
            f"{self.min_months} 个月），每人 {self.per_person} 元"
        )

    def reward(self, hired: int):
        """The reward for `hired` qualifying laborers, None below the threshold."""
        if hired < self.min_hired:
            return None
        amount = self.fixed + self.per_person * hired
        return min(amount, self.cap) if self.cap else amount
