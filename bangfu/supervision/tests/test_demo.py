"""The demo's 督办: tasks of the city and the demo counties with replies at every stage and one past its due
day, and the rectification ledger with every status, all by the demo users through the real actions."""

import pytest

from bangfu.accounts.models import User
from bangfu.demo.build import COUNTIES, ensure_users
from bangfu.supervision.demo import build_supervision_demo
from bangfu.supervision.models import Assignment, Rectification, RectStatus, Reply, Review, Task
from bangfu.supervision.tests.factories import TODAY

pytestmark = pytest.mark.django_db


def test_the_demo_has_tasks_replies_an_overdue_one_and_a_ledger(areas):
    ensure_users()
    build_supervision_demo(COUNTIES)
    for code in COUNTIES:
        assert Task.objects.filter(area_id=code.ljust(12, "0")).count() == 2
        assert Assignment.objects.filter(area__code__startswith=code).overdue(TODAY).exists()
        assert Rectification.objects.filter(area__code__startswith=code).count() >= 3
    assert set(Reply.objects.values_list("review", flat=True)) == set(Review.values)
    assert Assignment.objects.filter(done_on__isnull=False).count() == 2  # a township's and a county's
    statuses = set(Rectification.objects.values_list("status", flat=True))
    assert {RectStatus.NEW, RectStatus.CLOSED} <= statuses
    assert Task.objects.filter(area_id="433100000000").exists()  # the city's, to both counties
    village_clerk = User.objects.get(username__startswith="demo4331241", area__level=5)
    assert Assignment.objects.for_user(village_clerk).open().exists()  # something to answer
    counts = (Task.objects.count(), Reply.objects.count(), Rectification.objects.count())
    build_supervision_demo(COUNTIES)  # a rebuild adds nothing
    assert (Task.objects.count(), Reply.objects.count(), Rectification.objects.count()) == counts
