"""Benchmark: a ledger export of about a million rows in the background (issue 17: ≤ 60 s from the request
to the file ready).

On each database: empty database, migrate, Hunan's areas, the registry world of bench/employment_status.py
(`bangfu import registry` of a generated §1 file, bench/make_registry_file.py, seed 7; its 务工状态 claims
become employment records), then, as a province user who may see whole ID numbers, in one process:
`exports.actions.ask` of the 贫困劳动力台账 with no filter (the request's part: the FilterSet, the count,
the job) and `run_export_task.call` (the worker's own code: rows streamed from the database, the file
written, the job marked done and audited) — once as .csv and once as .xlsx. A running `bangfu db_worker`
adds its polling interval (1 s) before it takes the job. Peak memory: the export process's largest RSS.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/ledger_export.py [--people 1700000]
     [--skip-postgres] [--skip-sqlite] [--postgres URL] [--file F]
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from employment_status import BANGFU, recreate_postgres, timed  # noqa: E402 (the same world, imported)

EXPORT = r"""
import os, resource, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from pathlib import Path
from bangfu.accounts.actions import create_staff_user
from bangfu.areas.models import Area
from bangfu.exports import actions
from bangfu.exports.models import Export
from bangfu.exports.tasks import run_export_task

user = create_staff_user(None, username="bench_province", password="Bench-pass-2026x",
                         area=Area.objects.get(code="430000000000"), can_view_sensitive=True,
                         must_change_password=False)
for fmt in ("csv", "xlsx"):
    started = time.perf_counter()
    job = actions.ask(user, "ledger.laborers", {}, fmt, folder=Path("/tmp")).job
    asked = time.perf_counter() - started
    run_export_task.call(job.pk)
    seconds = time.perf_counter() - started
    job = Export.objects.get(pk=job.pk)
    size = Path(job.file.path).stat().st_size / 2**20
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {fmt}: {job.done:,} rows, {size:,.0f} MB, request {asked:.1f} s, request to file ready "
          f"{seconds:.1f} s ({job.status}), peak RSS {peak:,.0f} MB")
"""


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
        seconds, _peak, message = timed(env, "import", "registry", str(data_file), "--area", "43")
        print(f"  import registry (the world): {seconds:.1f} s — {message}")
        run = subprocess.run([sys.executable, "-c", EXPORT], env=env, capture_output=True, text=True)
        print(run.stdout.rstrip() or run.stderr[-3000:])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_700_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_ledgers")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--file", help="reuse an existing generated file")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    machine = f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    print(f"{machine} · load {load:.1f}")
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
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
