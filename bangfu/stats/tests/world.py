"""A world whose every figure is known by hand, with a decoy on each boundary: the dead (died before the
day, and after it), a record's first and last day, a record starting the day after, a record ended last
year, an old member holding a public-welfare post, a laborer of county B working in county A."""

import datetime as dt
import itertools

from django.utils import timezone

from bangfu.conftest import area
from bangfu.core.idnumber import make_id
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Household, Person

T1, T2 = "433124102", "433124105"  # 龙潭镇 and another township of county A
V1, V2 = "433124102201", "433124105208"
VB = "433123109225"  # a village of county B
ON = dt.date(2026, 6, 15)
_seq = itertools.cycle(range(300, 999))  # make_id takes 0–999; unique within a test


def household(village: str) -> Household:
    return Household.objects.create(number=f"S{village}{next(_seq)}", area=area(village))


def member(name: str, home: Household, *, birth=dt.date(1985, 5, 6), **fields) -> Person:
    values = {"sex": "男", "relation": "户主", "labor_skill": "普通劳动力", "employment_status": "未务工"}
    values.update(fields)
    return Person.objects.create(
        id_number=make_id(home.area_id[:6], birth, next(_seq)), name=name, name_initials="",
        birth_date=birth, household=home, area_id=home.area_id, **values,
    )  # fmt: skip


def record(person, started, ended=None, place="县内", channel="自主外出", work_area=None):
    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="某单位", started_on=started, ended_on=ended,
        place=place, channel=channel, work_area=work_area,
    )  # fmt: skip


def welfare(person, started):
    """A holder's spell on a post of the person's village, with its employment record (as
    posts.actions.start_spell makes them)."""
    from bangfu.posts.models import Post, Spell

    post = Post.objects.create(
        area_id=person.area_id, number=f"GY{next(_seq)}", kind="乡村公益性岗位", title="保洁员",
        opened_on=started,
    )  # fmt: skip
    held = record(person, started, channel="公益性岗位", work_area=area(person.area_id))
    return Spell.objects.create(
        post=post, person=person, area_id=person.area_id, started_on=started, record=held
    )


def build(on: dt.date = ON) -> dict[str, Person]:
    """The world as of day `on`: records placed around it."""
    days = dt.timedelta(days=1)
    year_start = on.replace(month=1, day=1)
    p = {}
    p["p1"] = member("县内有组织", household(V1))
    record(p["p1"], on, channel="有组织输出")  # its first day is the day counted
    p["p2"] = member("省外末日", household(V1))
    record(p["p2"], on - 400 * days, on, place="省外")  # its last day is the day counted
    h3 = household(V1)
    p["p3"] = member("昨日离职", h3, wants_work=True)
    record(p["p3"], on - 30 * days, on - days, place="省内县外")  # ended the day before
    p["p4"] = member("明日入职", h3, relation="配偶", wants_work=False)
    record(p["p4"], on + days)  # starts the day after
    p["p5"] = member("公益岗", household(V1))
    welfare(p["p5"], on - 45 * days)
    h5 = household(V1)
    p["p6"] = member("老人岗", h5, birth=dt.date(1950, 1, 1))  # too old to be a laborer, holds a post
    welfare(p["p6"], on - 100 * days)
    p["p7"] = member("想干活", h5, relation="之子", wants_work=True, birth=dt.date(1990, 2, 3))
    h6 = household(V1)
    p["d1"] = member("已故者", h6, is_deceased=True, died_on=on - 10 * days)
    welfare(p["d1"], on - 100 * days)  # never ended: the dead do not count
    p["p8"] = member("未问意愿", h6, relation="之子", birth=dt.date(1995, 7, 8))
    # Died five days after the day (still alive on it); for a world of today, not dead yet.
    died = on + 5 * days
    dead = died <= timezone.localdate()
    p["d2"] = member(
        "后故者", household(V1), is_deceased=dead, died_on=died if dead else None, wants_work=True
    )
    p["n1"] = member("无劳力", household(V1), labor_skill="无劳动力")
    p["p9"] = member("去年做工", household(V1))
    record(p["p9"], year_start - 365 * days, year_start - days, place="省外")  # ended last year
    p["q1"] = member("市里做工", household(V2))
    record(p["q1"], on - 100 * days, place="省内县外", work_area=area("430182000000"))
    p["b1"] = member("外县来的", household(VB))
    record(p["b1"], on - 60 * days, place="省内县外", work_area=area(V2))  # works in county A
    return p


def expected(**figures) -> dict[str, int]:
    from bangfu.stats.figures import with_rates, zeros

    return with_rates(zeros() | figures)


def expectations(on: dt.date = ON) -> dict[str, dict[str, int]]:
    """Counted by hand (see `build`). 昨日离职 worked this year unless the day is 1 January."""
    in_year = 4 if (on - dt.timedelta(days=1)).year == on.year else 3
    return {
        T1: expected(
            people=11, laborers=9, working=3, working_county=2, working_outside=1, working_in_year=in_year,
            organised=1, welfare_post=2, not_working=6, willing_not_working=3, zero_employment_households=4,
        ),
        T2: expected(people=1, laborers=1, working=1, working_province=1, working_in_year=1),
        "433123": expected(people=1, laborers=1, working=1, working_province=1, working_in_year=1),
    }  # fmt: skip
