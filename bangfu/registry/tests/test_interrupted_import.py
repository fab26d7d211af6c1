"""An import whose process is killed (kill -9 of the real `bangfu import registry` command, or of the real
task worker) half-way through its chunks is found 中断 with what it saved, and submitted again it saves
the rest: the registry ends exactly as one uninterrupted import leaves it, nobody twice."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from bangfu.core.background import runner_alive, runner_id
from bangfu.registry import actions
from bangfu.registry.models import Household, ImportBatch, ImportStatus, Person
from bangfu.registry.tasks import run_import_task
from bangfu.registry.tests.conftest import person, pid, write_csv

pytestmark = pytest.mark.django_db(transaction=True)  # another process reads and writes the same database

HOUSEHOLDS = 6000  # three people each: 18,000 rows, saved 300 rows a transaction
CHUNK = "300"


def family_rows(households: int) -> list[dict]:
    rows = []
    for h in range(households):
        born = dt.date(1960, 1, 1) + dt.timedelta(days=h // 300)
        seq = (h % 300) * 3
        head = born.isoformat()
        rows += [
            person(f"K{h:05d}", "张大山", pid(head, seq + 1), sex=""),
            person(f"K{h:05d}", "李小花", pid(head, seq), relation="配偶", sex=""),
            person(f"K{h:05d}", "张小树", pid(head, seq + 2), relation="之女", sex=""),
        ]
    return rows


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def bangfu(*args) -> subprocess.Popen:
    """The real command in a process of its own, on this test's database and files."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bangfu.settings",
        "DATABASE_URL": database_url(),
        "BANGFU_DATA_DIR": str(settings.DATA_DIR),
        "BANGFU_IMPORT_CHUNK_ROWS": CHUNK,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bangfu", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def kill_when_saving(process: subprocess.Popen, batches, at_least: int) -> ImportBatch:
    """SIGKILL the process once its batch has committed `at_least` rows (and is not done)."""
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        batch = batches().first()
        if batch is not None and batch.resume_after_row and batch.processed_rows >= at_least:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(30)
            return ImportBatch.objects.get(pk=batch.pk)
        assert process.poll() is None, process.stderr.read().decode()
        time.sleep(0.01)
    process.kill()
    raise AssertionError("the import never got to saving")


def registered_one(area, tmp_path) -> Person:
    """The registry already has people, so the import saves in chunks (not a first load)."""
    path = write_csv(tmp_path / "一人.csv", [person("OLD1", "王老五", pid("1950-05-05", 11))])
    actions.run_registry_import(actions.create_import_batch(area=area, user=None, path=path))
    return Person.objects.get()


def assert_interrupted_then_resumed(batch: ImportBatch, total: int, resume) -> None:
    saved = Person.objects.count() - 1
    assert batch.status == ImportStatus.RUNNING  # as the killed process left it
    assert not runner_alive(batch.runner)
    assert actions.reap_imports(ImportBatch.objects.all()) == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.STOPPED and batch.finished and batch.resumable
    assert 0 < saved < total and saved == batch.processed_rows == batch.saved_rows
    assert f"已保存 {saved} 行" in batch.message and "继续导入" in batch.message
    assert batch.created == saved  # counted with the rows, in their own transactions

    batch = resume(batch)

    assert batch.status == ImportStatus.DONE, batch.message
    assert Person.objects.count() == total + 1
    assert Person.objects.values("id_number").distinct().count() == total + 1
    assert Household.objects.count() == total // 3 + 1
    assert (batch.created, batch.updated, batch.unchanged) == (total, 0, 0)
    assert batch.households_created == total // 3 and batch.processed_rows == total


def test_a_killed_import_command_is_marked_interrupted_and_finishes_when_resubmitted(areas, tmp_path):
    registered_one(areas["county_a"], tmp_path)
    rows = family_rows(HOUSEHOLDS)
    path = write_csv(tmp_path / "名单.csv", rows)
    process = bangfu("import", "registry", str(path), "--area", "433124")
    batch = kill_when_saving(process, lambda: ImportBatch.objects.filter(original_name="名单.csv"), 1200)

    def resume(batch):
        batch = actions.resume_import(None, batch)
        assert batch.status == ImportStatus.PENDING and "保持不变" in batch.message
        return actions.run_registry_import(batch)

    assert_interrupted_then_resumed(batch, len(rows), resume)


def test_a_killed_worker_leaves_its_batch_interrupted_and_a_new_worker_finishes_it(areas, users, tmp_path):
    registered_one(areas["county_a"], tmp_path)
    rows = family_rows(HOUSEHOLDS)
    path = write_csv(tmp_path / "名单.csv", rows)
    queued = actions.create_import_batch(area=areas["county_a"], user=users["county_a"], path=path)
    run_import_task.enqueue(queued.pk)
    worker = bangfu("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
    batch = kill_when_saving(worker, lambda: ImportBatch.objects.filter(pk=queued.pk), 1200)

    def resume(batch):
        # The user submits it again on its page; a new worker takes it and saves the rest.
        actions.resume_import(users["county_a"], batch)
        run_import_task.enqueue(batch.pk)
        again = bangfu("db_worker", "--batch", "--no-reload", "--no-startup-delay")
        assert again.wait(300) == 0, again.stderr.read().decode()
        return ImportBatch.objects.get(pk=batch.pk)

    assert_interrupted_then_resumed(batch, len(rows), resume)


def test_the_page_shows_an_interrupted_import_and_resubmits_it(areas, users, client_for, tmp_path):
    path = write_csv(tmp_path / "名单.csv", family_rows(2))
    batch = actions.create_import_batch(area=areas["county_a"], user=users["county_a"], path=path)
    # Left 处理中 by a process that has since gone: a process id that no longer runs.
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    host, boot, _pid, _start = runner_id().rsplit(":", 3)
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING, runner=f"{host}:{boot}:{gone.pid}:1"
    )
    client = client_for(users["county_a"])
    page = client.get(f"/registry/imports/{batch.pk}/").content.decode()
    assert "中断" in page and "未保存任何数据" in page and 'id="import-resume"' in page
    assert "every 2s" not in page  # no longer polled
    client.post(f"/registry/imports/{batch.pk}/resume/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created == 6


def test_a_batch_in_a_live_process_is_left_running(areas, users, tmp_path):
    path = write_csv(tmp_path / "名单.csv", family_rows(1))
    batch = actions.create_import_batch(area=areas["county_a"], user=users["county_a"], path=path)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=runner_id())
    assert actions.reap_imports(ImportBatch.objects.all()) == 0
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING
