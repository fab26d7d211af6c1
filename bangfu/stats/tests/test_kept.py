"""Keeping figures: today's, made stale village by village by the changes that commit and computed again
on the next read; the background tasks queue themselves, one of each, and capture the day just over."""

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.employment.actions import create_record
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.actions import update_person_fields
from bangfu.stats import figures, store, tasks
from bangfu.stats.models import CapturedDay, DailyFigures, StaleVillage
from bangfu.stats.tests.world import V1, build


@pytest.mark.django_db
def test_a_change_after_todays_capture_is_counted_on_the_next_read(
    areas, users, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):  # as if the world were built and committed
        people = build(today)
    store.capture(today)
    county = areas["county_a"]
    before = figures.values([county], today)[county.code]
    with django_capture_on_commit_callbacks(execute=True):
        create_record(
            users["county_a"], people["p7"],
            EmploymentRecord(employer_name="新单位", started_on=today, place="县内"),
        )  # fmt: skip
    assert list(StaleVillage.objects.values_list("area_id", flat=True)) == [V1]
    after = figures.values([county], today)[county.code]
    assert after["working"] == before["working"] + 1 and after["not_working"] == before["not_working"] - 1
    assert not StaleVillage.objects.exists()  # computed again, kept
    assert (
        DailyFigures.objects.get(day=today, area_id=V1).working == after["working"] - 1
    )  # 市里做工 is in V2
    with django_capture_on_commit_callbacks(execute=True):
        update_person_fields(users["county_a"], people["p8"], {"labor_skill": "无劳动力"}, source="手工")
    assert figures.values([county], today)[county.code]["laborers"] == after["laborers"] - 1


@pytest.mark.django_db
def test_nothing_is_marked_without_todays_capture(areas, users, django_capture_on_commit_callbacks):
    people = build(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        update_person_fields(users["county_a"], people["p8"], {"labor_skill": "无劳动力"}, source="手工")
    assert not StaleVillage.objects.exists()


@pytest.mark.django_db
def test_tasks_queue_one_of_each_and_capture_the_day_over(areas):
    from bangfu.stats.tasks import pending

    build(timezone.localdate() - dt.timedelta(days=1))
    tasks.ensure_nightly()
    tasks.ensure_nightly()
    assert pending(tasks.nightly_capture).count() == 1 and pending(tasks.refresh_today).count() == 1
    tasks.nightly_capture.call()
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    assert CapturedDay.objects.filter(day=yesterday).exists()
    assert pending(tasks.nightly_capture).count() == 1
    tasks.refresh_today.call()
    assert CapturedDay.objects.filter(day=timezone.localdate()).exists()
    assert pending(tasks.refresh_today).count() == 1
