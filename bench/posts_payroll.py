"""Benchmark the month's 公益性岗位补贴 payroll at province scale:
`bangfu payouts build welfare-post --area 43 --period M` (the program's proposals, the payout core's lines
and every check), on SQLite and PostgreSQL.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/posts_payroll.py [--people 4000000]
         [--holders 100000] [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_posts]
         [--skip-sqlite] [--keep DIR] [--append-docs]

1. Build (a child process, not timed in the result): migrate, Hunan's areas, then a generated province
   inserted as tuples (`bangfu/core/bulk.py`: COPY on PostgreSQL), seed 11: --people registry people in
   0.3 × people households over every village (0.4 % marked deceased, some of them during the month);
   --holders holders of a public-welfare post in their own village (one post each, opened two years
   before), 1 % of them holding a second post in the month (一人多岗), duty for the month of every holder
   (5 % below 最低在岗天数); the 公益性岗位补贴 rule for Hunan (600 yuan, 20 days) and one for a city
   (650 yuan, 18 days).
2. `bangfu payouts build welfare-post --area 43 --period M` in a fresh child process timed whole from
   outside (Django's start to its end) with its peak memory (wait4's rusage) — goal ≤ 20 s; the list's
   results counted afterwards (every line checked, none left without a result).

`--append-docs` appends the result table to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

from tracking import _dates, _django, recreate_postgres, timed  # noqa: E402


def build(args) -> dict:
    _django()
    import time
    from decimal import Decimal

    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.areas.actions import load_areas
    from bangfu.areas.models import Area, Level
    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.posts.models import Duty, Post, Spell, SubsidyRule, month_bounds
    from bangfu.registry.models import Household, Person

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(province="43")
    times["migrate_and_areas"] = time.perf_counter() - started
    started = time.perf_counter()
    first, last = month_bounds(args.month)
    rng = np.random.default_rng(11)
    now = timezone.now()
    villages = np.array(
        sorted(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
    )
    n, k = args.people, args.holders
    h = max(1, int(n * 0.3))
    household_village = np.sort(rng.choice(villages, size=h))
    household_of = (np.arange(n, dtype=np.int64) * h) // n
    area = household_village[household_of]
    ids = np.arange(1, n + 1, dtype=np.int64)
    id_number = np.char.add(area.astype("U6"), np.char.zfill(ids.astype("U12"), 12))
    deceased = rng.random(n) < 0.004
    died_ago = rng.integers(0, 900, n)  # some die during the month, most long before
    households = pl.DataFrame(
        {
            "id": np.arange(1, h + 1, dtype=np.int64),
            "number": np.char.add("H", np.char.zfill(np.arange(1, h + 1).astype("U10"), 10)),
            "area": household_village,
        }
    )
    # Holders: k people of working age spread over the province, each on a post of their own village.
    holder = np.sort(rng.choice(ids, size=k, replace=False))
    people = pl.DataFrame(
        {
            "id": ids,
            "id_number": id_number,
            "id_reversed": np.array([s[::-1] for s in id_number.tolist()]),
            "name": np.char.add("人员", ids.astype("U8")),
            "sex": np.where(ids % 2 == 1, "男", "女"),
            "birth_date": _dates(last, rng.integers(18 * 365, 60 * 365, n)),
            "household": household_of + 1,
            "relation": "户主",
            "area": area,
            "labor_skill": "普通劳动力",
            "employment_status": "未务工",
            "is_deceased": deceased,
            "died_on": _dates(last, died_ago),
        }
    ).with_columns(died_on=pl.when(pl.col("is_deceased")).then(pl.col("died_on")).otherwise(None))
    blank = (
        "name_initials",
        "name_pinyin",
        "phone_reversed",
        "ethnicity",
        "education",
        "student_status",
        "health",
        "phone",
        "job_wish",
        "desired_region",
        "training_wish",
        "entrepreneurship_wish",
        "skills",
        "disability_category",
        "disability_grade",
        "pension_insurance",
        "pension_status",
        "medical_status",
    )
    second = rng.random(k) < 0.01
    post_person = np.concatenate([holder, holder[second]])
    p = len(post_person)
    post_area = area[post_person - 1]
    opened = first - dt.timedelta(days=730)
    posts = pl.DataFrame(
        {
            "id": np.arange(1, p + 1, dtype=np.int64),
            "area": post_area,
            "county_code": post_area.astype("U6"),
            "number": np.char.add("GY", np.char.zfill(np.arange(1, p + 1).astype("U8"), 8)),
            "kind": "乡村公益性岗位",
            "title": "保洁员",
            "opened_on": _dates(opened, np.zeros(p, dtype=np.int64)),
        }
    )
    started_ago = np.where(np.arange(p) < k, rng.integers(40, 700, p), 0)  # second posts start on the 1st
    spells = pl.DataFrame(
        {
            "post": np.arange(1, p + 1, dtype=np.int64),
            "person": post_person,
            "area": post_area,
            "started_on": _dates(first, started_ago),
        }
    )
    month_days = (last - first).days + 1
    due = np.full(k, 22)
    days = np.where(rng.random(k) < 0.05, rng.integers(5, 20, k), rng.integers(20, 23, k))
    duty = pl.DataFrame(
        {
            "person": holder,
            "area": area[holder - 1],
            "month": args.month,
            "days_on_duty": days,
            "days_due": np.minimum(due, month_days),
        }
    )
    times["generate"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        with indexes_built_after(Household):
            insert_frame(
                Household,
                households,
                {
                    "household_type": "脱贫户",
                    "monitoring_type": "",
                    "poverty_causes": "",
                    "created_at": now,
                    "updated_at": now,
                },
            )
        with indexes_built_after(Person):
            insert_frame(Person, people, {**dict.fromkeys(blank, ""), "created_at": now, "updated_at": now})
        with indexes_built_after(Post):
            insert_frame(
                Post, posts, {"duties": "", "host_unit": "村委会", "created_at": now, "updated_at": now}
            )
        with indexes_built_after(Spell):
            insert_frame(Spell, spells, {"created_at": now, "updated_at": now})
        with indexes_built_after(Duty):
            insert_frame(Duty, duty, {"updated_at": now})
        SubsidyRule.objects.create(
            region_prefix="43", effective_from=dt.date(2020, 1, 1), monthly_amount=Decimal("600"), min_days=20
        )
        SubsidyRule.objects.create(
            region_prefix="4331",
            effective_from=dt.date(2020, 1, 1),
            monthly_amount=Decimal("650"),
            min_days=18,
        )
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person, Post]):
            cursor.execute(sql)
    refresh_statistics(Household, Person, Post, Spell, Duty)
    times["insert"] = time.perf_counter() - started
    return {
        "people": n,
        "holders": k,
        "posts": p,
        "second_posts": int(second.sum()),
        "month": args.month,
        "seconds": {key: round(t, 1) for key, t in times.items()},
    }


def results() -> dict:
    _django()
    from django.db.models import Count, Sum

    from bangfu.payouts.models import Line, PayoutList

    payout_list = PayoutList.objects.filter(kind="welfare-post").order_by("-id").first()
    lines = Line.objects.filter(payout_list=payout_list)
    by_result = dict(lines.values_list("result").annotate(n=Count("id")).order_by())
    total = lines.aggregate(total=Sum("amount"))["total"]
    return {"lines": lines.count(), "by_result": by_result, "total": str(total), "status": payout_list.status}


def measure(label: str, args, database_url: str | None) -> dict:
    import tempfile

    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-posts-") as scratch:
        data_dir = keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        me = [
            sys.executable,
            __file__,
            "--people",
            str(args.people),
            "--holders",
            str(args.holders),
            "--month",
            args.month,
        ]
        marker = data_dir / f"built-{args.people}-{args.holders}-{args.month}.json"
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
        command = [bangfu, "payouts", "build", "welfare-post", "--area", "43", "--period", args.month]
        load = os.getloadavg()[0]
        run = timed(command, env)
        run["load_before"] = round(load, 1)
        counted = json.loads(timed([*me, "--step", "results"], env)["stdout"].splitlines()[-1])
        print(f"{label} · payroll: {json.dumps(run, ensure_ascii=False)}", flush=True)
        print(f"{label} · lines: {json.dumps(counted, ensure_ascii=False)}", flush=True)
        return {"world": world, "run": run, "lines": counted}


def markdown(found: dict, args) -> str:
    labels = list(found)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"
    runs = " | ".join(f"{r['run']['seconds']} s, {r['run']['peak_rss_gb']} GB" for r in found.values())
    loads = " | ".join(f"{r['run']['load_before']}" for r in found.values())
    lines = " | ".join(
        f"{r['lines']['lines']:,} lines: "
        + ", ".join(f"{k} {v:,}" for k, v in sorted(r["lines"]["by_result"].items()))
        for r in found.values()
    )
    world = next(iter(found.values()))["world"]
    scale = world["people"] / 4_000_000
    return (
        f"\n### {dt.date.today()}: 公益性岗位补贴 payroll, {world['people']:,} people, "
        f"{world['holders']:,} holders ({scale:g} of the goal's scale), month {world['month']}\n\n"
        f"`python bench/posts_payroll.py --people {args.people} --holders {args.holders}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores (shared with other work).\n\n"
        + head
        + "| `bangfu payouts build welfare-post --area 43` (whole process: start, propose, check, write) "
        + f"| {runs} "
        f"| ≤ 20 s at 4,000,000 people and 100,000 holders |\n"
        + f"| load average before the run | {loads} | |\n"
        + f"| results | {lines} | every line checked |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    parser.add_argument("--append-docs", action="store_true", help="append the result to docs/benchmarks.md")
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    parser.add_argument("--month", default=f"{last_month:%Y-%m}", help="the payroll's month (YYYY-MM)")
    parser.add_argument("--step", choices=("build", "results"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
        return 0
    if args.step == "results":
        print(json.dumps(results(), ensure_ascii=False))
        return 0
    print(
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{dt.datetime.now():%Y-%m-%d %H:%M} · load average {os.getloadavg()}"
    )
    found = {}
    if not args.skip_sqlite:
        found["SQLite"] = measure("SQLite", args, None)
    if args.postgres:
        found["PostgreSQL"] = measure("PostgreSQL", args, args.postgres)
    text = markdown(found, args)
    print(text)
    if args.append_docs:
        with open(ROOT / "docs" / "benchmarks.md", "a", encoding="utf-8") as docs:
            docs.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
