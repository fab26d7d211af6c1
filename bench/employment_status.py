"""Benchmark: 务工状态 derived from employment records (issue 16, "records are the truth").

On each database: empty database, migrate, Hunan's areas, then
1. `bangfu import registry` of a generated §1 file (bench/make_registry_file.py, seed 7): its 务工状态
   claims become 名册导入 records (employment/roster.py) — the registry import with the claims settled;
2. `employment.actions.refresh_status(within=province, on=<1 January next year>)` (what
   `bangfu employment refresh --area 43` runs), timed in the process without Django's start-up: the
   set-based refresh of the whole province on a day when every working person's 务工时间(月) changes (a
   write per such person, with its field history);
3. the same again: nothing to change, nothing written;
4. `refresh_status(person_ids=<everyone>, on=<2 January>)`, as an import calls it for the people it
   touched (one statement per 50,000 ids), nothing to change.
Peak memory: the largest RSS of the processes run so far (resource.getrusage of the children).

Run: .venv/bin/python bench/employment_status.py [--people 1000000] [--skip-postgres] [--file F]
"""

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANGFU = str(Path(sys.executable).with_name("bangfu"))

REFRESH = r"""
import datetime as dt, os, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from bangfu.areas.models import Area
from bangfu.employment.actions import refresh_status
from bangfu.registry.models import Person
province = Area.objects.get(code="430000000000")
day = dt.date(dt.date.today().year + 1, 1, 1)
for what in ("every working person changes", "nothing changed"):
    started = time.perf_counter()
    changed = refresh_status(None, None, source="每日更新", on=day, within=province)
    seconds = time.perf_counter() - started
    print(f"  refresh of the province ({what}): {seconds:.2f} s, {changed:,} people changed")
ids = list(Person.objects.values_list("id", flat=True))
started = time.perf_counter()
changed = refresh_status(None, ids, source="导入", on=day + dt.timedelta(days=1))
seconds = time.perf_counter() - started
print(f"  refresh of {len(ids):,} ids (nothing changed): {seconds:.2f} s, {changed:,} changed")
"""

COUNTS = r"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from bangfu.employment.models import EmploymentRecord, Mismatch
from bangfu.registry.models import Change, Person
print(*(m.objects.count() for m in (Person, EmploymentRecord, Mismatch, Change)))
"""


def timed(env, *args):
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    result = subprocess.run([BANGFU, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode not in (0, 3):
        print(result.stdout[-2000:], result.stderr[-4000:])
        raise SystemExit(f"{' '.join(args)} failed")
    message = (result.stdout.strip() or result.stderr.strip()).splitlines()
    return seconds, max(peak, before) / 1024, message[-1][:300] if message else ""


def counts(env) -> str:
    out = subprocess.run([sys.executable, "-c", COUNTS], env=env, capture_output=True, text=True, check=True)
    people, records, mismatches, changes = out.stdout.split()
    return (
        f"{int(people):,} people, {int(records):,} records, {int(mismatches):,} disagreements, "
        f"{int(changes):,} history rows"
    )


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure(label, database_url, data_file):
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BANGFU_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            recreate_postgres(database_url)
            env["DATABASE_URL"] = database_url
        for args in (("migrate", "-v0"), ("areas", "load", "--province", "43")):
            subprocess.run([BANGFU, *args], env=env, check=True, capture_output=True)
        print(f"\n{label}")
        seconds, peak, message = timed(env, "import", "registry", str(data_file), "--area", "43")
        print(f"  import registry (claims settled): {seconds:.1f} s, peak {peak:,.0f} MB — {message}")
        print(f"  {counts(env)}")
        refresh = subprocess.run([sys.executable, "-c", REFRESH], env=env, capture_output=True, text=True)
        print(refresh.stdout.rstrip() or refresh.stderr[-3000:])
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"  peak so far {peak:,.0f} MB; {counts(env)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/bangfu_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--file", help="reuse an existing generated file")
    args = parser.parse_args()
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as work:
        data_file = Path(args.file) if args.file else Path(work) / f"registry-{args.people}.csv"
        if not args.file:
            subprocess.run(
                [sys.executable, str(HERE / "make_registry_file.py"), "--people", str(args.people),
                 "--out", str(data_file), "--seed", "7"],
                check=True,
            )  # fmt: skip
        if not args.skip_sqlite:
            measure("SQLite (WAL)", None, data_file)
        if not args.skip_postgres:
            measure("PostgreSQL", args.postgres, data_file)


if __name__ == "__main__":
    main()
