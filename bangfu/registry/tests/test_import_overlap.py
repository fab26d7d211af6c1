"""Registry import with checking and saving overlapped (a saver thread on its own connection): the same
result as checking first, a file that breaks half-way changes nothing, and a database failure keeps the
committed chunks and stops the run."""

import threading

import pytest
from django.db import IntegrityError

from bangfu.registry import actions
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Household, ImportStatus, Person
from bangfu.registry.tests.conftest import person, pid, write_csv

pytestmark = pytest.mark.django_db(transaction=True)  # the saver thread needs committed rows to see


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
def small_chunks(monkeypatch):
    monkeypatch.setattr(actions, "SAVE_CHUNK", 7)  # many chunks for the saver, from a small file


def run(path, area):
    return run_registry_import(create_import_batch(area=area, user=None, path=path))


def test_overlapped_import_saves_every_row_once_and_reimports_unchanged(
    areas, small_chunks, tmp_path, monkeypatch
):
    path = write_csv(tmp_path / "名单.csv", [*family_rows(20), family_rows(1)[0]])  # last row: a duplicate
    real_save, threads = actions.save_records, set()

    def save_records(records, **kwargs):
        threads.add(threading.current_thread().name)
        return real_save(records, **kwargs)

    monkeypatch.setattr(actions, "save_records", save_records)
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.DONE, batch.message
    assert threads == {f"registry-import-{batch.pk}"}  # saved by the saver thread, beside the checks
    assert (batch.created, batch.error_rows, batch.processed_rows) == (40, 1, 40)
    assert Person.objects.count() == 40 and Household.objects.count() == 20
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
    real_save = actions.save_records
    calls = []

    def failing_third_chunk(records, **kwargs):
        calls.append(len(records))
        if len(calls) == 3:
            raise IntegrityError("连接中断（测试注入）")
        return real_save(records, **kwargs)

    monkeypatch.setattr(actions, "save_records", failing_third_chunk)
    with pytest.raises(IntegrityError):
        run(path, areas["county_a"])
    saved = Person.objects.count()
    assert saved == calls[0] + calls[1] and 0 < saved < 40
    monkeypatch.setattr(actions, "save_records", real_save)
    batch = run(path, areas["county_a"])
    assert batch.status == ImportStatus.DONE and (batch.created, batch.unchanged) == (40 - saved, saved)
