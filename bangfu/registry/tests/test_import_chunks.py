"""Registry import saved in chunks, each its own transaction: every row saved once whatever the chunk
size, households never split, a file that breaks half-way changes nothing, and a database failure keeps
the committed chunks and stops the run."""

import pytest
from django.db import IntegrityError

from bangfu.registry import actions
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Household, ImportStatus, Person
from bangfu.registry.tests.conftest import person, pid, write_csv

pytestmark = pytest.mark.django_db(transaction=True)  # real commits per chunk, as in production


def family_rows(households: int):
    rows = []
    for h in range(households):
        rows.append(person(f"H{h:04d}", "龙春生", pid("1975-03-04", 2 * h + 1), birth="1975-03-04"))
        rows.append(
            person(
                f"H{h:04d}",
                "石秀英",
                pid("1978-06-01", 2 * h + 2),
                relation="配偶",
                sex="女",
                birth="1978-06-01",
            )
        )
    return rows


@pytest.fixture
def small_chunks(settings):
    settings.BANGFU_IMPORT_CHUNK_ROWS = 7  # many chunks from a small file


def fail_third_chunk(monkeypatch) -> list[int]:
    """Make the third saved chunk fail as a dropped connection would; the sizes of chunks tried."""
    real_save, calls = actions.save_frame, []

    def failing(frame, **kwargs):
        calls.append(frame.height)
        if len(calls) == 3:
            raise IntegrityError("连接中断（测试注入）")
        return real_save(frame, **kwargs)

    monkeypatch.setattr(actions, "save_frame", failing)
    return calls


def run(path, area):
    return run_registry_import(create_import_batch(area=area, user=None, path=path))


def test_chunked_import_saves_every_row_once_and_reimports_unchanged(
    areas, small_chunks, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "名单.csv", [*family_rows(20), family_rows(1)[0]])  # last row: a duplicate
    real_save, chunks = actions.save_frame, []

    def save_frame(frame, **kwargs):
        chunks.append(frame["household_number"].to_list())
        return real_save(frame, **kwargs)

    monkeypatch.setattr(actions, "save_frame", save_frame)
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.DONE, batch.message
    assert (batch.created, batch.error_rows, batch.processed_rows) == (40, 1, 40)
    assert Person.objects.count() == 40 and Household.objects.count() == 20
    # A household goes to the chunk its first row falls in (7 rows a chunk): 8, 6, 8, 6, 8 and 4 rows.
    assert [len(numbers) for numbers in chunks] == [8, 6, 8, 6, 8, 4]
    households = [set(numbers) for numbers in chunks]
    assert sum(len(h) for h in households) == 20 == len(set().union(*households))  # no household split
    again = run(path, areas["county_a"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 40)
    assert Person.objects.count() == 40


def test_file_that_breaks_half_way_changes_nothing(areas, small_chunks, tmp_path):
    path = write_csv(tmp_path / "名单.csv", family_rows(20), encoding="utf-8")
    with open(path, "ab") as fh:
        fh.write(b"433124102201,,,H9999,\xff\xfe\xfa,1,2,3\n")  # not UTF-8, after 40 good rows
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.FAILED and "编码" in batch.message
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_database_failure_keeps_committed_chunks_and_rerun_completes(
    areas, small_chunks, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "名单.csv", family_rows(20))
    real_save, calls = actions.save_frame, fail_third_chunk(monkeypatch)
    with pytest.raises(IntegrityError):
        run(path, areas["county_a"])
    saved = Person.objects.count()
    assert saved == calls[0] + calls[1] and 0 < saved < 40
    monkeypatch.setattr(actions, "save_frame", real_save)
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.DONE and (batch.created, batch.unchanged) == (40 - saved, saved)


@pytest.fixture
def first_load(monkeypatch):
    monkeypatch.setattr(actions, "BULK_LOAD_ROWS", 10)  # a "large" first load, from a small file


def test_first_load_into_an_empty_registry_is_all_or_nothing_with_indexes_rebuilt(
    areas, small_chunks, first_load, tmp_path, monkeypatch
):
    from bangfu.core.bulk import secondary_indexes

    indexes = secondary_indexes(Person)
    path = write_csv(tmp_path / "名单.csv", family_rows(20))
    real_save, calls = actions.save_frame, fail_third_chunk(monkeypatch)
    with pytest.raises(IntegrityError):
        run(path, areas["county_a"])
    assert len(calls) == 3 and Person.objects.count() == 0 and Household.objects.count() == 0
    assert secondary_indexes(Person) == indexes
    monkeypatch.setattr(actions, "save_frame", real_save)
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.DONE and (batch.created, batch.households_created) == (40, 20)
    assert Person.objects.filter(household__number="H0007").count() == 2
    assert secondary_indexes(Person) == indexes
    # The registry is no longer empty: the next large file goes chunk by chunk again.
    again = run(write_csv(tmp_path / "二.csv", family_rows(25)), areas["county_a"])
    assert (again.created, again.unchanged) == (10, 40)
