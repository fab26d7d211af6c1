"""Benchmark the year's 一次性交通补助 at province scale: `bangfu payouts build transport` over 3,000,000
employment records, on SQLite and PostgreSQL.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/payouts_transport.py [--people 4000000]
         [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_payouts] [--skip-sqlite]
         [--keep DIR] [--append-docs]

1. Build (a child process, not timed in the result): migrate, Hunan's areas, then a generated province
   inserted as tuples (`bangfu/core/bulk.py`): --people people in 0.3 × people households over every
   village (40 % 脱贫户, 6 % 监测户, the rest 一般农户), 0.4 % deceased (half of them with a day of death
   inside the year), and 0.75 × people employment records of laborers (3,000,000 at 4,000,000 people)
   spread over 2023–2026, a third each 县内, 省内县外, 省外; 2 % of the records registered in a village
   other than the person's (people who moved). Rules: 一次性交通补助 for Hunan (500 元, 3 months) and for
   every county of 湘西州 (600 元, 4 months); seed 11.
2. `bangfu payouts build transport --area 43 --period 2025` in a fresh child process timed whole from
   outside (Django's start to its end) with its peak memory — the proposals (one INSERT … SELECT with the
   months away counted in SQL, one UPDATE per rule version) and the core's checks — goal ≤ 30 s at
   3,000,000 records; then the same command again (the list rebuilt in place: its lines deleted and
   written again).

`--append-docs` appends the result table to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from tracking import _dates, recreate_postgres, timed  # noqa: E402

YEAR = 2025
ON = dt.date(2026, 6, 30)  # the day the world is generated as of (records reach into 2026)


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()


def build(args) -> dict:
    _django()
    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.areas.actions import load_areas
    from bangfu.areas.models import Area, Level
    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.employment.models import EmploymentRecord
    from bangfu.registry.models import Household, Person
    from bangfu.subsidies.models import TransportRule

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(province="43")
    times["migrate_and_areas"] = time.perf_counter() - started
    rng = np.random.default_rng(11)
    now = timezone.now()
    started = time.perf_counter()
    villages = np.array(
        sorted(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
    )
    n = args.people
    h = max(1, int(n * 0.3))
    household_village = np.sort(rng.choice(villages, size=h))
    household_type = rng.choice(np.array(["脱贫户", "监测户", "一般农户"]), size=h, p=[0.40, 0.06, 0.54])
    household_of = (np.arange(n, dtype=np.int64) * h) // n
    area = household_village[household_of]
    first_member = np.ones(n, dtype=bool)
    first_member[1:] = household_of[1:] != household_of[:-1]
    age_days = rng.integers(16 * 365 + 5, 64 * 365, n)
    able = rng.random(n) < 0.7
    deceased = rng.random(n) < 0.004
    died_ago = np.where(rng.random(n) < 0.5, rng.integers(200, 500, n), rng.integers(1, 150, n))
    ids = np.arange(1, n + 1, dtype=np.int64)
    id_number = np.char.add(area.astype("U6"), np.char.zfill(ids.astype("U12"), 12))
    households = pl.DataFrame(
        {
            "id": np.arange(1, h + 1, dtype=np.int64),
            "number": np.char.add("H", np.char.zfill(np.arange(1, h + 1).astype("U10"), 10)),
            "area": household_village,
            "household_type": household_type,
        }
    )
    people = pl.DataFrame(
        {
            "id": ids,
            "id_number": id_number,
            "id_reversed": np.array([s[::-1] for s in id_number.tolist()]),
            "name": np.char.add("人员", ids.astype("U8")),
            "sex": np.where(ids % 2 == 1, "男", "女"),
            "birth_date": _dates(ON, age_days),
            "household": household_of + 1,
            "relation": np.where(first_member, "户主", "其他"),
            "area": area,
            "labor_skill": np.where(able, "普通劳动力", "无劳动力"),
            "employment_status": np.full(n, "未务工"),
            "is_deceased": deceased,
        }
    )
    people = people.with_columns(
        died_on=pl.when(pl.col("is_deceased")).then(_dates(ON, died_ago)).otherwise(None)
    )
    blank = ("name_initials", "name_pinyin", "phone_reversed", "ethnicity", "education", "student_status",
             "health", "phone", "job_wish", "desired_region", "training_wish", "entrepreneurship_wish",
             "skills", "disability_category", "disability_grade", "pension_insurance", "pension_status",
             "medical_status")  # fmt: skip
    workers = ids[able]
    r = int(n * 0.75)
    rec_person = np.sort(rng.choice(workers, size=r))
    started_ago = rng.integers(0, 3 * 365, r)  # started between mid-2023 and mid-2026
    length = rng.integers(20, 700, r)
    ended_ago = started_ago - length
    open_ended = ended_ago < 0
    moved = rng.random(r) < 0.02
    rec_area = np.where(moved, villages[rng.integers(0, len(villages), r)], area[rec_person - 1])
    records = pl.DataFrame(
        {
            "person": rec_person,
            "area": rec_area,
            "employer_name": np.char.add("用人单位", (rec_person % 5000).astype("U4")),
            "place": rng.choice(np.array(["县内", "省内县外", "省外"]), size=r),
            "channel": np.full(r, "自主外出"),
            "started_on": _dates(ON, started_ago),
            "ended_on": _dates(ON, np.maximum(ended_ago, 0)),
            "open": open_ended,
        }
    )
    records = records.with_columns(
        ended_on=pl.when(pl.col("open")).then(None).otherwise(pl.col("ended_on"))
    ).drop("open")
    times["generate"] = time.perf_counter() - started

    started = time.perf_counter()
    stamps = {"created_at": now, "updated_at": now}
    with transaction.atomic():
        with indexes_built_after(Household):
            insert_frame(Household, households, {"monitoring_type": "", "poverty_causes": "", **stamps})
        with indexes_built_after(Person):
            insert_frame(Person, people, {**dict.fromkeys(blank, ""), **stamps})
        with indexes_built_after(EmploymentRecord):
            insert_frame(
                EmploymentRecord, records,
                {"credit_code": "", "source": "manual", "source_ref": "", "end_reason": "", **stamps},
            )  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person, EmploymentRecord]):
            cursor.execute(sql)
    refresh_statistics(Household, Person, EmploymentRecord)
    TransportRule.objects.create(
        region_prefix="43", effective_from=dt.date(2020, 1, 1), amount=500, min_months=3
    )
    for county in Area.objects.filter(level=Level.COUNTY, code__startswith="4331"):
        TransportRule.objects.create(
            region_prefix=county.code[:6], effective_from=dt.date(2024, 1, 1), amount=600, min_months=4
        )
    times["insert"] = time.perf_counter() - started
    return {
        "people": n,
        "households": h,
        "records": records.height,
        "seconds": {k: round(t, 1) for k, t in times.items()},
    }


def counts() -> dict:
    _django()
    from django.db.models import Count, Sum

    from bangfu.payouts.models import Line, PayoutList

    payout_list = PayoutList.objects.get(kind="transport", period=str(YEAR))
    by_result = dict(
        Line.objects.filter(payout_list=payout_list).values_list("result").annotate(n=Count("id"))
    )
    total = Line.objects.filter(payout_list=payout_list).aggregate(s=Sum("amount"))["s"]
    return {"lines": payout_list.lines_count, "by_result": by_result, "total": str(total)}


def measure(label: str, args, database_url: str | None) -> dict:
    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-payouts-") as scratch:
        data_dir = keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        me = [sys.executable, __file__, "--people", str(args.people)]
        marker = data_dir / f"built-{args.people}.json"
        if not marker.exists():
            if database_url:
                recreate_postgres(database_url)
            for old in data_dir.glob("bangfu.sqlite3*"):
                old.unlink()
            built = timed([*me, "--step", "build"], env)
            world = json.loads(built["stdout"].splitlines()[-1])
            print(
                f"\n{label}: built in {built['seconds']} s: {json.dumps(world, ensure_ascii=False)}",
                flush=True,
            )
            if keep:
                marker.write_text(json.dumps(world))
        else:
            world = json.loads(marker.read_text())
        bangfu = str(Path(sys.executable).with_name("bangfu"))
        command = [bangfu, "payouts", "build", "transport", "--area", "43", "--period", str(YEAR)]
        runs = []
        for _ in range(2):
            load = os.getloadavg()[0]
            run = timed(command, env)
            run["load_before"] = round(load, 1)
            print(f"{label} · {json.dumps(run, ensure_ascii=False)}", flush=True)
            runs.append(run)
        got = json.loads(timed([*me, "--step", "counts"], env)["stdout"].splitlines()[-1])
        print(f"{label} · lines: {json.dumps(got, ensure_ascii=False)}", flush=True)
        return {"world": world, "runs": runs, "lines": got}


def markdown(results: dict, args) -> str:
    labels = list(results)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"
    first = " | ".join(
        f"{r['runs'][0]['seconds']} s, {r['runs'][0]['peak_rss_gb']} GB" for r in results.values()
    )
    again = " | ".join(f"{r['runs'][1]['seconds']} s" for r in results.values())

    def shown(r):
        parts = ", ".join(f"{k} {v:,}" for k, v in sorted(r["lines"]["by_result"].items()))
        return f"{r['lines']['lines']:,} ({parts})"

    lines = " | ".join(shown(r) for r in results.values())
    total = " | ".join(f"{r['lines']['total']} 元" for r in results.values())
    world = next(iter(results.values()))["world"]
    return (
        f"\n### {dt.date.today()}: 一次性交通补助 {YEAR}, {world['people']:,} people, "
        f"{world['households']:,} households, {world['records']:,} employment records\n\n"
        f"`python bench/payouts_transport.py --people {args.people}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end"
        " (each run's load before it is in the output).\n\n"
        + head
        + f"| `bangfu payouts build transport --area 43 --period {YEAR}` | {first} | ≤ 30 s at 3,000,000 |\n"
        + f"| the same again (rebuilt in place) | {again} | |\n"
        + f"| lines | {lines} | |\n"
        + f"| paid | {total} | |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    parser.add_argument("--append-docs", action="store_true", help="append the result to docs/benchmarks.md")
    parser.add_argument("--step", choices=("build", "counts"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
        return 0
    if args.step == "counts":
        print(json.dumps(counts(), ensure_ascii=False))
        return 0
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{dt.datetime.now():%Y-%m-%d %H:%M} · load average {os.getloadavg()}")  # fmt: skip
    results = {}
    if not args.skip_sqlite:
        results["SQLite"] = measure("SQLite", args, None)
    if args.postgres:
        results["PostgreSQL"] = measure("PostgreSQL", args, args.postgres)
    text = markdown(results, args)
    print(text)
    if args.append_docs:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as docs:
            docs.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
