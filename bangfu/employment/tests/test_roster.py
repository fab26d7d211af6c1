"""A registry import's 务工状态 settled against the employment records (employment/roster.py): work the
records don't explain becomes a 名册导入 record, 未务工 against a record in force becomes an entry of
名册与就业记录不一致, and the same file imported again creates nothing."""

import datetime as dt

from bangfu.employment.models import EmploymentRecord, Mismatch, Source
from bangfu.employment.status import Spell, derive
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Change, Person
from bangfu.registry.tests.conftest import person, pid, write_csv

ON = dt.date(2026, 6, 15)


def run(path, area, user=None, on=ON):
    return run_registry_import(create_import_batch(area=area, user=user, path=path), today=on)


def rows():
    return [
        person("H1", "龙春生", pid("1975-03-04", 11), 务工状态="省外务工", **{"务工时间\n(月)": "4"}),
        person(
            "H1", "石秀英", pid("1977-08-09", 22), "配偶", "女", 务工状态="县内务工", **{"务工时间\n(月)": ""}
        ),
        person("H2", "麻老三", pid("1962-05-06", 31), 务工状态="省内县外务工", **{"务工时间\n(月)": "12"}),
        person(
            "H2", "麻小妹", pid("1990-05-06", 42), "之女", "女", 务工状态="未务工", **{"务工时间\n(月)": "5"}
        ),
        person("H3", "向前进", pid("1968-12-13", 13), 务工状态="", **{"务工时间\n(月)": ""}),
    ]


def stored():
    return {p.name: (p.employment_status, p.work_months) for p in Person.objects.all()}


def assert_status_is_derived(on=ON, *names):
    for p in Person.objects.filter(name__in=names) if names else Person.objects.all():
        spells = [Spell.of(r) for r in EmploymentRecord.objects.filter(person=p)]
        assert (p.employment_status, p.work_months) == derive(spells, on), p.name


def test_first_import_records_the_work_it_claims(areas, users, tmp_path):
    batch = run(write_csv(tmp_path / "a.csv", rows()), areas["county_a"], users["county_a"])
    assert batch.created == 5 and batch.error_rows == 0
    records = {r.person.name: r for r in EmploymentRecord.objects.select_related("person")}
    assert set(records) == {"龙春生", "石秀英", "麻老三"}
    assert all(
        r.source == Source.ROSTER and r.employer_id is None and r.ended_on is None for r in records.values()
    )
    assert records["龙春生"].source_ref == f"registry-import:{batch.pk}"
    # Started m − 1 months before the import's month (4 → March); no months count as 1.
    assert (records["龙春生"].place, records["龙春生"].started_on) == ("省外", dt.date(2026, 3, 1))
    assert (records["石秀英"].place, records["石秀英"].started_on) == ("县内", dt.date(2026, 6, 1))
    assert (records["麻老三"].place, records["麻老三"].started_on) == ("省内县外", dt.date(2025, 7, 1))
    assert stored() == {
        "龙春生": ("省外务工", 4),
        "石秀英": ("县内务工", 1),
        "麻老三": ("省内县外务工", 6),  # the months of this year: January to June
        "麻小妹": ("未务工", 0),
        "向前进": ("未务工", 0),
    }
    assert_status_is_derived()
    assert not Mismatch.objects.exists()


def test_importing_the_same_file_again_creates_nothing(areas, users, tmp_path):
    path = write_csv(tmp_path / "a.csv", rows())
    run(path, areas["county_a"], users["county_a"])
    counts = (EmploymentRecord.objects.count(), Change.objects.count(), Mismatch.objects.count())
    again = run(path, areas["county_a"], users["county_a"], on=ON + dt.timedelta(days=3))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert (EmploymentRecord.objects.count(), Change.objects.count(), Mismatch.objects.count()) == counts


def test_a_claim_the_records_do_not_explain(areas, users, tmp_path):
    run(write_csv(tmp_path / "a.csv", rows()), areas["county_a"], users["county_a"])
    moved = rows()
    moved[0]["务工状态"] = "县内务工"  # 龙春生 now works in the county
    moved[1]["务工状态"] = "未务工"  # 石秀英 said to be without work while her record is in force
    moved[3]["务工状态"] = "省外务工"  # 麻小妹 went out
    moved[3]["务工时间\n(月)"] = ""
    later = ON + dt.timedelta(days=30)
    batch = run(write_csv(tmp_path / "b.csv", moved), areas["county_a"], users["county_a"], on=later)
    assert batch.updated == 0
    long_records = EmploymentRecord.objects.filter(person__name="龙春生").order_by("started_on")
    # 4 months up to July: from April; the record in force started before, so the new one is the latest
    # started and the status is the claim (both stay in force: staff end the old one if it is over).
    assert [(r.place, r.started_on) for r in long_records] == [
        ("省外", dt.date(2026, 3, 1)),
        ("县内", dt.date(2026, 4, 1)),
    ]
    assert stored()["龙春生"] == ("县内务工", 5) and stored()["麻小妹"] == ("省外务工", 1)
    assert stored()["石秀英"] == ("县内务工", 2)  # the record stays the truth
    entry = Mismatch.objects.get()
    assert (entry.person.name, entry.record.place, entry.batch, entry.status) == (
        "石秀英",
        "县内",
        batch,
        "open",
    )
    assert entry.area_id == entry.person.area_id and entry.found_on == later
    history = Change.objects.filter(person__name="龙春生", field="务工状态", batch=batch)
    assert [(c.before, c.after, c.source) for c in history] == [("省外务工", "县内务工", "导入")]
    assert_status_is_derived(later, "龙春生", "石秀英", "麻小妹")  # the others: the nightly refresh
    # Again: the disagreement is listed once, the new records are not made twice.
    counts = (EmploymentRecord.objects.count(), Mismatch.objects.count())
    run(write_csv(tmp_path / "c.csv", moved), areas["county_a"], users["county_a"], on=later)
    assert (EmploymentRecord.objects.count(), Mismatch.objects.count()) == counts


def test_first_load_in_one_transaction_records_the_claims(areas, users, tmp_path, monkeypatch):
    from bangfu.registry import actions

    monkeypatch.setattr(actions, "BULK_LOAD_ROWS", 3)  # the first-load path (indexes built after)
    run(write_csv(tmp_path / "a.csv", rows()), areas["county_a"], users["county_a"])
    assert EmploymentRecord.objects.filter(source=Source.ROSTER).count() == 3
    assert_status_is_derived()
