"""务工状态 and 务工时间(月) derived from records (EXCHANGE §5): the plain-Python rule on hand-picked cases,
and the set-based SQL giving exactly the same values for every person of a generated world."""

import datetime as dt
import random

import polars as pl
import pytest

from bangfu.employment.models import EmploymentRecord
from bangfu.employment.status import (
    Spell,
    derive,
    derived_frame,
    derived_rows,
    months_on,
    place_between,
    status_on,
)
from bangfu.referrals.tests.factories import VILLAGE_A, make_person

D = dt.date


def test_status_is_the_place_of_the_latest_started_record_in_force():
    on = D(2026, 6, 15)
    assert status_on([], on) == "未务工"
    assert status_on([Spell(D(2026, 1, 1), D(2026, 6, 14), "省外")], on) == "未务工"
    assert status_on([Spell(D(2026, 1, 1), D(2026, 6, 15), "省外")], on) == "省外务工"  # last day counts
    assert status_on([Spell(D(2026, 6, 16), None, "省外")], on) == "未务工"  # not started yet
    both = [Spell(D(2025, 1, 1), None, "省外", 1), Spell(D(2026, 3, 1), None, "县内", 2)]
    assert status_on(both, on) == "县内务工"
    same_day = [Spell(D(2026, 3, 1), None, "省外", 5), Spell(D(2026, 3, 1), None, "县内", 2)]
    assert status_on(same_day, on) == "省外务工"  # entered later
    unknown = [Spell(D(2025, 1, 1), None, "省内县外", 1), Spell(D(2026, 3, 1), None, "", 2)]
    assert status_on(unknown, on) == "省内县外务工"  # a known place wins over a later unknown one
    assert status_on([Spell(D(2026, 3, 1), None, "", 2)], on) == ""  # in work, place unknown


def test_months_count_calendar_months_of_the_year_up_to_the_date():
    on = D(2026, 6, 15)
    assert months_on([], on) == 0
    assert months_on([Spell(D(2024, 5, 1), None, "省外")], on) == 6
    assert months_on([Spell(D(2025, 5, 1), D(2025, 12, 31), "省外")], on) == 0
    assert months_on([Spell(D(2025, 5, 1), D(2026, 1, 1), "省外")], on) == 1  # one day is enough
    assert months_on([Spell(D(2026, 6, 16), None, "省外")], on) == 0
    assert months_on([Spell(D(2026, 2, 28), D(2026, 3, 1), "县内"), Spell(D(2026, 3, 5), None, "")], on) == 5
    assert months_on([Spell(D(2026, 1, 31), D(2026, 2, 1), "县内"), Spell(D(2026, 5, 31), None, "")], on) == 4


def test_place_between_home_and_work():
    assert place_between("433124102201", "433124000000") == "县内"
    assert place_between("433124102201", "430182000000") == "省内县外"
    assert place_between("433124102201", "440000000000") == "省外"
    assert place_between("433124102201", "") == ""


@pytest.mark.parametrize("on", [D(2026, 1, 1), D(2026, 6, 15), D(2026, 12, 31)])
def test_sql_derives_what_python_derives(db, areas, on):
    rng = random.Random(16)
    people = [make_person(f"人{i}", VILLAGE_A) for i in range(40)]
    spells = {}
    for person in people:
        records = []
        for _ in range(rng.randrange(0, 4)):
            start = D(2025, 1, 1) + dt.timedelta(days=rng.randrange(0, 730))
            end = None if rng.random() < 0.4 else start + dt.timedelta(days=rng.randrange(0, 200))
            record = EmploymentRecord.objects.create(
                person=person, area_id=person.area_id, employer_name="单位", started_on=start, ended_on=end,
                place=rng.choice(["县内", "省内县外", "省外", ""]),
            )  # fmt: skip
            records.append(Spell.of(record))
        spells[person.pk] = records
    rows = derived_rows(on, person_ids=list(spells))
    assert {pid: (status, months) for pid, status, months in rows} == {
        pid: derive(records, on) for pid, records in spells.items()
    }
    assert sorted(derived_rows(on, within=areas["county_a"])) == sorted(rows)
    # The import's in-memory derivation, from the same records as a frame.
    records = pl.DataFrame(
        [
            (r.person_id, r.pk, r.started_on, r.ended_on, r.place)
            for r in EmploymentRecord.objects.filter(person__in=people)
        ],
        schema={
            "person_id": pl.Int64,
            "id": pl.Int64,
            "started_on": pl.Date,
            "ended_on": pl.Date,
            "place": pl.String,
        },
        orient="row",
    )
    with_records = {pid for pid, spell_list in spells.items() if spell_list}
    framed = {pid: (status, months) for pid, status, months in derived_frame(records, on).iter_rows()}
    assert framed == {pid: derive(spells[pid], on) for pid in with_records}


def test_the_nightly_refresh_command(areas, capsys):
    from django.core.management import call_command

    from bangfu.registry.models import Change

    person = make_person("龙春生", VILLAGE_A)
    EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="单位", started_on=D(2026, 1, 10),
        ended_on=D(2026, 3, 31), place="省外",
    )  # fmt: skip
    call_command("employment", "refresh", "--area", "433124", "--date", "2026-03-31")
    person.refresh_from_db()
    assert (person.employment_status, person.work_months) == ("省外务工", 3)
    call_command("employment", "refresh", "--area", "433124", "--date", "2026-04-01")
    person.refresh_from_db()
    assert (person.employment_status, person.work_months) == ("未务工", 3)
    assert "1 人" in capsys.readouterr().out
    changes = Change.objects.filter(person=person, source="每日更新").count()
    call_command("employment", "refresh", "--area", "433124", "--date", "2026-04-01")  # nothing changed
    assert Change.objects.filter(person=person).count() == changes
    with pytest.raises(Exception, match="不存在"):
        call_command("employment", "refresh", "--area", "999999")


@pytest.mark.parametrize("few", [100, 0])  # written by primary key, or through the temporary table
def test_refresh_writes_only_what_differs_with_history(db, areas, monkeypatch, few):
    from bangfu.employment import actions
    from bangfu.registry.models import Change

    monkeypatch.setattr(actions, "FEW", few)
    working, idle, right = (make_person(name, VILLAGE_A) for name in ("甲", "乙", "丙"))
    EmploymentRecord.objects.create(
        person=working, area_id=VILLAGE_A, employer_name="单位", started_on=D(2026, 2, 3), place="省内县外"
    )
    type(right).objects.filter(pk=right.pk).update(work_months=0)  # already as derived: 未务工, 0
    changed = actions.refresh_status(None, [working.pk, idle.pk, right.pk], source="测试", on=D(2026, 4, 1))
    assert changed == 2
    history = {(c.person_id, c.field, c.before, c.after, c.source) for c in Change.objects.all()}
    assert history == {
        (working.pk, "务工状态", "未务工", "省内县外务工", "测试"),
        (working.pk, "务工时间(月)", "", "3", "测试"),
        (idle.pk, "务工时间(月)", "", "0", "测试"),
    }
    assert actions.refresh_status(None, [working.pk, idle.pk, right.pk], source="测试", on=D(2026, 4, 1)) == 0
    assert Change.objects.count() == 3
