"""Publishing a dispatch round: freeze every child area's figures and target progress as of the month's last
day, rank them, compare them with the previous round, write the bulletin's files and tell each child area's
staff. One transaction, with its audit event; the notices go out once it commits."""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bangfu.accounts.models import Kind, User
from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.dispatch import bulletin
from bangfu.dispatch.models import DispatchRound, RoundEntry
from bangfu.notices.actions import notify_users
from bangfu.targets.progress import children_progress


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def last_month(today: dt.date) -> tuple[int, int]:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def default_figures(area: Area, year: int) -> list[str]:
    """The figures a round shows: those with a target for the area or its children that year, in the order
    the stats app lists them; without any, the employment figures."""
    from bangfu.stats.figures import FIGURES, figure
    from bangfu.targets.models import Target

    with_target = set(Target.objects.filter(area__parent=area, year=year).values_list("figure", flat=True))
    with_target |= set(Target.objects.filter(area=area, year=year).values_list("figure", flat=True))
    if with_target:
        return [f.key for f in FIGURES if f.key in with_target]
    return [figure("务工人数").key, figure("年内务工人数").key, figure("有组织输出人数").key]


@transaction.atomic
def publish_round(actor, area: Area, *, year: int, month: int, today: dt.date | None = None) -> DispatchRound:
    """The round of `area` for `month`; refused for a month not yet ended or already published."""
    from bangfu.stats.figures import figure

    today = today or timezone.localdate()
    user = actor if getattr(actor, "pk", None) else None
    if user is not None and (user.area is None or not user.area.contains(area)):
        raise PermissionDenied("只能为本区域发起调度。")
    if not 1 <= month <= 12:
        raise ValidationError("月份应为 1–12。")
    as_of = month_end(year, month)
    if as_of >= today:
        raise ValidationError(f"{year}年{month}月尚未结束，月末（{as_of:%Y-%m-%d}）之后才能调度。")
    if DispatchRound.objects.filter(area=area, year=year, month=month).exists():
        raise ValidationError(f"{area.name}{year}年{month}月的调度已发布，已发布的通报不再改动。")
    children, keys, found = children_progress(area, year, as_of, default_figures(area, year))
    if not children:
        raise ValidationError(f"{area.name}没有下级区域，无需调度。")
    rank_key = keys[0]
    with_target = {key for (code, key), p in found.items() if p.target is not None}
    previous = (
        DispatchRound.objects.filter(area=area)
        .filter(Q(year__lt=year) | Q(year=year, month__lt=month))
        .order_by("-year", "-month")
        .first()
    )
    before = {e.area_id: e for e in previous.entries.all()} if previous else {}
    names = {key: figure(key).name for key in keys}
    round_ = DispatchRound(
        area=area, year=year, month=month, as_of=as_of, figures=keys, figure_names=names,
        rank_figure=rank_key, previous=previous, published_at=timezone.now(), published_by=user,
        title=f"{area.name}{year}年{month}月就业帮扶工作调度通报",
    )  # fmt: skip
    entries = []
    for position, child in enumerate(children, 1):
        entry = RoundEntry(area=child, name=child.name, position=position)
        for key in keys:
            p = found[(child.code, key)]
            entry.values[key] = p.actual
            if p.target is not None:
                entry.targets[key] = p.target.value
                due = p.scheduled(as_of)
                if due is not None:
                    entry.scheduled[key] = due
                entry.rates[key] = str(p.rate)
            old = before.get(child.code)
            if old is not None and key in old.values:
                entry.changes[key] = p.actual - old.values[key]
        entries.append(entry)
    _rank(entries, rank_key, by_rate=rank_key in with_target)
    for entry in entries:
        old = before.get(entry.area_id)
        entry.previous_rank = old.rank if old is not None else None
    total = RoundEntry(area=area, name="合计", position=len(entries) + 1, is_total=True)
    for key in keys:
        own = found[(area.code, key)]
        total.values[key] = own.actual
        if own.target is not None:
            total.targets[key] = own.value
            due = own.scheduled(as_of)
            if due is not None:
                total.scheduled[key] = due
            total.rates[key] = str(own.rate)
    entries.append(total)
    files = bulletin.write_round(round_, entries)
    round_.xlsx.save(f"{area.code}-{year}{month:02d}-通报.xlsx", ContentFile(files.xlsx), save=False)
    round_.pdf.save(f"{area.code}-{year}{month:02d}-通报.pdf", ContentFile(files.pdf), save=False)
    round_.xlsx_sha256 = hashlib.sha256(files.xlsx).hexdigest()
    round_.pdf_sha256 = hashlib.sha256(files.pdf).hexdigest()
    round_.save()
    for entry in entries:
        entry.round = round_
    RoundEntry.objects.bulk_create(entries)
    audit(Action.CREATE, actor=actor, obj=round_, message=f"发布调度通报：{round_.title}")
    _tell_children(round_, [e for e in entries if not e.is_total])
    return round_


def _rank(entries: list[RoundEntry], key: str, *, by_rate: bool) -> None:
    """By completion of the rank figure where it has targets (areas without one unranked), else by the
    figure itself."""
    from decimal import Decimal

    if by_rate:
        ranked = [e for e in entries if key in e.rates]
        ranked.sort(key=lambda e: (-Decimal(e.rates[key]), -e.values[key], e.area_id))
    else:
        ranked = sorted(entries, key=lambda e: (-e.values[key], e.area_id))
    for position, entry in enumerate(ranked, 1):
        entry.rank = position


def _tell_children(round_: DispatchRound, entries: list[RoundEntry]) -> None:
    """A notice (通知) to every active staff account bound to each child area, naming its place."""
    try:
        link = reverse("dispatch:round_detail", kwargs={"pk": round_.pk})
    except NoReverseMatch:
        link = ""
    staff: dict[str, list[User]] = {}
    for user in User.objects.filter(
        kind=Kind.STAFF, is_active=True, area_id__in=[e.area_id for e in entries]
    ):
        staff.setdefault(user.area_id, []).append(user)
    name = round_.figure_names[round_.rank_figure]
    for entry in entries:
        place = f"排名第 {entry.rank} 名（共 {len(entries)} 个）" if entry.rank else "未排名（未设目标）"
        rate = entry.rates.get(round_.rank_figure)
        body = (
            f"{name} {entry.values[round_.rank_figure]}"
            + (f"，完成率 {rate}%" if rate else "")
            + f"，{place}。"
        )
        notify_users(staff.get(entry.area_id, ()), title=f"{round_.title}已发布", body=body, link=link)
