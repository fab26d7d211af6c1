"""Benchmark 数据比对 through the app: a registry of N people in a real database, then `bangfu compare`.

Run: .venv/bin/python bench/compare_app.py --registry 200000 --source 250000 [--postgres URL] [--workdir DIR]

`bench/compare.py` times the linkage alone, from a Parquet snapshot to the `links` table. This one times
what a user waits for: the real `bangfu compare social-insurance FILE --area 43 --out DIR` command, from
the department's CSV to every finding recorded and results.csv written, against a registry held in the
app's database (SQLite file in a temporary data directory, or PostgreSQL with `--postgres`).

1. Data: `bench/make_compare_data.py` (`bangfu/compare/linkage/synthetic.py`): registry.parquet,
   source.csv (a 社保参保 file, EXCHANGE.md §3) and truth.parquet, kept in DIR for the next run.
2. Build (child process, not timed in the result): migrate, load the divisions of Hunan, insert the
   registry's households and people as tuples (`bangfu/core/bulk.py`, COPY on PostgreSQL), keeping the
   snapshot's person ids so that the truth applies; households are the snapshot's runs of consecutive
   people in one village (the generator writes families together).
3. Run (a fresh child process, so that its peak memory is the run's alone): `call_command("compare", …)`
   timed from the call to its return, with the run's phases (`ComparisonRun.timings`), the process's
   maximum resident set size (getrusage; DuckDB included) and the findings by kind.
4. Score results.csv against the truth (precision and recall of the links, as `bench/compare.py`).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

PROVINCE = "43"
PHASES = {
    "read_source": "读取来源文件",
    "extract_registry": "从数据库提取名册",
    "linkage": "比对（链接）",
    "registry_values": "读取人员现有信息",
    "judge": "判定规则",
    "write_findings": "写入比对结果",
    "results_csv": "写出 results.csv",
    "error_report": "写出错误报告",
    "finish": "统计与审计",
}


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()


def build(workdir: Path) -> dict:
    """Migrate, load Hunan's divisions, insert the snapshot's households and people."""
    _django()
    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.areas.actions import load_areas
    from bangfu.core.bulk import insert_rows, refresh_statistics
    from bangfu.registry.models import Household, Person
    from bangfu.registry.names import full_pinyin, initials

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    times["migrate"] = time.perf_counter() - started
    started = time.perf_counter()
    load_areas(province=PROVINCE)
    times["areas"] = time.perf_counter() - started

    started = time.perf_counter()
    people = pl.read_parquet(workdir / "registry.parquet").sort("person_id")
    village = people["area_code"]
    # A new household where the village changes, and about every 3.5 people within one.
    first = (village != village.shift(1)).fill_null(True) | (pl.Series(range(people.height)) % 4 == 0)
    household = first.cast(pl.Int64).cum_sum()
    people = people.with_columns(household_id=household, head=first)
    now = timezone.now()
    household_rows = (
        (hid, f"B{hid:09d}", area, "脱贫户", "", None, None, None, None, None, "", None, None, now, now)
        for hid, area in people.filter(pl.col("head")).select("household_id", "area_code").iter_rows()
    )
    household_fields = [
        "id", "number", "area", "household_type", "monitoring_type", "poverty_exit_year", "income_per_capita",
        "is_dibao", "is_tekun", "is_relocated", "poverty_causes", "risk_identified_on", "risk_eliminated_on",
        "created_at", "updated_at",
    ]  # fmt: skip
    cached_initials: dict[str, str] = {}

    def person_rows():
        columns = ("person_id", "household_id", "head", "id_number", "name", "sex", "birth_date", "phone",
                   "area_code")  # fmt: skip
        for pid, hid, head, id_number, name, sex, birth, phone, area in people.select(columns).iter_rows():
            if name not in cached_initials:
                cached_initials[name] = (initials(name), full_pinyin(name)[:150])
            yield (
                pid, hid, name, id_number, "户主" if head else "其他", sex, birth, "", "", "", "健康",
                "普通劳动力", "未务工", None, phone or "", "", "", None, "", "", area, *cached_initials[name],
                (phone or "")[::-1], id_number[::-1], "", False, now, now,
            )  # fmt: skip

    person_fields = [
        "id", "household", "name", "id_number", "relation", "sex", "birth_date", "ethnicity", "education",
        "student_status", "health", "labor_skill", "employment_status", "work_months", "phone", "job_wish",
        "desired_region", "expected_wage", "training_wish", "skills", "area", "name_initials", "name_pinyin",
        "phone_reversed", "id_reversed",
        "entrepreneurship_wish", "is_deceased", "created_at", "updated_at",
    ]  # fmt: skip
    with transaction.atomic():
        households = insert_rows(Household, household_fields, household_rows)
        persons = insert_rows(Person, person_fields, person_rows())
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person]):
            cursor.execute(sql)
    refresh_statistics(Household, Person)
    times["registry"] = time.perf_counter() - started
    return {
        "households": households,
        "people": persons,
        "seconds": {k: round(v, 1) for k, v in times.items()},
    }


def run(workdir: Path, out: Path, source_type: str = "social-insurance", source: Path | None = None) -> dict:
    """The real command on `source` (default the 社保 file), timed; the run's phases, peak memory and
    findings by kind."""
    _django()
    from django.core.management import call_command

    from bangfu.compare.models import ComparisonRun

    before = resource.getrusage(resource.RUSAGE_SELF)
    busy = machine_busy()
    started = time.perf_counter()
    try:
        source = source or workdir / "source.csv"
        call_command("compare", source_type, str(source), "--area", PROVINCE, "--out", str(out))
    except SystemExit as exc:  # 3: done, some rows rejected
        if exc.code not in (None, 0, 3):
            raise
    seconds = time.perf_counter() - started
    busy = machine_busy() - busy
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024**2
    cpu = usage.ru_utime + usage.ru_stime - before.ru_utime - before.ru_stime
    comparison = ComparisonRun.objects.latest("id")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(cpu, 1),
        "kernel_seconds": round(usage.ru_stime - before.ru_stime, 1),
        # Both cores, the database server included: a machine whose speed drifts compares better on this.
        "machine_busy_cpu_seconds": round(busy, 1),
        "peak_rss_gb": round(peak, 2),
        "run_seconds": round((comparison.finished_at - comparison.started_at).total_seconds(), 1),
        "status": comparison.status,
        "total_rows": comparison.total_rows,
        "error_rows": comparison.error_rows,
        "counts": comparison.counts,
        "message": comparison.message,
    }


def machine_busy() -> float:
    """CPU-seconds the machine has been busy (user, nice, system; all cores), from /proc/stat (Linux)."""
    try:
        with open("/proc/stat") as handle:
            fields = handle.readline().split()[1:4]
    except OSError:
        return 0.0
    return sum(int(v) for v in fields) / os.sysconf("SC_CLK_TCK")


def evaluate(workdir: Path, out: Path) -> dict:
    """results.csv against the truth: a row's link is right when its 匹配证件号码 is the true person's.
    Scored over every row, and over the rows compared (the reader rejects exact duplicate rows: a second
    record identical to the first, which the generator writes now and then)."""
    import duckdb

    con = duckdb.connect()
    row = con.execute(
        f"""WITH r AS (
            SELECT CAST("源行号" AS BIGINT) AS row_no, nullif("匹配证件号码", '') AS matched,
                   starts_with(coalesce("差异", ''), '该行有错误') AS rejected
            FROM read_csv('{out / "results.csv"}', header = true, all_varchar = true)
        ), j AS (
            SELECT t.person_id AS truth, g.person_id AS got, t.id_damage IS NOT NULL AS damaged, r.rejected
            FROM read_parquet('{workdir / "truth.parquet"}') t
            JOIN r USING (row_no)
            LEFT JOIN read_parquet('{workdir / "registry.parquet"}') g ON g.id_number = r.matched
        )
        SELECT count(*), count(*) FILTER (WHERE rejected),
            count(*) FILTER (WHERE got = truth),
            count(*) FILTER (WHERE got IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE truth IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE truth IS NOT NULL AND got IS DISTINCT FROM truth AND NOT rejected),
            count(*) FILTER (WHERE damaged AND got = truth),
            count(*) FILTER (WHERE damaged AND got IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE damaged AND truth IS NOT NULL AND got IS DISTINCT FROM truth)
        FROM j"""
    ).fetchone()
    rows, rejected, tp, fp, fn, fn_compared, d_tp, d_fp, d_fn = row
    return {
        "rows_scored": rows,
        "rows_rejected": rejected,
        "precision": round(tp / (tp + fp), 6) if tp + fp else 1.0,
        "recall": round(tp / (tp + fn), 6) if tp + fn else 1.0,
        "recall_of_compared_rows": round(tp / (tp + fn_compared), 6) if tp + fn_compared else 1.0,
        "damaged_precision": round(d_tp / (d_tp + d_fp), 5) if d_tp + d_fp else 1.0,
        "damaged_recall": round(d_tp / (d_tp + d_fn), 5) if d_tp + d_fn else 1.0,
    }


def child(step: str, workdir: Path, out: Path, env: dict) -> dict:
    command = [sys.executable, __file__, "--step", step, "--workdir", str(workdir), "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-5000:], file=sys.stderr)
        raise SystemExit(f"{step} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(label: str, workdir: Path, database_url: str | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="bangfu-compare-app-") as data_dir:
        env = {**os.environ, "BANGFU_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        if database_url:
            recreate_postgres(database_url)
            env["DATABASE_URL"] = database_url
        out = Path(data_dir) / "out"
        built = child("build", workdir, out, env)
        print(f"\n{label}: built {built['people']:,} people in {built['households']:,} households "
              f"({built['seconds']})", flush=True)  # fmt: skip
        result = child("run", workdir, out, env)
        result.update(evaluate(workdir, out))
        return result


def report(label: str, result: dict) -> None:
    phases = result.pop("phases")
    print(
        f"{label}: bangfu compare {result['seconds']} s end to end ({result['cpu_seconds']} s CPU in this "
        f"process, {result['kernel_seconds']} s of it in the kernel; the machine busy "
        f"{result['machine_busy_cpu_seconds']} CPU-s), peak RSS {result['peak_rss_gb']} GB"
    )
    print("  phase                   wall s    CPU s (this process)    peak GB (end of phase)    kernel s")
    for key, (seconds, cpu, peak, kernel) in phases.items():
        print(f"  {PHASES.get(key, key):<16}\t{seconds:7.1f}\t{cpu:7.1f}\t{peak:5.2f}\t{kernel:7.1f}")
    print("  " + json.dumps(result, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, default=200_000)
    parser.add_argument("--source", type=int, default=250_000)
    parser.add_argument("--workdir", help="the generated data; default /tmp/bangfu-compare-REGISTRY-SOURCE")
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--damaged", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--step", choices=("build", "run"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or f"/tmp/bangfu-compare-{args.registry}-{args.source}")

    if args.step:  # child process: JSON on the last line of stdout
        result = build(workdir) if args.step == "build" else run_with_phases(workdir, Path(args.out))
        print(json.dumps(result, ensure_ascii=False))
        return 0

    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    if not (workdir / "truth.parquet").exists():
        from make_compare_data import write

        write(workdir, args.registry, args.source, args.seed, args.damaged)
    if not args.skip_sqlite:
        report("SQLite", measure("SQLite", workdir, None))
    if args.postgres:
        report("PostgreSQL", measure("PostgreSQL", workdir, args.postgres))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


def run_with_phases(
    workdir: Path, out: Path, source_type: str = "social-insurance", source: Path | None = None
) -> dict:
    """`run`, with the phases the run measured (`run.timings`, read from run_comparison's return value)."""
    _django()
    from bangfu.compare.management.commands import compare as command

    captured = {}
    original = command.run_comparison

    def capturing(comparison, **kwargs):
        done = original(comparison, **kwargs)
        captured.update(
            {
                k: (
                    round(v, 1),
                    round(done.timings.cpu[k], 1),
                    round(done.timings.peak.get(k, 0), 2),
                    round(done.timings.kernel.get(k, 0), 1),
                )
                for k, v in done.timings.seconds.items()
            }
        )
        # Files written on another thread meanwhile: their own wall seconds (not added to the total).
        captured.update(
            {f"{k} (background)": (round(v, 1), 0.0, 0.0, 0.0) for k, v in done.timings.background.items()}
        )
        return done

    command.run_comparison = capturing
    result = run(workdir, out, source_type, source)
    result["phases"] = captured
    return result


if __name__ == "__main__":
    sys.exit(main())
