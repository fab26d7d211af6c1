"""The 联系不上 list moved from compare to tracking with its rows (tracking 0003, compare 0011): flags made
before, current and cleared, are tracking's after, with their ids; two current flags of one person (which
the old page did not prevent) become one."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from bangfu.referrals.tests.factories import make_person
from bangfu.tracking.models import Unreachable

BEFORE = [("compare", "0010_finding_ambiguous_identity"), ("tracking", "0002_national_rules")]


@pytest.mark.django_db(transaction=True)  # migrates the apps back and forth
def test_the_flags_move_with_their_rows(users):
    wu, shi = make_person("迁移吴"), make_person("迁移石")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("compare", "Unreachable")
    day = dt.date(2025, 3, 1)
    kept = old.objects.create(person_id=wu.pk, area_id=wu.area_id, flagged_on=day, note="电话停机",
                              flagged_by_id=users["county_a"].pk)  # fmt: skip
    cleared = old.objects.create(person_id=shi.pk, area_id=shi.area_id, flagged_on=day, clear_note="已联系上",
                                 cleared_at=dt.datetime(2025, 4, 1, tzinfo=dt.UTC))  # fmt: skip
    twice = old.objects.create(person_id=shi.pk, area_id=shi.area_id, flagged_on=day + dt.timedelta(days=1))
    again = old.objects.create(person_id=shi.pk, area_id=shi.area_id, flagged_on=day + dt.timedelta(days=2))

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([executor.loader.graph.leaf_nodes(app)[0] for app in ("compare", "tracking")])
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {flag.pk: flag for flag in Unreachable.objects.all()}
    assert set(moved) == {kept.pk, cleared.pk, twice.pk, again.pk}
    assert moved[kept.pk].note == "电话停机" and moved[kept.pk].flagged_by == users["county_a"]
    assert (
        moved[kept.pk].active and not moved[cleared.pk].active and moved[cleared.pk].clear_note == "已联系上"
    )
    assert moved[twice.pk].active and not moved[again.pk].active
    assert "迁移时合并" in moved[again.pk].clear_note
    assert "compare_unreachable" not in connection.introspection.table_names()
    # New flags carry on after the old ids.
    fresh = Unreachable.objects.create(person_id=wu.pk, area_id=wu.area_id, flagged_on=day,
                                       cleared_at=dt.datetime(2025, 5, 1, tzinfo=dt.UTC))  # fmt: skip
    assert fresh.pk > again.pk
