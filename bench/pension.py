"""Benchmark 社保扶贫 at province scale: the year's 养老保险代缴 roster with each level's share
(`bangfu pension roster --area 43 --year Y --out roster.csv`) and the three rates for every child area
(`bangfu pension rates --area 43 --out rates.csv`), on SQLite and PostgreSQL.

Run: flock /tmp/bangfu-bench.lock nice -n 5 .venv/bin/python bench/pension.py [--people 4000000]
         [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_pension] [--skip-sqlite] [--keep DIR]
         [--append-docs]

1. Build (a child process, not timed in the result): migrate, Hunan's areas, then a generated province
   inserted as tuples (`bangfu/core/bulk.py`: COPY on PostgreSQL), seed 19: --people registry people
   in 0.3 × people households over every village; households 60 % 脱贫户, 15 % 监测户, the rest
   一般农户, 8 % 低保 and 2 % 特困; ages 0–90; 3 % 一级/二级 disability; 5 % students; 0.5 % deceased;
   pension enrolment 70 % 城乡居民养老保险 (85 % 参保缴费, 8 % 暂停缴费, 7 % 终止参保), 5 %
   企业职工养老保险, the rest none, those of 60 and over 90 % 领取待遇; medical 95 % 参保 this year.
   The 代缴分担 rule 6:4 for Hunan's cities (region:city) and 8:2 for 湘西州's counties (region:county);
   the 社保扶贫目标 for Hunan.
2. Each command in a fresh child process timed whole from outside (Django's start to its end) with its
   peak memory — goals ≤ 20 s each at 4,000,000 people; the roster's rows counted afterwards.

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
from pathlib import Path

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
    from bangfu.pension.models import PremiumShareRule, RateTargetRule
    from bangfu.registry.models import Household, Person

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(province="43")
    times["migrate_and_areas"] = time.perf_counter() - started
    started = time.perf_counter()
    today = dt.date(args.year, 6, 30)
    rng = np.random.default_rng(19)
    now = timezone.now()
    villages = np.array(
        sorted(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
    )
    n = args.people
    h = max(1, int(n * 0.3))
    household_village = np.sort(rng.choice(villages, size=h))
    household_of = (np.arange(n, dtype=np.int64) * h) // n
    area = household_village[household_of]
    ids = np.arange(1, n + 1, dtype=np.int64)
    id_number = np.char.add(area.astype("U6"), np.char.zfill(ids.astype("U12"), 12))
    kind_draw = rng.random(h)
    households = pl.DataFrame(
        {
            "id": np.arange(1, h + 1, dtype=np.int64),
            "number": np.char.add("H", np.char.zfill(np.arange(1, h + 1).astype("U10"), 10)),
            "area": household_village,
            "household_type": np.where(
                kind_draw < 0.6, "脱贫户", np.where(kind_draw < 0.75, "监测户", "一般农户")
            ),
            "is_dibao": rng.random(h) < 0.08,
            "is_tekun": rng.random(h) < 0.02,
        }
    )
    age_days = rng.integers(0, 90 * 365, n)
    old = age_days >= 60 * 365
    scheme = rng.random(n)
    status = rng.random(n)
    pension_insurance = np.where(
        scheme < 0.7, "城乡居民养老保险", np.where(scheme < 0.75, "企业职工养老保险", "")
    )
    pension_status = np.where(status < 0.85, "参保缴费", np.where(status < 0.93, "暂停缴费", "终止参保"))
    pension_status = np.where(old & (rng.random(n) < 0.9), "领取待遇", pension_status)
    pension_status = np.where(pension_insurance == "", "", pension_status)
    medical = rng.random(n) < 0.95
    deceased = rng.random(n) < 0.005
    people = pl.DataFrame(
        {
            "id": ids,
            "id_number": id_number,
            "id_reversed": np.array([s[::-1] for s in id_number.tolist()]),
            "name": np.char.add("人员", ids.astype("U8")),
            "sex": np.where(ids % 2 == 1, "男", "女"),
            "birth_date": _dates(today, age_days),
            "household": household_of + 1,
            "relation": "户主",
            "area": area,
            "labor_skill": "普通劳动力",
            "employment_status": "未务工",
            "student_status": np.where(rng.random(n) < 0.05, "高中", ""),
            "disability_grade": np.where(rng.random(n) < 0.03, "二级", ""),
            "pension_insurance": pension_insurance,
            "pension_status": pension_status,
            "medical_status": np.where(medical, "参保", "未参保"),
            "medical_insured_year": np.where(medical, args.year, args.year - 1),
            "is_deceased": deceased,
        }
    )
    blank = (
        "name_initials", "name_pinyin", "phone_reversed", "ethnicity", "education", "health", "phone",
        "job_wish", "desired_region", "training_wish", "entrepreneurship_wish", "skills",
        "disability_category",
    )  # fmt: skip
    times["generate"] = time.perf_counter() - started

    started = time.perf_counter()
    with transaction.atomic():
        with indexes_built_after(Household):
            insert_frame(
                Household,
                households,
                {"monitoring_type": "", "poverty_causes": "", "created_at": now, "updated_at": now},
            )
        with indexes_built_after(Person):
            insert_frame(Person, people, {**dict.fromkeys(blank, ""), "created_at": now, "updated_at": now})
        for city in Area.objects.filter(level=Level.CITY, code__startswith="43"):
            PremiumShareRule.objects.create(
                region_prefix=city.code[:4], effective_from=dt.date(2020, 1, 1),
                province_pct=Decimal(60), city_pct=Decimal(40), county_pct=Decimal(0),
            )  # fmt: skip
        for county in Area.objects.filter(level=Level.COUNTY, code__startswith="4331"):
            PremiumShareRule.objects.create(
                region_prefix=county.code[:6], effective_from=dt.date(2020, 1, 1),
                province_pct=Decimal(80), city_pct=Decimal(0), county_pct=Decimal(20),
            )  # fmt: skip
        RateTargetRule.objects.create(
            region_prefix="43", effective_from=dt.date(2020, 1, 1), pension_rate=99, medical_rate=99,
            payment_rate=100,
        )  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person]):
            cursor.execute(sql)
    refresh_statistics(Household, Person)
    times["insert"] = time.perf_counter() - started
    return {
        "people": n,
        "households": h,
        "year": args.year,
        "seconds": {k: round(t, 1) for k, t in times.items()},
    }


def measure(label: str, args, database_url: str | None) -> dict:
    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-pension-") as scratch:
        data_dir = keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        me = [sys.executable, __file__, "--people", str(args.people), "--year", str(args.year)]
        marker = data_dir / f"built-{args.people}-{args.year}.json"
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
        found = {"world": world}
        out = Path(scratch) / "roster.csv"
        for step, command in (
            (
                "roster",
                [bangfu, "pension", "roster", "--area", "43", "--year", str(args.year), "--out", str(out)],
            ),
            (
                "rates",
                [bangfu, "pension", "rates", "--area", "43", "--out", str(Path(scratch) / "rates.csv")],
            ),
        ):
            load = os.getloadavg()[0]
            run = timed(command, env)
            run["load_before"] = round(load, 1)
            found[step] = run
            print(f"{label} · {step}: {json.dumps(run, ensure_ascii=False)}", flush=True)
        with open(out, encoding="utf-8-sig") as handle:
            found["roster_rows"] = sum(1 for _ in handle) - 1
        return found


def markdown(found: dict, args) -> str:
    labels = list(found)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"

    def cells(step):
        return " | ".join(f"{r[step]['seconds']} s, {r[step]['peak_rss_gb']} GB" for r in found.values())

    loads = " | ".join(f"{r['roster']['load_before']}, {r['rates']['load_before']}" for r in found.values())
    rows = " | ".join(f"{r['roster_rows']:,}" for r in found.values())
    world = next(iter(found.values()))["world"]
    scale = world["people"] / 4_000_000
    goal = "≤ 20 s at 4,000,000 people"
    return (
        f"\n### {dt.date.today()}: 社保扶贫 roster and rates, {world['people']:,} people "
        f"({scale:g} of the goal's scale), year {world['year']}\n\n"
        f"`python bench/pension.py --people {args.people}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores (shared with other work).\n\n"
        + head
        + f"| `bangfu pension roster --area 43` (whole process) | {cells('roster')} | {goal} |\n"
        + f"| `bangfu pension rates --area 43` (whole process) | {cells('rates')} | {goal} |\n"
        + f"| roster rows written | {rows} | |\n"
        + f"| load average before the runs | {loads} | |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    parser.add_argument("--append-docs", action="store_true", help="append the result to docs/benchmarks.md")
    parser.add_argument("--step", choices=("build",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
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
