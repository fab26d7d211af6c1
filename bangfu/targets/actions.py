"""Writes of targets: one target set by hand, a target split among the areas below, and the rows of a
targets file. Each in one transaction with its audit event; an area sets targets only for itself and its
subtree; a split whose children add up to less than the parent's target is refused.

The rule about splits holds for every write of children's targets: whatever changes the targets of an
area's children (the split form, a file) must leave them adding up to at least the parent's target, when the
parent has one. Raising a parent's target above its split is allowed (the level above decides it); the
split is then shown short (`split_status`) until the area below splits again."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.targets import rows
from bangfu.targets.models import Target


def figure_names() -> dict[str, str]:
    """Each §8 figure's name → its key, as the stats app defines them."""
    from bangfu.stats.figures import FIGURES

    return {f.name: f.key for f in FIGURES}


def figure_name(key: str) -> str:
    from bangfu.stats.figures import figure

    return figure(key).name


def _check_reach(actor_area: Area, area: Area) -> None:
    if not actor_area.contains(area):
        raise PermissionDenied("只能为本区域及下级区域设定目标。")


def _actor_area(actor, area: Area | None) -> Area:
    found = area or getattr(actor, "area", None)
    if found is None:
        raise PermissionDenied("没有所属区域的账号不能设定目标。")
    return found


def _monthly_list(monthly: Sequence[int | None] | None) -> list[int | None]:
    if not monthly or all(m is None for m in monthly):
        return []
    return (list(monthly) + [None] * 12)[:12]


def _snapshot(target: Target | None) -> dict:
    if target is None:
        return {}
    return {"value": target.value, "monthly": list(target.monthly or [])}


def _upsert(
    actor, actor_area: Area, area: Area, year: int, figure: str, value: int, monthly
) -> tuple[str, Target]:
    """Create or update one target; returns ("created" | "updated" | "unchanged", target)."""
    monthly = _monthly_list(monthly)
    target = Target.objects.select_for_update().filter(area=area, year=year, figure=figure).first()
    user = actor if getattr(actor, "pk", None) else None
    if target is None:
        target = Target.objects.create(
            area=area, year=year, figure=figure, value=value, monthly=monthly, set_by=user, set_in=actor_area
        )
        outcome, before = "created", None
    elif target.value == value and list(target.monthly or []) == monthly:
        return "unchanged", target
    else:
        before = _snapshot(target)
        target.value, target.monthly, target.set_by, target.set_in = value, monthly, user, actor_area
        target.save()
        outcome = "updated"
    audit(
        Action.CREATE if outcome == "created" else Action.UPDATE,
        actor=actor,
        obj=target,
        message=f"设定目标：{year}年 {area.name} {figure_name(figure)} {value}",
        before=before,
        after=_snapshot(target),
    )
    return outcome, target


def check_value(value: int, monthly: Sequence[int | None]) -> None:
    problems = rows.monthly_problems(value, _monthly_list(monthly) or [None] * 12)
    if problems:
        raise ValidationError("；".join(f"{column}：{reason}" for column, reason in problems))


@transaction.atomic
def set_target(
    actor, area: Area, *, year: int, figure: str, value: int, monthly: Sequence[int | None] = (),
    actor_area: Area | None = None,
) -> Target:  # fmt: skip
    """One area's target. When the area's parent has a target, its children's targets (this one among them)
    must still cover it."""
    actor_area = _actor_area(actor, actor_area)
    _check_reach(actor_area, area)
    if figure not in figure_names().values():
        raise ValidationError("没有这个指标。")
    check_value(value, monthly)
    if area.parent_id:
        parent = Target.objects.filter(area_id=area.parent_id, year=year, figure=figure).first()
        if parent is not None:
            siblings = dict(
                Target.objects.filter(area__parent_id=area.parent_id, year=year, figure=figure).values_list(
                    "area_id", "value"
                )
            )
            siblings[area.code] = value
            total = sum(siblings.values())
            if total < parent.value:
                raise ValidationError(
                    rows.shortfall_message(parent.area.name, figure_name(figure), year, parent.value, total)
                )
    return _upsert(actor, actor_area, area, year, figure, value, monthly)[1]


@dataclass(frozen=True)
class SplitPart:
    area: Area
    value: int
    monthly: tuple[int | None, ...] = ()


@transaction.atomic
def split_target(
    actor, parent: Target, parts: Iterable[SplitPart], *, actor_area: Area | None = None
) -> list[Target]:
    """Split `parent` among the areas directly below it: every part a child of the parent's area, adding up to
    at least the parent's target. Children not named keep their targets, and count in the sum."""
    actor_area = _actor_area(actor, actor_area)
    parent = Target.objects.select_for_update().select_related("area").get(pk=parent.pk)
    _check_reach(actor_area, parent.area)
    parts = list(parts)
    children = {a.code: a for a in Area.objects.filter(parent=parent.area)}
    for part in parts:
        if part.area.code not in children:
            raise ValidationError(f"{part.area.name}不是{parent.area.name}的下级区域。")
        try:
            check_value(part.value, part.monthly)
        except ValidationError as exc:
            raise ValidationError(f"{part.area.name}：{'；'.join(exc.messages)}") from exc
    kept = dict(
        Target.objects.filter(area__parent=parent.area, year=parent.year, figure=parent.figure).values_list(
            "area_id", "value"
        )
    )
    kept.update({part.area.code: part.value for part in parts})
    total = sum(kept.values())
    if total < parent.value:
        raise ValidationError(
            rows.shortfall_message(
                parent.area.name, figure_name(parent.figure), parent.year, parent.value, total
            )
        )
    saved = [
        _upsert(actor, actor_area, part.area, parent.year, parent.figure, part.value, part.monthly)[1]
        for part in parts
    ]
    audit(
        Action.UPDATE,
        actor=actor,
        obj=parent,
        message=f"分解目标：{parent.year}年 {parent.area.name} {figure_name(parent.figure)} {parent.value}，"
        f"下级合计 {total}",
    )
    return saved


@dataclass(frozen=True)
class SplitStatus:
    total: int  # the children's targets added up
    count: int  # how many children have a target
    children: int  # how many children the area has

    def shortfall(self, value: int) -> int:
        return rows.split_shortfall(value, {"": self.total}) if self.count else 0


def split_status(targets: Sequence[Target]) -> dict[int, SplitStatus]:
    """For each target, its children's targets added up (one query for all)."""
    from django.db.models import Count, Sum

    if not targets:
        return {}
    areas = {t.area_id for t in targets}
    years = {t.year for t in targets}
    sums = {
        (row["area__parent_id"], row["year"], row["figure"]): (row["total"], row["n"])
        for row in Target.objects.filter(area__parent_id__in=areas, year__in=years)
        .values("area__parent_id", "year", "figure")
        .annotate(total=Sum("value"), n=Count("id"))
        .order_by()
    }
    child_counts = dict(
        Area.objects.filter(parent_id__in=areas).values_list("parent_id").annotate(n=Count("code")).order_by()
    )
    result = {}
    for t in targets:
        total, n = sums.get((t.area_id, t.year, t.figure), (0, 0))
        result[t.pk] = SplitStatus(total or 0, n, child_counts.get(t.area_id, 0))
    return result


@dataclass
class SaveCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@transaction.atomic
def save_target_rows(actor, actor_area: Area, checked: Sequence[tuple[rows.TargetRow, Area]]) -> SaveCounts:
    """Phase two of an import: every checked row saved in one transaction (nothing half-written)."""
    counts = SaveCounts()
    for row, area in checked:
        outcome, _ = _upsert(actor, actor_area, area, row.year, row.figure, row.value, row.monthly)
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def parent_targets(keys: Iterable[tuple[int, str, str]]) -> Mapping:
    """Stored targets by (year, area code, figure), for the given keys."""
    keys = list(keys)
    if not keys:
        return {}
    found = Target.objects.filter(
        area_id__in={k[1] for k in keys}, year__in={k[0] for k in keys}, figure__in={k[2] for k in keys}
    ).values_list("year", "area_id", "figure", "value")
    return {(y, a, f): v for y, a, f, v in found}
