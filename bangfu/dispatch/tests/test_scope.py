"""What the area-scope table cannot say: a bulletin is read by the areas it was sent to (the children of the
area that published it, and below) and nobody else; the annual report of another area is a 404."""

import datetime as dt

from django.urls import reverse

from bangfu.dispatch.actions import publish_round
from bangfu.dispatch.models import DispatchRound


def test_a_bulletin_is_read_below_the_area_that_published_it_only(users, world, client_for):
    round_ = publish_round(users["city"], users["city"].area, year=2026, month=3, today=dt.date(2026, 4, 5))
    for name in ("city", "county_a", "county_b", "township_a", "village_a", "province"):
        assert DispatchRound.objects.for_user(users[name]).filter(pk=round_.pk).exists(), name
    county = publish_round(users["county_a"], world["county"], year=2026, month=3, today=dt.date(2026, 4, 5))
    assert not DispatchRound.objects.for_user(users["county_b"]).filter(pk=county.pk).exists()
    assert DispatchRound.objects.for_user(users["township_a"]).filter(pk=county.pk).exists()


def test_the_annual_report_of_an_area_outside_is_a_404(users, client_for):
    outsider = client_for(users["county_b"])
    assert outsider.get(reverse("dispatch:annual"), {"area": "433124000000"}).status_code == 404
    assert outsider.get(reverse("dispatch:annual_file"), {"area": "433124000000"}).status_code == 404
    assert outsider.get(reverse("targets:index"), {"area": "433124000000"}).status_code == 404
