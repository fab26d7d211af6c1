"""The registry as a run reads it (run._extract_registry): every value of every person of the area, as
the database holds it — NULL and empty text kept apart, dates, booleans, numbers — through COPY on
PostgreSQL and one JSON array per person on SQLite."""

import datetime as dt

import duckdb
import pytest

from bangfu.compare import run, sources
from bangfu.compare.judging import REGISTRY_COLUMNS
from bangfu.registry.models import Household, Person

pytestmark = pytest.mark.django_db


def test_every_value_of_every_person_of_the_area(users, people, tmp_path):
    Person.objects.filter(pk=people["long"].pk).update(
        is_deceased=True, died_on=dt.date(2025, 3, 1), pension_insurance="城乡居民养老保险", pension_status=""
    )
    Person.objects.filter(pk=people["shi"].pk).update(
        health="残疾", disability_category="肢体", disability_grade="三级", medical_insured_year=2025,
        medical_status="参保", name='石"秀,英\\n',  # quotes, a comma, a backslash: text as it is
    )  # fmt: skip
    Household.objects.filter(pk=people["wu"].household_id).update(is_dibao=True, is_tekun=False)
    area = users["county_a"].area
    con = duckdb.connect()
    run._extract_registry(con, area, sources.CIVIL, tmp_path)

    lookups = [lookup for _, _, lookup in REGISTRY_COLUMNS]
    expected = sorted(Person.objects.for_area(area).values_list(*lookups))
    got = con.execute(f"SELECT * FROM registry_full ORDER BY {REGISTRY_COLUMNS[0][0]}").fetchall()
    assert got == expected
    assert len(got) == 4  # county A's four, not county B's
    by_id = {row[0]: dict(zip([c[0] for c in REGISTRY_COLUMNS], row, strict=True)) for row in got}
    long, shi, wu = by_id[people["long"].pk], by_id[people["shi"].pk], by_id[people["wu"].pk]
    assert (long["is_deceased"], long["died_on"], long["pension_status"]) == (True, dt.date(2025, 3, 1), "")
    assert long["medical_insured_year"] is None and shi["medical_insured_year"] == 2025
    assert shi["name"] == '石"秀,英\\n' and (wu["is_dibao"], wu["is_tekun"]) == (True, False)
    assert con.execute("SELECT count(*) FROM registry").fetchall() == [(4,)]


def test_household_values_only_for_the_files_that_read_them(users, people, tmp_path):
    con = duckdb.connect()
    run._extract_registry(con, users["county_a"].area, sources.SOCIAL, tmp_path)
    assert con.execute("SELECT count(*), count(is_dibao) FROM registry_full").fetchall() == [(4, 0)]
