"""The warning engine reacts at once to what changes a laborer's situation: employment records
(`employment.signals.records_changed`), visits (`tracking.signals.visits_recorded`) and a death
(`registry.signals.person_deceased`) scan just those people and their households, after the change
committed. Many people at once (an import) are left to a background task; so is a scan that finds the
nightly scan running."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from bangfu.employment.signals import records_changed
from bangfu.registry.signals import person_deceased
from bangfu.tracking.signals import visits_recorded

logger = logging.getLogger("bangfu.tracking")

# Up to this many people are scanned in the request that changed them; more go to the worker.
INLINE_PEOPLE = 5_000


def rescan(person_ids) -> None:
    from bangfu.tracking.tasks import id_runs, scan_people_task
    from bangfu.tracking.warnings import scan

    ids = sorted({int(i) for i in person_ids or ()})
    if not ids:
        return
    try:
        if len(ids) <= INLINE_PEOPLE and not scan(person_ids=ids, wait=False).skipped:
            return
    except Exception:  # the change that triggered it has committed: leave the scan to the worker
        logger.exception("预警扫描失败（%s 人），改由后台任务扫描", len(ids))
    try:
        for start in range(0, len(ids), 50_000):
            scan_people_task.enqueue(id_runs(ids[start : start + 50_000]))
    except Exception:  # the nightly scan catches up
        logger.exception("预警扫描任务未能排队（%s 人）", len(ids))


@receiver(records_changed, dispatch_uid="tracking_records_changed")
def on_records_changed(sender, person_ids=(), **kwargs):
    rescan(person_ids)


@receiver(visits_recorded, dispatch_uid="tracking_visits_recorded")
def on_visits_recorded(sender, person_ids=(), **kwargs):
    rescan(person_ids)


@receiver(person_deceased, dispatch_uid="tracking_person_deceased")
def on_person_deceased(sender, person=None, **kwargs):
    if person is not None:
        rescan([person.pk])
