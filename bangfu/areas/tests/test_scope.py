"""The queryset mechanism itself: subtree ranges, anonymous, inactive and non-staff accounts."""

from django.contrib.auth.models import AnonymousUser

from bangfu.accounts.models import Kind, User
from bangfu.areas.models import Area
from bangfu.areas.scope import code_range


def test_code_range_covers_exactly_the_subtree():
    assert code_range("433124000000", 3) == ("433124000000", "433124999999")
    assert code_range("430000000000", 1) == ("430000000000", "439999999999")
    assert code_range("000000000000", 0) == ("000000000000", "999999999999")


def test_county_user_sees_own_subtree_and_nothing_else(users):
    visible = Area.objects.for_user(users["county_a"])
    codes = set(visible.values_list("code", flat=True))
    assert "433124102201" in codes and "433124000000" in codes
    assert not any(c.startswith("433123") for c in codes)
    assert "433100000000" not in codes  # the city above is not in the subtree
    all_under_a = Area.objects.filter(code__startswith="433124").count()
    assert visible.count() == all_under_a


def test_anonymous_inactive_and_non_staff_see_nothing(users):
    assert not Area.objects.for_user(AnonymousUser()).exists()
    inactive = users["county_a"]
    inactive.is_active = False
    assert not Area.objects.for_user(inactive).exists()
    enterprise = User(username="ent", kind=Kind.ENTERPRISE, area=users["county_a"].area)
    assert not Area.objects.for_user(enterprise).exists()


def test_users_scope_follows_area(users):
    visible = set(User.objects.for_user(users["township_a"]).values_list("username", flat=True))
    assert visible == {"u_township_a", "u_village_a"}
