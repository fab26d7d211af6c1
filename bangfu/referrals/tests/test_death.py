"""A person who dies has their open referrals given up (放弃, note 已故); closed ones stay as they were."""

from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.models import Status
from bangfu.registry.models import Person
from bangfu.registry.signals import person_deceased


def test_person_deceased_gives_up_open_referrals(world, users):
    actor = users["county_a"]
    hired = create_referral(actor, world["long"], world["local_job"])
    advance(actor, hired, Status.INTERESTED)
    advance(actor, hired, Status.HIRED, monthly_wage=3200)
    open_one = create_referral(actor, world["long"], world["job"])  # after the hire: a better job
    other_person = create_referral(actor, world["shi"], world["job"])
    Person.objects.filter(pk=world["long"].pk).update(is_deceased=True)
    person_deceased.send(sender=Person, person=world["long"], actor=actor)
    open_one.refresh_from_db()
    hired.refresh_from_db()
    other_person.refresh_from_db()
    assert open_one.status == Status.WITHDRAWN
    assert open_one.steps.last().note == "已故"
    assert hired.status == Status.HIRED and other_person.status == Status.REFERRED
