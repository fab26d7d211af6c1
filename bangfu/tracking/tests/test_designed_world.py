"""A world where every warning is known by construction (issue 16, Quality): people on each side of every
boundary — the last day inside each window and the first outside, the dead, students, people without
labor ability, people outside the 劳动年龄 rule of their region, other counties, regional rules, staff
closures — scanned as of D: the open warnings must be exactly the designed ones, and scanning again
writes nothing."""

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.registry.models import LaborAgeRule
from bangfu.tracking import due
from bangfu.tracking.models import (
    OPEN_STATUSES,
    FollowUpRule,
    IncomeLineRule,
    Warning,
    WarningKind,
    WarningRule,
    WarningStatus,
)
from bangfu.tracking.tests.warning_factories import (
    VILLAGE_A,
    VILLAGE_A2,
    VILLAGE_B,
    household,
    member,
    record,
    visit,
)
from bangfu.tracking.warnings import scan

pytestmark = pytest.mark.django_db

D = dt.date(2025, 6, 30)
VILLAGE_A3 = "433124103201"  # 民乐村, another township of county A
TOWNSHIP_A = "433124102"  # 龙潭镇: VILLAGE_A and VILLAGE_A2

JOB_LOST, RETURNED, ZERO = WarningKind.JOB_LOST, WarningKind.RETURNED, WarningKind.ZERO_EMPLOYMENT
UNREACHABLE, OVERDUE, LOW_INCOME = WarningKind.UNREACHABLE, WarningKind.VISIT_OVERDUE, WarningKind.LOW_INCOME


def ago(days: int) -> str:
    return (D - dt.timedelta(days=days)).isoformat()


def born_aged(years: int, *, birthday_in: int = 0) -> str:
    """Born so as to be `years` old on D, with the next birthday `birthday_in` days after D (0: on D)."""
    birthday = D + dt.timedelta(days=birthday_in)
    return birthday.replace(year=birthday.year - years - (1 if birthday_in else 0)).isoformat()


class World:
    def __init__(self):
        self.expected: set[tuple] = set()
        self.names: dict[int, str] = {}

    def expect(self, kind, subject, basis):
        key = ("p", subject.pk) if hasattr(subject, "household_id") else ("h", subject.pk)
        self.expected.add((str(kind), key, basis))

    def home(self, village=VILLAGE_A, *, worker=True, **fields):
        """A household; with `worker`, a member in work and visited (so it is never 零就业家庭)."""
        home = household(village, **fields)
        if worker:
            quiet = member(home, f"在岗{home.pk}", "1980-01-01")
            record(quiet, "2020-01-01")
            visit(quiet, ago(5), "在岗")
        return home

    def person(self, name, village=VILLAGE_A, birth="1985-05-06", *, home=None, seen=2, **fields):
        """A laborer in a household with a worker, visited `seen` days ago (not 跟踪逾期; None: never)."""
        home = home or self.home(village)
        person = member(home, name, birth, relation="之子", **fields)
        self.names[person.pk] = name
        if seen is not None:
            visit(person, ago(seen), "不愿就业", method="微信")
        return person

    def actual(self):
        found = set()
        for w in Warning.objects.filter(status__in=OPEN_STATUSES):
            key = ("p", w.person_id) if w.person_id else ("h", w.household_id)
            found.add((w.kind, key, w.basis))
        return found


def build() -> World:
    w = World()
    # Rules: a shorter leave window in 龙潭镇, a longer one in county B; a shorter visit rhythm in 龙潭镇;
    # a narrower working age in one village; an income line in county A only, and a higher one not yet
    # in force.
    WarningRule.objects.create(
        region_prefix=TOWNSHIP_A, effective_from=dt.date(2024, 1, 1), leave_window_days=10
    )
    WarningRule.objects.create(
        region_prefix="433123", effective_from=dt.date(2024, 1, 1), leave_window_days=60
    )
    FollowUpRule.objects.create(
        region_prefix=TOWNSHIP_A, effective_from=dt.date(2024, 1, 1), unemployed_interval_days=15
    )
    LaborAgeRule.objects.create(
        region_prefix=VILLAGE_A2, effective_from=dt.date(2024, 1, 1), min_age=18, max_age=60
    )
    IncomeLineRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2025, 1, 1), yearly_income_per_capita=6000
    )
    IncomeLineRule.objects.create(
        region_prefix="433124", effective_from=D + dt.timedelta(days=1), yearly_income_per_capita=8000
    )

    # -- 就业转失业 (national window 30 days in 民乐镇; 10 days in 龙潭镇) ------------------------------
    a3 = VILLAGE_A3
    p = w.person("窗口首日", a3)
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(30), '合同到期').pk}")
    p = w.person("窗口前一日", a3)
    record(p, "2023-01-01", ago(31), "合同到期")
    p = w.person("昨日离职", a3)
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(1), '解除劳动关系').pk}")
    p = w.person("今日离职仍在岗", a3, seen=5)
    record(p, "2023-01-01", ago(0), "合同到期")
    p = w.person("龙潭镇窗口内", VILLAGE_A)
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(10), '其他').pk}")
    p = w.person("龙潭镇窗口外", VILLAGE_A)
    record(p, "2023-01-01", ago(11), "其他")
    p = w.person("无离职原因", a3)
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(20)).pk}")
    p = w.person("已故", a3, is_deceased=True, died_on=D)
    record(p, "2023-01-01", ago(5), "其他")
    p = w.person("在校生", a3, born_aged(19), student_status="大专", labor_skill="无劳动力", seen=None)
    record(p, ago(60), ago(5), "合同到期")
    p = w.person("丧失劳动力", a3, labor_skill="丧失劳动力", seen=None)
    record(p, "2023-01-01", ago(5), "其他")
    p = w.person("满六十五周岁", a3, born_aged(65), seen=None)
    record(p, "2023-01-01", ago(5), "其他")
    p = w.person("六十四周岁", a3, born_aged(64, birthday_in=1))
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(5), '其他').pk}")
    p = w.person("十五周岁", a3, born_aged(15, birthday_in=1), seen=None)
    record(p, ago(40), ago(5), "其他")
    p = w.person("满十六周岁", a3, born_aged(16))
    w.expect(JOB_LOST, p, f"record:{record(p, ago(40), ago(5), '其他').pk}")
    # 豆旺村 counts laborers 18–60: a 62-year-old there is not one; in 民乐村 (16–64) they are.
    p = w.person("豆旺村六十二岁", VILLAGE_A2, born_aged(62), seen=None)
    record(p, "2023-01-01", ago(5), "其他")
    p = w.person("民乐村六十二岁", a3, born_aged(62))
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(5), '其他').pk}")
    p = w.person("已另就业", a3)
    record(p, "2023-01-01", ago(10), "转岗")
    record(p, ago(5))
    p = w.person("下月才入职", a3)
    w.expect(JOB_LOST, p, f"record:{record(p, '2023-01-01', ago(10), '合同到期').pk}")
    record(p, (D + dt.timedelta(days=5)).isoformat())
    p = w.person("两段都结束", a3)
    record(p, "2020-01-01", ago(40), "合同到期")
    w.expect(JOB_LOST, p, f"record:{record(p, ago(35), ago(8), '合同到期').pk}")
    # Staff closed this episode: never raised again.
    p = w.person("已关闭", a3)
    ended = record(p, "2023-01-01", ago(6), "合同到期")
    Warning.objects.create(
        kind=JOB_LOST,
        person=p,
        household=p.household,
        area_id=p.area_id,
        basis=f"record:{ended.pk}",
        raised_on=ago(5),
        status=WarningStatus.CLOSED,
        ended_on=ago(4),
        end_reason="已核实：自主创业",
    )
    # An open warning of an old episode, then work again and a new loss: the old one clears, a new one rises.
    p = w.person("二次失业", a3)
    old = record(p, "2023-01-01", ago(200), "合同到期")
    stale = Warning.objects.create(
        kind=JOB_LOST,
        person=p,
        household=p.household,
        area_id=p.area_id,
        basis=f"record:{old.pk}",
        raised_on=ago(199),
    )
    w.expect(JOB_LOST, p, f"record:{record(p, ago(100), ago(3), '解除劳动关系').pk}")
    w.stale = stale
    # An open warning of someone since dead: cleared.
    p = w.person("死亡前有预警", a3)
    ended = record(p, "2023-01-01", ago(20), "其他")
    w.dead_warning = Warning.objects.create(
        kind=JOB_LOST,
        person=p,
        household=p.household,
        area_id=p.area_id,
        basis=f"record:{ended.pk}",
        raised_on=ago(19),
    )
    p.is_deceased = True
    p.save()

    # -- 返乡 -------------------------------------------------------------------------------------------
    p = w.person("返乡离职", a3)
    w.expect(RETURNED, p, f"record:{record(p, '2023-01-01', ago(10), '返乡').pk}")
    p = w.person("回访返乡", a3, seen=None)
    w.expect(RETURNED, p, f"visit:{visit(p, ago(30), '返乡').pk}")
    p = w.person("回访返乡窗口外", a3)
    visit(p, ago(31), "返乡")
    p = w.person("返乡后已就业", a3)
    visit(p, ago(5), "返乡")
    record(p, ago(3))
    # Back home, then a job begun after the visit and already lost: that loss is the episode, not 返乡
    # (work since the visit ended it; found at province scale, where scanning again cleared it).
    p = w.person("返乡后就业又离职", a3, seen=None)
    visit(p, ago(20), "返乡")
    w.expect(JOB_LOST, p, f"record:{record(p, ago(18), ago(1), '').pk}")
    p = w.person("返乡当天就业又离职", a3, seen=None)
    visit(p, ago(20), "返乡")
    w.expect(JOB_LOST, p, f"record:{record(p, ago(20), ago(2), '合同到期').pk}")
    p = w.person("离职与回访同日返乡", a3, seen=None)
    w.expect(RETURNED, p, f"record:{record(p, '2023-01-01', ago(10), '返乡').pk}")
    visit(p, ago(10), "返乡", method="上门")
    # 返乡 in county B, whose window is 60 days: raised at 45 days there (whole-province scan only).
    p = w.person("凤凰县返乡", VILLAGE_B)
    w.expect(RETURNED, p, f"record:{record(p, '2023-01-01', ago(45), '返乡').pk}")
    visit(p, ago(45), "返乡", method="上门")
    w.county_b = {("p", p.pk)}

    # -- 零就业家庭 -------------------------------------------------------------------------------------
    home = w.home(a3, worker=False)
    first = w.person("零就业甲", home=home)
    w.person("零就业乙", home=home)
    record(first, "2023-01-01", ago(100), "合同到期")
    w.expect(ZERO, home, f"since:{ago(100)}")
    home = w.home(a3, worker=False)
    w.person("老人在岗之子", home=home)
    record(member(home, "七十岁在岗", born_aged(70)), "2020-01-01")
    home = w.home(a3, worker=False)
    member(home, "独居老人", born_aged(80))
    home = w.home(a3, worker=False)
    w.person("只有亡者在岗", home=home)
    record(member(home, "亡者", "1975-01-01", is_deceased=True), "2020-01-01")
    w.expect(ZERO, home, "since:-")
    home = w.home(a3, worker=False)
    w.person("今日仍在岗户", home=home, seen=5)
    record(home.members.get(name="今日仍在岗户"), "2023-01-01", ago(0), "合同到期")
    home = w.home(a3, worker=False)
    p = w.person("零就业已关闭", home=home)
    Warning.objects.create(
        kind=ZERO,
        household=home,
        area_id=home.area_id,
        basis="since:-",
        raised_on=ago(50),
        status=WarningStatus.CLOSED,
        ended_on=ago(40),
        end_reason="家庭成员在外求学",
    )

    # -- 联系不上 -----------------------------------------------------------------------------------------
    p = w.person("连续联系不上", a3, seen=None)
    record(p, "2023-01-01")
    visit(p, ago(20), "在岗")
    w.expect(UNREACHABLE, p, f"visit:{visit(p, ago(10), '联系不上').pk}")
    visit(p, ago(3), "联系不上")
    p = w.person("后来联系上", a3, seen=None)
    record(p, "2023-01-01")
    visit(p, ago(10), "联系不上")
    visit(p, ago(3), "在岗")
    p = w.person("同日联系上", a3, seen=None)
    record(p, "2023-01-01")
    visit(p, ago(3), "联系不上")
    visit(p, ago(3), "在岗", method="上门")
    p = w.person("从未联系上", a3, seen=None)
    record(p, "2023-01-01")
    w.expect(UNREACHABLE, p, f"visit:{visit(p, ago(5), '联系不上').pk}")
    p = w.person("明日才联系上", a3, seen=None)
    record(p, "2023-01-01")
    w.expect(UNREACHABLE, p, f"visit:{visit(p, ago(5), '联系不上').pk}")
    visit(p, (D + dt.timedelta(days=1)).isoformat(), "在岗")
    p = w.person("已故联系不上", a3, seen=None, is_deceased=True)
    visit(p, ago(5), "联系不上")
    p = w.person("联系不上已关闭", a3, seen=None)
    record(p, "2023-01-01")
    first = visit(p, ago(20), "联系不上")
    visit(p, ago(6), "联系不上")
    Warning.objects.create(
        kind=UNREACHABLE,
        person=p,
        household=p.household,
        area_id=p.area_id,
        basis=f"visit:{first.pk}",
        raised_on=ago(19),
        status=WarningStatus.CLOSED,
        ended_on=ago(10),
        end_reason="外出务工，已托家属转告",
    )

    # -- 跟踪逾期 (30 / 90 days; 15 days out of work in 龙潭镇) -------------------------------------------
    w.expect(
        OVERDUE, p := w.person("未就业三十一天", a3, seen=None), f"visit:{visit(p, ago(31), '不愿就业').pk}"
    )
    w.person("未就业三十天", a3, seen=30)
    p = w.person("在岗九十一天", a3, seen=None)
    record(p, "2023-01-01")
    w.expect(OVERDUE, p, f"visit:{visit(p, ago(91), '在岗').pk}")
    p = w.person("在岗九十天", a3, seen=None)
    record(p, "2023-01-01")
    visit(p, ago(90), "在岗")
    p = w.person("龙潭镇十六天", VILLAGE_A, seen=16)
    w.expect(OVERDUE, p, f"visit:{p.visits.get().pk}")
    w.person("龙潭镇十五天", VILLAGE_A, seen=15)
    tz = timezone.get_current_timezone()
    p = w.person("登记三十一天未回访", a3, seen=None, registered=None)
    w.expect(OVERDUE, p, "registered")
    w.registered = {p.pk: dt.datetime.combine(D - dt.timedelta(days=31), dt.time(23, 30), tzinfo=tz)}
    p = w.person("登记三十天未回访", a3, seen=None, registered=None)
    w.registered[p.pk] = dt.datetime.combine(D - dt.timedelta(days=30), dt.time(0, 30), tzinfo=tz)
    # An open 跟踪逾期 of a visit since followed by another: cleared.
    p = w.person("已回访", a3, seen=None)
    old = visit(p, ago(60), "不愿就业")
    w.visited = Warning.objects.create(
        kind=OVERDUE,
        person=p,
        household=p.household,
        area_id=p.area_id,
        basis=f"visit:{old.pk}",
        raised_on=ago(20),
    )
    visit(p, ago(1), "不愿就业")

    # -- 收入低于监测线 (6,000 yuan in county A from 2025; 8,000 only from tomorrow; none in county B) ----
    home = w.home(a3, income_per_capita="5999.99")
    w.person("低收入户劳动力", home=home)
    w.expect(LOW_INCOME, home, "income:599999<6000")
    w.person("达到监测线", home=w.home(a3, income_per_capita="6000"))
    w.person("明日新线", home=w.home(a3, income_per_capita="7000"))
    w.person("收入未登记", home=w.home(a3))
    elderly = w.home(a3, worker=False, income_per_capita="3000")
    member(elderly, "无劳动力户", born_aged(75))
    w.person("凤凰县低收入", home=w.home(VILLAGE_B, income_per_capita="3000"))

    for pk, at in w.registered.items():
        type(p).objects.filter(pk=pk).update(created_at=at)
    return w


def snapshot():
    return sorted(Warning.objects.values_list(*[f.attname for f in Warning._meta.concrete_fields]))


def test_the_open_warnings_are_exactly_the_designed_ones(areas):
    world = build()
    result = scan(on=D)
    assert sorted(world.actual() - world.expected) == []
    assert sorted(world.expected - world.actual()) == []
    # What was open before and ended: cleared with the reason.
    world.stale.refresh_from_db()
    assert (world.stale.status, world.stale.end_reason) == (WarningStatus.CLEARED, "期间已再次就业")
    world.dead_warning.refresh_from_db()
    assert (world.dead_warning.status, world.dead_warning.end_reason) == (WarningStatus.CLEARED, "人员已故")
    world.visited.refresh_from_db()
    assert (world.visited.status, world.visited.end_reason) == (WarningStatus.CLEARED, "已回访")
    assert result.cleared == 3
    assert result.open == len(world.expected)

    # 跟踪逾期 is the due list's "overdue" (tracking/due.py), person for person.
    overdue = {key[1] for kind, key, _ in world.actual() if kind == OVERDUE}
    assert overdue == set(due.overdue(on=D).values_list("pk", flat=True))

    before = snapshot()
    again = scan(on=D)
    assert (again.raised, again.cleared, again.open) == (0, 0, len(world.expected))
    assert snapshot() == before


def test_an_area_scan_sees_only_its_area(areas):
    world = build()
    scan(within=areas["county_a"], on=D)
    assert world.actual() == {e for e in world.expected if e[1] not in world.county_b}
    assert all(w.area_id.startswith("433124") for w in Warning.objects.all())
