"""Benchmark: `bangfu import employment` of 1,000,000 rows into a registry of about 1,000,000 people
(issue 16: goal ≤ 60 s, the command as a user runs it, process start to exit), on SQLite and PostgreSQL.

On each database: empty database, migrate, the areas of Hunan and Guangdong, `bangfu import registry` of a
generated §1 file (bench/make_registry_file.py, seed 7: its 务工状态 claims become 名册导入 records), an
employer ledger (2,000 employers, one in ten a 扶贫车间) and a labor cooperation 湘西州 → 广东省; then,
each `bangfu import employment FILE --area 43` timed in a child process with its peak RSS:
1. the generated employment file (one spell per person, up to --rows rows; a second spell for people
   beyond the registry's size): every row new;
2. the same file again: nothing written (created 0, updated 0);
3. a file of row errors and updates: the same rows with one in a hundred broken (an ID with a wrong
   check digit, a wrong name, a date in the future, a credit code with a wrong check character) and one
   in ten given a 离职日期: exit 3, with its report.

Run: .venv/bin/python bench/employment_import.py [--rows 1000000] [--people N] [--skip-postgres]
     [--skip-sqlite] [--keep DIR]   (--people defaults to --rows)
"""

import argparse
import datetime as dt
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANGFU = str(Path(sys.executable).with_name("bangfu"))
SEED = 7

LEDGER = r"""
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from bangfu.areas.models import Area
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Cooperation, Employer
count = int(sys.argv[1])
areas = dict(Area.objects.filter(code__in=["433100000000", "440000000000", "433124000000", "440106000000"])
             .values_list("code", "code"))
rows = []
for i in range(count):
    home = "433124" if i % 2 else "440106"
    rows.append(Employer(credit_code=make_credit_code(home, 10_000 + i), name=f"压测单位{i:05d}",
                         kind="扶贫车间" if i % 10 == 0 else "企业", area_id=home.ljust(12, "0")))
Employer.objects.bulk_create(rows, batch_size=1000)
Cooperation.objects.get_or_create(sending_area_id="433100000000", receiving_area_id="440000000000")
print(Employer.objects.count())
"""

COUNTS = r"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from django.db.models import Count
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Person
by_source = dict(EmploymentRecord.objects.values_list("source").annotate(n=Count("id")))
print(Person.objects.count(), EmploymentRecord.objects.count(), by_source)
"""


def employment_files(registry_file: Path, rows: int, clean: Path, broken: Path) -> None:
    """The employment file and its row-error twin, from the generated registry's people."""
    import polars as pl

    from bangfu.employers.creditcode import make_credit_code

    people = pl.read_csv(registry_file, infer_schema=False, columns=["证件号码", "姓名", "行政区划代码"])
    rng = random.Random(SEED)
    today = dt.date.today()
    first = dt.date(today.year - 2, 1, 1)
    span = (today - first).days - 30
    counties = sorted({code[:6] for code in people["行政区划代码"].unique().to_list()})
    outside = ["440106", "440105", "440305", "441900", "440111"]
    ledger = [
        (f"压测单位{i:05d}", make_credit_code("433124" if i % 2 else "440106", 10_000 + i))
        for i in range(2000)
    ]
    reasons = ["合同到期", "解除劳动关系", "返乡", "转岗", "其他"]
    channels = ["", "", "", "自主外出", "灵活就业", "推荐就业"]
    header = ["证件号码", "姓名", "单位名称", "统一社会信用代码", "工作地区划代码", "入职日期", "离职日期"]
    header += ["离职原因", "月工资", "就业渠道"]
    ids, names, villages = (people[c].to_list() for c in ("证件号码", "姓名", "行政区划代码"))
    lines, broken_lines = [], []
    for n in range(rows):
        i = n % len(ids)
        started = first + dt.timedelta(days=rng.randrange(span) + (n // len(ids)) * 3)
        roll = rng.random()
        if roll < 0.6:
            employer, code = ledger[rng.randrange(len(ledger))]
        else:
            employer, code = f"个体单位{rng.randrange(50_000):05d}", ""
        place = rng.random()
        work = (
            villages[i][:6] if place < 0.4 else rng.choice(counties) if place < 0.7 else rng.choice(outside)
        )
        ended, reason = "", ""
        if rng.random() < 0.3:
            end = started + dt.timedelta(days=rng.randrange(max(1, (today - started).days)))
            ended, reason = end.isoformat(), rng.choice([*reasons, ""])
        row = [ids[i], names[i], employer, code, work, started.isoformat(), ended, reason,
               str(rng.randrange(2500, 9000)), rng.choice(channels)]  # fmt: skip
        lines.append(row)
        changed = list(row)
        if n % 100 == 37:
            kind = (n // 100) % 4
            if kind == 0:
                changed[0] = "110101199003070000"[:17] + "X"  # not a valid ID / not in the registry
            elif kind == 1:
                changed[1] = changed[1] + "某"
            elif kind == 2:
                changed[5] = (today + dt.timedelta(days=5)).isoformat()
            else:  # a check character that is wrong
                valid = changed[3] or make_credit_code("433124", 99)
                changed[3] = valid[:17] + ("0" if valid[17] != "0" else "1")
        elif n % 10 == 3 and not changed[6]:
            changed[6] = today.isoformat()
        broken_lines.append(changed)
    for path, data in ((clean, lines), (broken, broken_lines)):
        pl.DataFrame(data, schema=header, orient="row").write_csv(path)


def timed(env, *args):
    """(wall s, exit, peak RSS MB so far, CPU s of the command process, its first line of output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([BANGFU, *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    message = (result.stdout.strip() or result.stderr.strip()).splitlines()
    peak = max(after.ru_maxrss, before.ru_maxrss) / 1024
    return seconds, result.returncode, peak, cpu, message[0][:300] if message else ""


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def run(env, *args):
    return subprocess.run([BANGFU, *args], env=env, check=True, capture_output=True, text=True)


def measure(label, database_url, registry_file, clean, broken, work: Path):
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BANGFU_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            recreate_postgres(database_url)
            env["DATABASE_URL"] = database_url
        run(env, "migrate", "-v0")
        run(env, "areas", "load", "--province", "43")
        run(env, "areas", "load", "--province", "44")
        print(f"\n{label}", flush=True)
        started = time.perf_counter()
        subprocess.run([BANGFU, "import", "registry", str(registry_file), "--area", "43"], env=env,
                       capture_output=True, check=False)  # fmt: skip
        print(f"  registry loaded in {time.perf_counter() - started:.0f} s (not part of the measure)")
        ledger = subprocess.run(
            [sys.executable, "-c", LEDGER, "2000"], env=env, capture_output=True, text=True
        )
        if ledger.returncode:
            print(ledger.stderr[-2000:])
        count = subprocess.run([sys.executable, "-c", COUNTS], env=env, capture_output=True, text=True)
        print(f"  before: people, records, by source: {count.stdout.strip() or count.stderr[-800:]}")
        with open("/proc/loadavg") as fh:
            print(f"  load average before: {fh.read().split()[:3]}")
        report = work / f"report-{'pg' if database_url else 'sqlite'}.xlsx"
        for what, path, extra in (
            ("1. every row new", clean, ()),
            ("2. the same file again", clean, ()),
            ("3. row errors and 离职日期 added", broken, ("--report", str(report))),
        ):
            seconds, code, peak, cpu, message = timed(
                env, "import", "employment", str(path), "--area", "43", *extra
            )
            with open("/proc/loadavg") as fh:
                load = fh.read().split()[0]
            print(
                f"  {what}: {seconds:.1f} s (CPU {cpu:.1f} s in the command's process), exit {code}, "
                f"peak RSS so far {peak:,.0f} MB, load after {load} — {message}",
                flush=True,
            )
        count = subprocess.run([sys.executable, "-c", COUNTS], env=env, capture_output=True, text=True)
        print(f"  after: {count.stdout.strip()}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/bangfu_bench_import")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="a directory to keep (and reuse) the generated files in")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # progress shows in a log file as it happens
    people = args.people or args.rows
    print(
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        registry_file = work / f"registry-{people}.csv"
        clean, broken = work / f"employment-{args.rows}.csv", work / f"employment-{args.rows}-errors.csv"
        if not registry_file.exists():
            subprocess.run(
                [sys.executable, str(HERE / "make_registry_file.py"), "--people", str(people),
                 "--out", str(registry_file), "--seed", str(SEED)],
                check=True,
            )  # fmt: skip
        if not clean.exists() or not broken.exists():
            started = time.perf_counter()
            employment_files(registry_file, args.rows, clean, broken)
            print(
                f"employment files written in {time.perf_counter() - started:.0f} s: "
                f"{clean.stat().st_size >> 20} MB"
            )
        if not args.skip_sqlite:
            measure("SQLite (WAL)", None, registry_file, clean, broken, work)
        if not args.skip_postgres:
            measure("PostgreSQL", args.postgres, registry_file, clean, broken, work)


if __name__ == "__main__":
    main()
