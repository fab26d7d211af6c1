"""Every §8 figure of a designed world, counted by hand (stats/tests/world.py), at a past day and today;
a past day answers as it was then after later edits — from the field history, and from the kept figures
for what history cannot give back; the 三线 table and the 零就业家庭 warnings agree with the figures."""

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.conftest import area
from bangfu.registry.actions import update_person_fields
from bangfu.registry.models import Person
from bangfu.stats import figures, store
from bangfu.stats.tests.world import ON, T1, T2, V1, build, expectations, record

CHILD_OF_COUNTY = {T1: "433124102000", T2: "433124105000"}


def _check(county_a, county_b, on, expected):
    rows, total = figures.table(county_a, on)
    by_code = {r.area.code: r.values for r in rows}
    for township, code in CHILD_OF_COUNTY.items():
        assert by_code[code] == expected[township], township
    assert all(not any(v.values()) for code, v in by_code.items() if code not in CHILD_OF_COUNTY.values())
    assert total.values == {k: expected[T1][k] + expected[T2][k] for k in figures.KEYS}
    assert figures.values([county_b], on)[county_b.code] == expected["433123"]


@pytest.mark.django_db
def test_every_figure_on_a_past_day(areas):
    build(ON)
    _check(areas["county_a"], areas["county_b"], ON, expectations(ON))


@pytest.mark.django_db
def test_every_figure_today(areas):
    today = timezone.localdate()
    build(today)
    _check(areas["county_a"], areas["county_b"], today, expectations(today))


@pytest.mark.django_db
def test_areas_by_code_and_every_level(areas):
    build(ON)
    expected = expectations(ON)
    found = figures.values(["433124102201", "433124102000", "433124", areas["province"]], ON)
    assert found["433124102201"] == found["433124102000"] == expected[T1]
    assert found["433124000000"]["people"] == 12
    assert found["430000000000"]["people"] == 13 and found["430000000000"]["working_province"] == 2
    rows, total = figures.table(area(V1), ON)
    assert rows == [] and total.values == expected[T1]


@pytest.mark.django_db
def test_a_past_day_after_later_edits_of_the_registry(areas, users):
    """Labor ability, 就业意愿 and death changed afterwards: the field history gives the day back."""
    people = build(ON)
    actor = users["county_a"]
    update_person_fields(actor, people["p4"], {"labor_skill": "丧失劳动力"}, source="手工")
    update_person_fields(actor, people["p3"], {"wants_work": False}, source="手工")
    update_person_fields(actor, people["p8"], {"wants_work": True}, source="手工")
    update_person_fields(
        actor, people["p7"], {"is_deceased": True, "died_on": timezone.localdate()}, source="手工"
    )
    _check(areas["county_a"], areas["county_b"], ON, expectations(ON))
    # The edits are real: today 明日入职 cannot work, 想干活 and 后故者 are dead, 未问意愿 wants work.
    today = figures.values([areas["county_a"]], timezone.localdate())[areas["county_a"].code]
    assert today["laborers"] == 10 - 3 and today["willing_not_working"] == 1


@pytest.mark.django_db
def test_a_captured_day_keeps_what_history_cannot_give_back(areas, users):
    """A record back-dated afterwards and a person deleted afterwards: the kept day is unchanged."""
    people = build(ON)
    store.capture(ON)
    record(people["p7"], ON - dt.timedelta(days=3))  # entered later, started before the day
    Person.objects.filter(pk=people["n1"].pk).delete()
    _check(areas["county_a"], areas["county_b"], ON, expectations(ON))
    recomputed = figures.roll_up(figures.compute(ON), [areas["county_a"]])[areas["county_a"].code]
    assert recomputed["working"] == 5 and recomputed["people"] == 11  # what the kept day protects from


@pytest.mark.django_db
def test_the_kept_day_equals_the_computed_one(areas):
    build(ON)
    province, county = areas["province"], areas["county_a"]
    wanted = [province, county, *figures.children_of(county), area(V1)]
    computed = figures.roll_up(figures.compute(ON), wanted)
    store.capture(ON)
    assert store.kept(ON, province, wanted) == computed
    assert store.kept(ON - dt.timedelta(days=1), province, wanted) is None
    assert store.kept(timezone.localdate() + dt.timedelta(days=1), province, wanted) is None


@pytest.mark.django_db
def test_the_three_lines_table_reads_the_same_figures(areas):
    from bangfu.tracking import figures as lines

    build(ON)
    rows, _ = lines.table(areas["county_a"], ON, ON.replace(day=1))
    stats_rows, _ = figures.table(areas["county_a"], ON)
    for row, stats_row in zip(rows, stats_rows, strict=True):
        assert row["laborers"] == stats_row["laborers"]
        assert row["not_working"] == stats_row["not_working"]
        assert row["zero_households"] == stats_row["zero_employment_households"]
        assert row["county"] + row["province"] + row["outside"] + row["unknown_place"] == stats_row["working"]
        for key, stats_key in lines.STOCKS.items():
            assert lines.subjects(key, row.area, ON, ON).count() == stats_row[stats_key], key


@pytest.mark.django_db
def test_zero_employment_households_are_the_warnings(areas):
    from bangfu.tracking.models import OPEN_STATUSES, Warning, WarningKind
    from bangfu.tracking.warnings import scan

    today = timezone.localdate()
    build(today)
    scan(within=areas["county_a"], on=today, notify=False)
    warned = set(
        Warning.objects.filter(kind=WarningKind.ZERO_EMPLOYMENT, status__in=OPEN_STATUSES)
        .for_area(areas["county_a"])
        .values_list("household_id", flat=True)
    )
    ours = set(figures.zero_employment_households(areas["county_a"], today).values_list("pk", flat=True))
    assert ours == warned and len(ours) == 4


def test_figures_by_key_and_name():
    assert figures.figure("working_outside") is figures.figure("省外务工人数")
    assert [f.unit for f in figures.FIGURES].count("户") == 1
    with pytest.raises(KeyError):
        figures.figure("没有的指标")


def test_month_ends():
    assert figures.month_ends(2026, dt.date(2026, 3, 10)) == [
        dt.date(2026, 1, 31),
        dt.date(2026, 2, 28),
        dt.date(2026, 3, 10),
    ]
    assert figures.month_ends(2026, dt.date(2026, 2, 28)) == [dt.date(2026, 1, 31), dt.date(2026, 2, 28)]
    assert len(figures.month_ends(2025, dt.date(2026, 2, 1))) == 12
