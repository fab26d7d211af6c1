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
    pending = getattr(connection, "_stats_pending", None)
    # A flush still waiting among the transaction's callbacks takes these villages too; one that ran, or
    # was dropped with a rolled-back transaction (gone from the list), is replaced by a new one.
    if (
        pending is None
        or pending["done"]
        or not any(e[1] is pending["flush"] for e in connection.run_on_commit)
    ):
        pending = {"villages": set(), "done": False}

        def flush(pending=pending):
            pending["done"] = True
            mark_stale(pending["villages"])

        pending["flush"] = flush
        connection._stats_pending = pending
        transaction.on_commit(flush)
    pending["villages"].update(villages)


def records_changed(sender, person_ids=(), **kwargs):
    from bangfu.registry.models import Person

    villages = set()
    table = connection.ops.quote_name(Person._meta.db_table)
    # An import sends a million ids: written into the statement as integers, 20,000 at a time (SQLite
    # takes 32,766 parameters a statement, and Django's per-value preparation of `pk__in` cost seconds).
    with connection.cursor() as cursor:
        for chunk in batched(sorted({int(i) for i in person_ids}), 20_000):
            cursor.execute(f"SELECT DISTINCT area_id FROM {table} WHERE id IN ({', '.join(map(str, chunk))})")
            villages.update(code for (code,) in cursor.fetchall())
    _mark(villages)


def person_saved(sender, instance, **kwargs):
    _mark([instance.area_id])


def person_deceased(sender, person, **kwargs):
    _mark([person.area_id])
