"""Contribution changes (参保中断): successive social-insurance comparisons (EXCHANGE §3) move a person's
养老保险参保状态 from 参保缴费 to 暂停缴费 or 终止参保; the warning scan (tracking's set-based engine)
raises 参保中断 once for that change, and clears it when a later comparison shows contributions resumed.
A person who was never paying, or only paused again after a pause, raises nothing new."""

import pytest

from bangfu.compare.actions import accept
from bangfu.compare.models import ChangeKind, Finding, Status
from bangfu.compare.tests.conftest import TODAY, compare, write_source
from bangfu.pension.tests.factories import person
from bangfu.registry.models import Person
from bangfu.tracking.models import Warning, WarningKind, WarningStatus
from bangfu.tracking.warnings import scan

RESIDENTS = "城乡居民养老保险"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def comparison(user, tmp_path, name, rows):
    """One social-insurance comparison of county A, its pension findings accepted by staff."""
    cells = [{"姓名": p.name, "证件号码": p.id_number, "险种": RESIDENTS, "参保状态": s} for p, s in rows]
    path = write_source(tmp_path / name, cells)
    run = compare(user, "social-insurance", path)
    for finding in Finding.objects.filter(run=run, change=ChangeKind.PENSION, status=Status.OPEN):
        accept(user, finding)
    return run


def breaks(status=None):
    found = Warning.objects.filter(kind=WarningKind.PENSION_BREAK)
    return found.filter(status=status) if status else found


def test_a_stop_between_two_comparisons_raises_a_warning_and_a_resumption_clears_it(users, tmp_path):
    actor, county = users["county_a"], users["county_a"].area
    paying = person("龙缴费", pension_insurance="", pension_status="")
    never = person("龙从未", pension_insurance="", pension_status="")
    comparison(actor, tmp_path, "1.xlsx", [(paying, "参保缴费"), (never, "终止参保")])
    assert Person.objects.get(pk=paying.pk).pension_status == "参保缴费"
    assert scan(county, TODAY).raised_by_kind[WarningKind.PENSION_BREAK] == 0

    comparison(actor, tmp_path, "2.xlsx", [(paying, "暂停缴费"), (never, "终止参保")])
    assert Person.objects.get(pk=paying.pk).pension_status == "暂停缴费"
    result = scan(county)
    assert result.raised_by_kind[WarningKind.PENSION_BREAK] == 1
    warning = breaks().get()
    assert warning.person_id == paying.pk and warning.status == WarningStatus.OPEN
    assert "由参保缴费变为暂停缴费" in warning.detail
    assert scan(county).raised == 0  # scanning again changes nothing

    comparison(actor, tmp_path, "3.xlsx", [(paying, "终止参保")])  # paused, then ended: the same episode
    scan(county)
    assert breaks().count() == 1 and breaks(WarningStatus.OPEN).count() == 1

    comparison(actor, tmp_path, "4.xlsx", [(paying, "参保缴费")])
    result = scan(county)
    assert result.cleared_by_kind[WarningKind.PENSION_BREAK] == 1
    warning.refresh_from_db()
    assert (warning.status, warning.end_reason) == (WarningStatus.CLEARED, "已恢复缴费")


def test_a_death_clears_the_warning(users, tmp_path):
    actor, county = users["county_a"], users["county_a"].area
    paying = person("龙故去", pension_insurance="", pension_status="")
    comparison(actor, tmp_path, "1.xlsx", [(paying, "参保缴费")])
    comparison(actor, tmp_path, "2.xlsx", [(paying, "终止参保")])
    scan(county)
    assert breaks(WarningStatus.OPEN).count() == 1
    Person.objects.filter(pk=paying.pk).update(is_deceased=True)
    scan(county)
    assert breaks().get().end_reason == "人员已故"
