"""What makes today's kept figures of a village stale (stats/store.py): its records or its people changed.
Villages are gathered per transaction and marked once it commits."""

from __future__ import annotations

from itertools import batched

from django.db import connection, transaction


def _mark(villages) -> None:
    """Mark `villages` stale once the transaction commits: one write per transaction, however many
    changes it holds (a rolled-back one marks nothing)."""
    from bangfu.stats.store import mark_stale

    villages = set(villages)
    if not connection.in_atomic_block:
        mark_stale(villages)
        return
    outermost = connection.atomic_blocks[0]
    pending = getattr(connection, "_stats_pending", None)
    if pending is None or pending[0] is not outermost:
        pending = connection._stats_pending = (outermost, set())

        def flush(pending=pending):
            if getattr(connection, "_stats_pending", None) is pending:
                connection._stats_pending = None
            mark_stale(pending[1])

        transaction.on_commit(flush)
    pending[1].update(villages)


def records_changed(sender, person_ids=(), **kwargs):
    from bangfu.registry.models import Person

    villages = set()
    # An import sends a million ids: SQLite takes 32,766 parameters a statement.
    for chunk in batched(person_ids, 5000):
        villages.update(Person.objects.filter(pk__in=chunk).values_list("area_id", flat=True).distinct())
    _mark(villages)


def person_saved(sender, instance, **kwargs):
    _mark([instance.area_id])


def person_deceased(sender, person, **kwargs):
    _mark([person.area_id])
