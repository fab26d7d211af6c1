"""An employer reports a hire, a month's wages and a departure in the enterprise portal. Behind the portal a
registry person's hire becomes an employment record of source 企业报送 (joined to the record of a referral
hire instead when there is one), the departure ends it with its reason, the latest wage becomes its wage;
someone not in the registry is kept as reported and nothing else happens. Every step is audited."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.audit.models import Action, AuditEvent
from bangfu.employment.models import EmploymentRecord, Source
from bangfu.employment.signals import records_changed
from bangfu.registry.models import Change
from bangfu.workforce.models import Hire, MonthlyWage
from bangfu.workforce.tests.conftest import outsider_id

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=90)
LAST_MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def hire_form(world, id_number, name, **extra):
    return {
        "employer": world["factory"].pk,
        "id_number": id_number,
        "name": name,
        "started_on": START.isoformat(),
        "job_title": "装配工",
        "monthly_wage": "4200",
        **extra,
    }


def test_a_registry_persons_hire_wage_and_departure_reach_the_records(
    world, client_for, apply, django_capture_on_commit_callbacks
):
    long = world["long"]
    client = client_for(world["boss"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workforce:portal_hire_new"), hire_form(world, long.id_number, "龙春生")
        )
    assert response.status_code == 302
    hire = Hire.objects.get()
    assert (hire.person, hire.record, hire.pending, hire.reported_by) == (None, None, True, world["boss"])
    assert DBTaskResult.objects.filter(task_path__endswith="apply_reports_task").exists()
    assert not EmploymentRecord.objects.exists()  # nothing happens to the records while the portal answers

    changed = []

    def heard(sender, person_ids, **kwargs):
        changed.extend(person_ids)

    records_changed.connect(heard)
    assert apply() == 1
    hire.refresh_from_db()
    record = hire.record
    assert (hire.person, hire.area_id, hire.pending) == (long, long.area_id, False)
    assert (record.person, record.source, record.employer, record.started_on) == (
        long,
        Source.EMPLOYER,
        world["factory"],
        START,
    )
    assert (record.monthly_wage, record.work_area_id, record.place, record.created_by) == (
        4200,
        "440105000000",
        "省外",
        world["boss"],
    )
    long.refresh_from_db()
    assert long.employment_status == "省外务工"
    assert Change.objects.filter(person=long, field="务工状态", source="企业报送").exists()

    month = LAST_MONTH.strftime("%Y-%m")
    url = reverse("workforce:portal_wages") + f"?employer={world['factory'].pk}&month={month}"
    response = client.post(url, {f"wage_{hire.pk}": "4600", f"insured_{hire.pk}": "1"})
    assert response.status_code == 302
    wage = MonthlyWage.objects.get()
    assert (wage.month, wage.wage, wage.insured) == (LAST_MONTH, 4600, True)
    assert (wage.person, wage.area_id) == (long, long.area_id)  # the hire is matched already
    apply()
    record.refresh_from_db()
    assert record.monthly_wage == 4600

    left = TODAY - dt.timedelta(days=2)
    response = client.post(
        reverse("workforce:portal_leave", args=[hire.pk]),
        {"ended_on": left.isoformat(), "end_reason": "解除劳动关系"},
    )
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        apply()
    record.refresh_from_db()
    long.refresh_from_db()
    assert (record.ended_on, record.end_reason) == (left, "解除劳动关系")
    assert long.employment_status == "未务工"
    assert changed and set(changed) == {long.pk}  # tracking's warnings scan these people (就业转失业)
    records_changed.disconnect(heard)

    kinds = list(
        AuditEvent.objects.filter(actor=world["boss"]).order_by("pk").values_list("action", "object_type")
    )
    assert ("create", "workforce.hire") in kinds and ("update", "workforce.hire") in kinds
    assert ("create", "employment.employmentrecord") in kinds and (
        "update",
        "employment.employmentrecord",
    ) in kinds
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="workforce.hire")
    assert created.after["id_number"] == hire.masked_id and created.area_code == world["factory"].area_id


def test_someone_not_in_the_registry_is_kept_and_nothing_else_happens(world, client_for, apply):
    client = client_for(world["boss"])
    client.post(reverse("workforce:portal_hire_new"), hire_form(world, outsider_id(), "陈明"))
    apply()
    hire = Hire.objects.get()
    assert (hire.name, hire.person, hire.record, hire.area, hire.pending) == ("陈明", None, None, None, False)
    assert not EmploymentRecord.objects.exists()


def test_an_id_of_the_registry_with_another_name_is_not_taken_for_that_person(world, client_for, apply):
    client_for(world["boss"]).post(
        reverse("workforce:portal_hire_new"), hire_form(world, world["long"].id_number, "龙春")
    )
    apply()
    assert Hire.objects.get().person is None and not EmploymentRecord.objects.exists()


def test_a_hire_that_came_through_a_referral_joins_its_record(world, users, apply):
    from bangfu.employment.actions import create_record
    from bangfu.workforce import actions
    from bangfu.workforce.rows import HireRow

    long = world["long"]
    referred = create_record(
        users["county_a"],
        long,
        EmploymentRecord(
            employer=world["factory"], started_on=START + dt.timedelta(days=3), source=Source.REFERRAL
        ),
    )
    actions.report_hire(
        world["boss"], world["factory"], HireRow(long.id_number, "龙春生", START, "装配工", 4000)
    )
    apply()
    assert EmploymentRecord.objects.count() == 1
    assert Hire.objects.get().record == referred


def test_a_hire_reported_with_its_departure_makes_an_ended_record(world, apply):
    from bangfu.workforce import actions
    from bangfu.workforce.rows import HireRow

    row = HireRow(
        world["tian"].id_number, "田大山", START, "", None, "", TODAY - dt.timedelta(days=5), "返乡"
    )
    actions.report_hire(world["boss"], world["factory"], row)
    apply()
    record = EmploymentRecord.objects.get()
    assert (record.ended_on, record.end_reason, record.source) == (row.ended_on, "返乡", Source.EMPLOYER)


def test_form_checks_are_the_files_checks(world, client_for):
    client = client_for(world["boss"])
    bad = hire_form(world, "43312419850506123", "龙春生", monthly_wage="很多", work_area_code="12")
    form = client.post(reverse("workforce:portal_hire_new"), bad).context["form"]
    assert "18 位" in " ".join(form.errors["id_number"]) or form.errors["id_number"]
    assert form.errors["monthly_wage"] == ["应为 0–1,000,000 之间的金额（元/月）"]
    assert form.errors["work_area_code"] == ["应为 6、9 或 12 位区划代码"]
    later = hire_form(world, outsider_id(), "陈明", started_on=(TODAY + dt.timedelta(days=1)).isoformat())
    assert client.post(reverse("workforce:portal_hire_new"), later).context["form"].errors["started_on"] == [
        "不能晚于今天"
    ]
    assert not Hire.objects.exists()


def test_overlapping_spells_and_a_second_departure_are_refused(world, client_for):
    client = client_for(world["boss"])
    client.post(reverse("workforce:portal_hire_new"), hire_form(world, outsider_id(), "陈明"))
    again = client.post(
        reverse("workforce:portal_hire_new"),
        hire_form(world, outsider_id(), "陈明", started_on=(START + dt.timedelta(days=10)).isoformat()),
    )
    assert "此人在本单位已有在职的入职报送" in again.content.decode()
    hire = Hire.objects.get()
    leave = reverse("workforce:portal_leave", args=[hire.pk])
    assert client.post(leave, {"ended_on": START.isoformat(), "end_reason": "其他"}).status_code == 302
    again = client.post(leave, {"ended_on": START.isoformat(), "end_reason": "其他"}, follow=True)
    assert "已报送过此人的离职" in again.content.decode()
    early = client.post(
        reverse("workforce:portal_hire_new"),
        hire_form(world, outsider_id(), "陈明", started_on=(START - dt.timedelta(days=10)).isoformat()),
    )
    assert "重叠" in early.content.decode()
    assert Hire.objects.count() == 1


def test_another_employers_account_and_staff_cannot_touch_a_report(world, users, client_for):
    from bangfu.workforce import actions
    from bangfu.workforce.rows import HireRow

    hire = actions.report_hire(world["boss"], world["factory"], HireRow(outsider_id(), "陈明", START))
    other = client_for(world["other_boss"])
    for name in ("workforce:portal_hire", "workforce:portal_leave"):
        assert other.get(reverse(name, args=[hire.pk])).status_code in (404, 405)
        assert (
            other.post(reverse(name, args=[hire.pk]), {"ended_on": START, "end_reason": "其他"}).status_code
            == 404
        )
    assert "陈明" not in other.get(reverse("workforce:portal_list")).content.decode()
    # It cannot report for an employer it does not act for.
    response = other.post(reverse("workforce:portal_hire_new"), hire_form(world, outsider_id(9), "李四"))
    assert response.status_code == 200 and Hire.objects.count() == 1
    staff = client_for(users["county_a"])
    for name in (
        "workforce:portal_list",
        "workforce:portal_hire_new",
        "workforce:portal_wages",
        "workforce:portal_import",
    ):
        assert staff.get(reverse(name)).status_code == 403
    assert client_for(world["boss"]).get(reverse("workforce:list")).status_code == 403
    hire.refresh_from_db()
    assert hire.ended_on is None
