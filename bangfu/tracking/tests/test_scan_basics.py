"""The warning scan's basic moves: raise once, write nothing again, clear when the condition ends."""

import pytest

from bangfu.tracking.models import Warning, WarningKind, WarningStatus
from bangfu.tracking.tests.warning_factories import day, laborer, record, visit
from bangfu.tracking.warnings import scan

pytestmark = pytest.mark.django_db
D = day("2025-06-30")


def test_a_lost_job_is_raised_once_and_cleared_by_a_new_one(areas):
    person = laborer("张三")
    ended = record(person, "2024-03-01", "2025-06-20", reason="合同到期")
    visit(person, "2025-06-25", "已离职")
    result = scan(on=D)
    assert result.raised_by_kind == {"就业转失业": 1, "零就业家庭": 1}
    warning = Warning.objects.get(kind=WarningKind.JOB_LOST)
    assert warning.basis == f"record:{ended.pk}"
    assert warning.person == person and warning.status == WarningStatus.OPEN
    assert warning.due_on == day("2025-07-07")
    assert "合同到期" in warning.detail

    again = scan(on=D)
    assert (again.raised, again.cleared) == (0, 0)

    record(person, "2025-07-01")
    later = scan(on=day("2025-07-02"))
    assert later.cleared_by_kind == {"就业转失业": 1, "零就业家庭": 1}
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLEARED and warning.end_reason == "已重新就业"
