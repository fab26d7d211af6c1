import datetime as dt

import pytest

from bangfu.areas.models import Area
from bangfu.conftest import COUNTY_A, TOWNSHIP_A


def village_of(township: Area) -> Area:
    return Area.objects.filter(parent=township).order_by("code").first()


def employ(person, started: str, ended: str | None = None):
    from bangfu.employment.models import EmploymentRecord

    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="测试厂", place="县内",
        started_on=dt.date.fromisoformat(started), ended_on=dt.date.fromisoformat(ended) if ended else None,
    )  # fmt: skip


@pytest.fixture
def world(users):
    """花垣县 with a 务工人数 target of 10 split between 龙潭镇 (6) and another township (4); by the end of
    March two laborers of 龙潭镇 and one of the other work, one more of 龙潭镇 starts in April."""
    from bangfu.referrals.tests.factories import make_person
    from bangfu.stats.figures import figure
    from bangfu.targets import actions

    county = Area.objects.get(code=COUNTY_A.ljust(12, "0"))
    longtan = Area.objects.get(code=TOWNSHIP_A.ljust(12, "0"))
    other = Area.objects.filter(parent=county).exclude(code=longtan.code).order_by("code").first()
    key = figure("务工人数").key
    target = actions.set_target(
        users["county_a"], county, year=2026, figure=key, value=10, monthly=[None, None, 3] + [None] * 9
    )
    actions.split_target(
        users["county_a"], target,
        [actions.SplitPart(longtan, 6, (None, None, 2) + (None,) * 9), actions.SplitPart(other, 4)],
    )  # fmt: skip
    a, b = make_person("龙甲", village_of(longtan).code), make_person("龙乙", village_of(longtan).code)
    c = make_person("他丙", village_of(other).code)
    d = make_person("龙丁", village_of(longtan).code)
    for person in (a, b, c):
        employ(person, "2026-01-10")
    employ(d, "2026-04-02")
    return {"county": county, "longtan": longtan, "other": other, "key": key, "people": (a, b, c, d)}
