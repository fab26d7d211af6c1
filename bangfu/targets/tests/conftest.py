import pytest

from bangfu.areas.models import Area
from bangfu.conftest import COUNTY_A


@pytest.fixture
def townships(areas):
    """花垣县's townships, in code order."""
    return list(Area.objects.filter(parent_id=COUNTY_A.ljust(12, "0")).order_by("code"))


@pytest.fixture
def employed():
    from bangfu.stats.figures import figure

    return figure("务工人数").key
