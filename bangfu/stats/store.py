"""Keeping figures (stats/models.py), so that the statistics of a province answer in milliseconds and a
past day answers as it was then.

- **Past days**: the nightly task (`tasks.nightly_capture`) keeps every village's figures of the day just
  over (`DailyFigures`, marked done by `CapturedDay`). A captured day is read from there ever after:
  nothing edited, back-dated or deleted later changes it.
- **Today**: `tasks.refresh_today` keeps today's figures the same way every BANGFU_STATS_REFRESH_MINUTES,
  and between two refreshes the villages whose records or people change are marked stale
  (`StaleVillage`, by the receivers in `receivers.py`) and computed again by the next read before it
  answers (a village is a few hundred people: milliseconds). A day never kept is computed from the
  records (`figures.compute`).

`kept` is the reader `figures.totals` asks first: the sums per area are GROUP BY queries on the kept
rows, one per level asked."""

from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.db.models import Q, Sum
from django.db.models.functions import Substr
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.core.bulk import insert_rows
from bangfu.stats import figures
from bangfu.stats.models import CapturedDay, DailyFigures, StaleVillage

COLUMNS = ["day", "area", *figures.COUNTED]


def _within(area: Area) -> Q:
    low, high = area.code_range
    return Q(area__gte=low, area__lte=high)


def _rows(day: dt.date, counts: dict[str, dict]):
    return ([day, code, *(values[key] for key in figures.COUNTED)] for code, values in sorted(counts.items()))


def capture(day: dt.date) -> CapturedDay:
    """Compute every village's figures of `day` and keep them, replacing what was kept for it. For a past
    day, run once it is over (the nightly task): what it keeps is the day as it ended."""
    started_at = timezone.now()
    started = time.perf_counter()
    counts = figures.compute(day)
    with transaction.atomic():
        DailyFigures.objects.filter(day=day).delete()
        insert_rows(DailyFigures, COLUMNS, _rows(day, counts))
        captured, _ = CapturedDay.objects.update_or_create(
            day=day,
            defaults={
                "captured_at": timezone.now(),
                "villages": len(counts),
                "seconds": round(time.perf_counter() - started, 2),
            },
        )
        if day == timezone.localdate():
            StaleVillage.objects.filter(marked_at__lt=started_at).delete()  # later marks stay
    return captured


def refresh_stale(within: Area) -> int:
    """Compute again today's kept figures of the stale villages of `within`; returns how many."""
    today = timezone.localdate()
    stale = list(StaleVillage.objects.filter(_within(within)).values_list("area_id", "marked_at"))
    if not stale:
        return 0
    villages = [code for code, _ in stale]
    counts = figures.compute(today, villages=villages)
    with transaction.atomic():
        DailyFigures.objects.filter(day=today, area_id__in=villages).delete()
        insert_rows(DailyFigures, COLUMNS, _rows(today, counts))
        for code, marked_at in stale:  # a mark made meanwhile stays for the next read
            StaleVillage.objects.filter(area_id=code, marked_at=marked_at).delete()
    return len(villages)


def mark_stale(villages) -> None:
    """Mark villages whose figures of today changed, when today's figures are kept (else nothing to do)."""
    villages = {code for code in villages if code}
    if not villages or not CapturedDay.objects.filter(day=timezone.localdate()).exists():
        return
    now = timezone.now()
    StaleVillage.objects.filter(area_id__in=villages).update(marked_at=now)
    StaleVillage.objects.bulk_create(
        [StaleVillage(area_id=code, marked_at=now) for code in villages], ignore_conflicts=True
    )


def captured_at(on: dt.date) -> dt.datetime | None:
    """When the figures of `on` were kept, or None (then they are computed when asked)."""
    return CapturedDay.objects.filter(day=on).values_list("captured_at", flat=True).first()


def kept(on: dt.date, within: Area, areas: list[Area]) -> dict[str, dict[str, int]] | None:
    """{area code: totals} of `areas` (inside `within`) from the kept figures of `on`, or None when
    that day is not kept."""
    today = timezone.localdate()
    if on > today or not CapturedDay.objects.filter(day=on).exists():
        return None
    if on == today:
        refresh_stale(within)
    rows = DailyFigures.objects.filter(_within(within), day=on)
    sums = {key: Sum(key) for key in figures.COUNTED}
    result = {}
    for digits in sorted({LEVEL_DIGITS[a.level] for a in areas}):
        if digits == 0:
            found = {"": rows.aggregate(**sums)}
        else:
            grouped = rows.annotate(_p=Substr("area_id", 1, digits)).values("_p").annotate(**sums).order_by()
            found = {row.pop("_p"): row for row in grouped}
        for area in areas:
            if LEVEL_DIGITS[area.level] == digits:
                total = found.get(area.code[:digits]) or {}
                result[area.code] = {key: int(total.get(key) or 0) for key in figures.COUNTED}
    return result
