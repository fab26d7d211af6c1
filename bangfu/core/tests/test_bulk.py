"""Bulk writes and key lookups for imports (core.bulk), on the real database: values arrive exactly as
the ORM would store them, odd keys are found, and indexes dropped for a first load come back, also
when the load fails."""

import datetime as dt
from decimal import Decimal

import polars as pl
import pytest
from django.db import connection, transaction
from django.utils import timezone

from bangfu.core.bulk import indexes_built_after, insert_frame, secondary_indexes, select_by_keys
from bangfu.registry.models import Household, Person

VILLAGE = "433124102201"
ODD = ['H"1', "H\\2", "H,3", "H{4}", "H 5", "户6", "NULL", ""]


def stamps():
    now = timezone.now()
    return {"monitoring_type": "", "poverty_causes": "", "created_at": now, "updated_at": now}


def households(numbers):
    return pl.DataFrame(
        {
            "number": numbers,
            "area": [VILLAGE] * len(numbers),
            "household_type": ["脱贫户"] * len(numbers),
            "income_per_capita": [Decimal("1234.50")] + [None] * (len(numbers) - 1),
            "is_dibao": [True] + [None] * (len(numbers) - 1),
            "risk_identified_on": [dt.date(2024, 3, 1)] + [None] * (len(numbers) - 1),
        },
        schema_overrides={"income_per_capita": pl.Decimal(12, 2)},
    )


@pytest.mark.django_db
def test_insert_frame_stores_what_the_orm_would(areas):
    constants = stamps()
    now = constants["created_at"]
    assert insert_frame(Household, households(ODD), constants) == len(ODD)
    first = Household.objects.get(number=ODD[0])
    assert (first.income_per_capita, first.is_dibao, first.risk_identified_on) == (
        Decimal("1234.50"),
        True,
        dt.date(2024, 3, 1),
    )
    assert first.created_at == now and first.monitoring_type == "" and first.area_id == VILLAGE
    empty = Household.objects.get(number="")
    assert empty.income_per_capita is None and empty.is_dibao is None and empty.risk_identified_on is None
    assert Household.objects.get(number="NULL").number == "NULL"  # the text, not a null


@pytest.mark.django_db
def test_select_by_keys_finds_odd_and_integer_keys(areas):
    insert_frame(Household, households(ODD), stamps())
    found = dict(select_by_keys(Household, "number", [*ODD, "absent"], ["number", "id"]))
    assert sorted(found) == sorted(ODD)
    ids = list(found.values())
    assert sorted(n for (n,) in select_by_keys(Household, "id", ids[:3], ["number"])) == sorted(
        n for n, i in found.items() if i in ids[:3]
    )
    low, high = "433124000000", "433124999999"
    outside = "area_id < %s OR area_id > %s"
    assert select_by_keys(Household, "number", ODD, ["number"], where=outside, params=(low, high)) == []


@pytest.mark.django_db(transaction=True)
def test_indexes_come_back_after_a_first_load_and_after_a_failed_one(areas):
    before = secondary_indexes(Person)
    assert len(before) >= 5
    with transaction.atomic(), indexes_built_after(Person):
        assert secondary_indexes(Person) == []
    assert secondary_indexes(Person) == before
    with pytest.raises(RuntimeError), transaction.atomic(), indexes_built_after(Person):
        insert_frame(Household, households(["H1"]), stamps())
        raise RuntimeError("load failed")
    assert secondary_indexes(Person) == before and not Household.objects.exists()
    if connection.vendor == "postgresql":  # the household key is checked again, whole, at the end
        columns = {
            "id_number": "1",
            "id_reversed": "1",
            "name": "x",
            "name_initials": "x",
            "name_pinyin": "x",
            "sex": "男",
            "birth_date": "1980-01-01",
            "relation": "户主",
            "is_deceased": False,
            "area_id": VILLAGE,
            "household_id": 999999,  # no such household
        }
        for name in (
            "ethnicity",
            "education",
            "student_status",
            "health",
            "labor_skill",
            "phone",
            "phone_reversed",
        ):
            columns[name] = ""
        for name in ("employment_status", "job_wish", "desired_region", "training_wish", "skills"):
            columns[name] = ""
        columns["entrepreneurship_wish"] = ""
        sql = (
            f"INSERT INTO registry_person ({', '.join(columns)}, created_at, updated_at)"
            f" VALUES ({', '.join(['%s'] * len(columns))}, now(), now())"
        )
        with (
            pytest.raises(Exception, match="foreign key"),
            transaction.atomic(),
            indexes_built_after(Person),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, list(columns.values()))


def test_a_large_write_gets_a_roomy_page_cache_and_gives_it_back(db, settings):
    from django.db import connection

    from bangfu.core.bulk import roomy_cache

    def cache_size():
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            return cursor.fetchone()[0]

    if connection.vendor != "sqlite":
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries, roomy_cache():
            pass
        assert queries.captured_queries == []  # PostgreSQL: nothing to change, nothing sent
        return
    settings.BANGFU_SQLITE_BULK_CACHE_MB = 64
    usual = cache_size()
    with roomy_cache():
        assert cache_size() == -64 * 1024
    assert cache_size() == usual != -64 * 1024
