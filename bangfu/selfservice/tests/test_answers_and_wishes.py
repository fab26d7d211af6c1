"""The laborer answers a referral (有意向 / 不考虑) and updates their wishes: the changes go through the
referral and registry actions, marked as the laborer's own (channel 劳动者本人, source 本人填报), audited
with the laborer as actor, and told to the staff and the employer."""

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.notices.models import Notification
from bangfu.referrals.actions import answer_as_laborer, create_referral
from bangfu.referrals.models import Referral, StepChannel
from bangfu.registry.models import Change, Person
from bangfu.selfservice.models import Account
from bangfu.selfservice.tests.helpers import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def referred(world, users, sms_file, captured):
    with captured():
        referral = create_referral(users["county_a"], world["long"], world["job"], score=80)
    client = sign_in(Client(), "13900001111", sms_file, captured)
    return referral, client


def test_interested_is_kept_and_told_without_moving_the_status(referred, users, world, captured):
    referral, client = referred
    before = Referral.objects.get(pk=referral.pk).status
    with captured():
        response = client.post(
            reverse("selfservice:referral", args=[referral.pk]), {"answer": "有意向", "note": "能马上去"}
        )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.laborer_answer == "有意向" and referral.status == before
    laborer = Account.objects.get(person=world["long"]).user
    event = AuditEvent.objects.filter(actor=laborer, object_type="referrals.referral").get()
    assert event.action == Action.UPDATE and "有意向" in event.message and event.area_code == referral.area_id
    told = set(
        Notification.objects.filter(title__contains="有意向").values_list("recipient__username", flat=True)
    )
    assert told == {"u_county_a", "boss_factory"}
    page = client.get(reverse("selfservice:referral", args=[referral.pk])).content.decode()
    assert '我的回复：<strong id="my-answer">有意向</strong>' in page


def test_not_considered_gives_the_referral_up_with_the_reason(referred, world, captured):
    referral, client = referred
    with captured():
        client.post(
            reverse("selfservice:referral", args=[referral.pk]),
            {"answer": "不考虑", "reason": "工作地点太远"},
        )
    referral.refresh_from_db()
    assert referral.status == "放弃" and referral.laborer_answer == "不考虑"
    step = referral.steps.order_by("-id").first()
    assert step.channel == StepChannel.LABORER and step.reason == "工作地点太远"
    assert step.by.kind == "laborer"
    assert Notification.objects.filter(recipient__username="boss_factory", title__contains="放弃").exists()
    # A closed referral takes no more answers.
    page = client.post(reverse("selfservice:referral", args=[referral.pk]), {"answer": "有意向"})
    assert page.status_code == 200 and "不能再回复" in page.content.decode()


def test_not_considered_needs_a_reason(referred):
    referral, client = referred
    page = client.post(reverse("selfservice:referral", args=[referral.pk]), {"answer": "不考虑"})
    assert "请选择原因" in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).status != "放弃"


def test_the_action_refuses_someone_elses_referral(referred, world):
    referral, _ = referred
    laborer = Account.objects.get(person=world["long"]).user
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        answer_as_laborer(laborer, world["shi"], referral, "有意向")


def test_wishes_are_saved_as_self_reported_and_audited(referred, world):
    _, client = referred
    response = client.post(
        reverse("selfservice:wishes"),
        {"wants_work": "1", "job_wish": "电工", "desired_region": "省外", "expected_wage": "5500",
         "training_wish": "电工培训"},
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get(pk=world["long"].pk)
    assert (person.wants_work, person.job_wish, person.desired_region, person.expected_wage) == (
        True, "电工", "省外", 5500,
    )  # fmt: skip
    assert person.training_wish == "电工培训"
    changes = Change.objects.filter(person=person, source="本人填报")
    assert {c.field for c in changes} == {"就业意愿", "就业意向", "意向务工地", "期望月薪", "培训意愿"}
    laborer = Account.objects.get(person=person).user
    assert {c.actor_id for c in changes} == {laborer.pk}
    event = AuditEvent.objects.get(actor=laborer, object_type="registry.person")
    assert event.message == "本人填报就业意愿" and event.area_code == person.area_id
    # Nothing changed: nothing written.
    same = {"wants_work": "1", "job_wish": "电工", "desired_region": "省外", "expected_wage": "5500"}
    client.post(reverse("selfservice:wishes"), {**same, "training_wish": "电工培训"})
    assert Change.objects.filter(person=person, source="本人填报").count() == 5


def test_a_wrong_wage_is_a_chinese_error(referred):
    _, client = referred
    page = client.post(reverse("selfservice:wishes"), {"expected_wage": "很多"})
    assert page.status_code == 200 and "输入整数" in page.content.decode()


def test_staff_and_employer_see_the_laborers_answer(referred, users, world, client_for, captured):
    referral, client = referred
    with captured():
        client.post(reverse("selfservice:referral", args=[referral.pk]), {"answer": "有意向"})
    staff_page = client_for(users["county_a"]).get(reverse("referrals:detail", args=[referral.pk]))
    portal_page = client_for(world["boss"]).get(reverse("referrals:portal_detail", args=[referral.pk]))
    for page in (staff_page, portal_page):
        assert page.status_code == 200 and "本人回复" in page.content.decode()
        assert "有意向（" in page.content.decode()
