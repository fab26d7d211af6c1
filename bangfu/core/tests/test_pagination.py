"""Lists count at most COUNT_CAP rows (beyond that the page says "10000+"), whatever their order."""

import pytest

from bangfu.areas.models import Area
from bangfu.core import views
from bangfu.core.views import CappedPaginator


@pytest.mark.django_db
def test_count_stops_at_the_cap_and_below_it_is_exact(areas, monkeypatch):
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    many = Area.objects.order_by("-code")
    assert many.count() > 6
    paginator = CappedPaginator(many, 2)
    assert (paginator.count, paginator.capped) == (6, True)
    few = Area.objects.filter(code__in=["430000000000", "433124000000"]).order_by("name")
    assert (CappedPaginator(few, 2).count, CappedPaginator(few, 2).capped) == (2, False)
    assert CappedPaginator(list(range(9)), 2).count == 6 and CappedPaginator([1, 2], 2).count == 2
