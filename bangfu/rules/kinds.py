"""The kinds of policy rule shown on the 政策规则 page: each a `RegionalRule` model (bangfu/core/rules.py),
what it decides, and the values staff set in a new version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db import models

from bangfu.core.rules import pick, with_regions


@dataclass(frozen=True)
class Kind:
    slug: str
    model_label: str
    purpose: str
    fields: tuple[str, ...]
    when_none: str  # what happens where no version applies

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    def values(self, rule) -> list[tuple[str, str]]:
        """The rule's values as (label, text) for a person to read."""
        return [(str(rule._meta.get_field(name).verbose_name), display(rule, name)) for name in self.fields]


KINDS = (
    Kind(
        "labor-age",
        "registry.LaborAgeRule",
        "谁算劳动力：年龄在此范围内（按周岁）、有劳动能力且健在的家庭成员。名册、人岗匹配、推荐和服务达标都按它统计。",
        ("min_age", "max_age"),
        "没有人会被算作劳动力。",
    ),
    Kind(
        "service-norm",
        "referrals.ServiceNorm",
        "服务达标：每名有就业意愿的未就业劳动力每年提供岗位的次数，以及“311”服务（推荐岗位、职业指导、培训信息）的次数。",
        ("offers_per_year", "referrals_per_year", "guidance_per_year", "training_per_year"),
        "按系统默认标准统计。",
    ),
    Kind(
        "auto-referral",
        "referrals.AutoReferralRule",
        "系统自动推荐：是否启用，每人每次推荐几个岗位、最低匹配得分、每年最多推荐几次。",
        ("enabled", "top", "min_score", "per_year"),
        "系统不自动推荐。",
    ),
    Kind(
        "matching",
        "matching.MatchingRule",
        "人岗匹配：得分各项的权重（合计折算为 100 分）、每人推荐岗位数和每个岗位推送人数的上下限。",
        (
            "occupation",
            "wage",
            "distance",
            "board",
            "skills",
            "past",
            "low_skill",
            "top",
            "cap_multiple",
            "cap_min",
        ),
        "使用系统默认权重。",
    ),
    Kind(
        "suitability",
        "jobs.SuitabilityRule",
        "低技能适合：岗位在什么条件下算作技能要求和入职门槛相对较低、适合低技能劳动力。",
        ("max_education", "occupation_groups", "max_skills_chars", "demanding_words", "easy_words"),
        "所有岗位都不会被自动标为适合。",
    ),
    Kind(
        "warning",
        "tracking.WarningRule",
        "就业预警：劳动力离职（或返乡）后多少天内提示预警，预警须在多少天内处理。",
        ("leave_window_days", "handle_days"),
        "不提示就业转失业和返乡预警。",
    ),
    Kind(
        "follow-up",
        "tracking.FollowUpRule",
        "跟踪回访：未就业和已就业的劳动力分别每隔多少天至少回访一次；超过即为跟踪逾期。",
        ("unemployed_interval_days", "employed_interval_days"),
        "不排回访计划，也不提示跟踪逾期。",
    ),
    Kind(
        "income-line",
        "tracking.IncomeLineRule",
        "收入监测线：家庭年人均纯收入低于此线的提示“收入低于监测线”预警。由各地设定，全国不设默认值。",
        ("yearly_income_per_capita",),
        "不提示收入低于监测线预警。",
    ),
)
BY_SLUG = {kind.slug: kind for kind in KINDS}


def display(rule, name: str) -> str:
    value = getattr(rule, name)
    model_field = rule._meta.get_field(name)
    if model_field.choices:
        return str(getattr(rule, f"get_{name}_display")())
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return "—" if value in (None, "") else str(value)


@dataclass
class Overview:
    """One kind's rules as seen from one area on one day."""

    kind: Kind
    current: object | None = None  # the version in force for the area
    scheduled: list = field(default_factory=list)  # later versions for the area or a region containing it
    history: list = field(default_factory=list)  # earlier versions for the area or a region containing it
    inside: list = field(default_factory=list)  # versions in force or scheduled for regions inside the area

    def applies_on_its_day(self, rule, area_code: str) -> bool:
        known = [r for r in (self.current, *self.scheduled, *self.history) if r is not None]
        return pick(known, area_code, rule.effective_from) is rule


def overviews(area, on: date) -> list[Overview]:
    """Every kind, read with one query per kind and one for all the regions' names."""
    per_kind = [(kind, list(kind.model.objects.related_to(area))) for kind in KINDS]
    with_regions([rule for _, rules in per_kind for rule in rules])
    result = []
    for kind, rules in per_kind:
        covering = [r for r in rules if area.code.startswith(r.region_prefix)]
        view = Overview(kind, current=pick(covering, area.code, on))
        view.scheduled = sorted(
            (r for r in covering if r.effective_from > on), key=lambda r: r.effective_from
        )
        view.history = [r for r in covering if r.effective_from <= on and r is not view.current]
        view.history.sort(key=lambda r: (r.effective_from, len(r.region_prefix)), reverse=True)
        current_inside: dict[str, object] = {}
        for rule in rules:
            if rule in covering:
                continue
            if rule.effective_from > on:
                view.inside.append(rule)
            elif rule.region_prefix not in current_inside or (
                rule.effective_from > current_inside[rule.region_prefix].effective_from
            ):
                current_inside[rule.region_prefix] = rule
        view.inside.extend(current_inside.values())
        view.inside.sort(key=lambda r: (r.region_prefix, r.effective_from))
        for rule in view.scheduled:
            rule.shadowed = not view.applies_on_its_day(rule, area.code)
        for rule in rules:
            rule.shown = kind.values(rule)
        result.append(view)
    return result
