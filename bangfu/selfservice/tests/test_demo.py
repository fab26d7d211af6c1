"""The demo names a laborer who can sign in: an open referral, a phone nobody else in the registry has."""

import pytest
from django.test import Client

from bangfu.referrals.actions import create_referral
from bangfu.selfservice.demo import demo_laborer
from bangfu.selfservice.tests.helpers import shared_phone_household, sign_in

pytestmark = pytest.mark.django_db


def test_the_demo_laborer_has_a_phone_of_their_own_and_signs_in(world, users, sms_file, captured):
    assert demo_laborer() is None
    father, _, _ = shared_phone_household()
    create_referral(users["county_a"], father, world["job"])  # a shared phone: not the demo's laborer
    assert demo_laborer() is None
    create_referral(users["county_a"], world["shi"], world["job"])
    phone, person = demo_laborer()
    assert (phone, person) == ("13900002222", world["shi"])
    sign_in(Client(), phone, sms_file, captured)
