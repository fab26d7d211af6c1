"""Benchmark skills training at province scale: the 应训尽训 list of the province written to a file
(`bangfu training untrained --area 43 --out F`), the training figures of the province and its cities
(`bangfu training figures --area 43`), and a provider's enrolment roster of 10,000 rows imported
(`bangfu import training F --area 43`), on SQLite and PostgreSQL.

Run: flock /tmp/bangfu-bench.lock nice -n 5 .venv/bin/python bench/training.py [--people 4000000]
         [--enrolments 500000] [--roster 10000] [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_training]
         [--skip-sqlite] [--keep DIR] [--append-docs]

1. Build (a child process, not timed in the result): migrate, Hunan's areas, then a generated province
   inserted as tuples (`bangfu/core/bulk.py`), seed 20: --people registry people in 0.3 × people
   households over every village; a training need for 15 % of them (recorded in January, 5 % dropped);
   --enrolments enrolments on courses of 40 (one course per 40 enrolments, each in a county, 30 days),
   90 % of them completed this year, 5 % dropped; an employment record for 40 % of the trainees, started
   within eight months of the course; the 培训后就业认定 rule for Hunan (6 months). Courses have room left
   for the roster (`--roster` rows: new trainees, 80 % completed with a certificate).
2. Each command in a fresh child process timed whole from outside (Django's start to its end) with its
   peak memory — goals at 4,000,000 people and 500,000 enrolments: list and figures ≤ 20 s; the roster of
   10,000 rows ≤ 10 s (at any scale: the roster does not grow with the province).

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

CAPACITY = 40  # enrolments a course is built with; the roster's trainees fill the room left


def build(args) -> dict:
    _django()
    import time

    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.areas.actions import load_areas
    from bangfu.areas.models import Area, Level
    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.employment.models import EmploymentRecord
    from bangfu.exchange.report import write_table
    from bangfu.registry.models import Household, Person
    from bangfu.training.models import Course, Enrolment, Need, OutcomeRule, Provider

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(province="43")
    times["migrate_and_areas"] = time.perf_counter() - started
    started = time.perf_counter()
    today = timezone.localdate()
    year_start = dt.date(today.year, 1, 1)
    rng = np.random.default_rng(20)
    now = timezone.now()
    villages = np.array(
        sorted(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
    )
    n, e, r = args.people, args.enrolments, args.roster
    h = max(1, int(n * 0.3))
    household_village = np.sort(rng.choice(villages, size=h))
    household_of = (np.arange(n, dtype=np.int64) * h) // n
    area = household_village[household_of]
    ids = np.arange(1, n + 1, dtype=np.int64)
    id_number = np.char.add(area.astype("U6"), np.char.zfill(ids.astype("U12"), 12))
    birth_days = rng.integers(18 * 365, 60 * 365, n)
    # The roster's trainees (people never enrolled) need ID numbers that pass the checksum: made here.
    needy = np.sort(rng.choice(ids, size=int(n * 0.15), replace=False))
    trainees = np.concatenate([needy, np.setdiff1d(ids, needy)])[:e]
    fresh = np.setdiff1d(ids, trainees)[:r]
    from collections import Counter

    from bangfu.core.idnumber import make_id

    seqs: Counter = Counter()
    id_number = id_number.astype("U18")
    for p in fresh.tolist():
        born = today - dt.timedelta(days=int(birth_days[p - 1]))
        key = (str(area[p - 1])[:6], born)
        id_number[p - 1] = make_id(key[0], born, seqs[key] % 1000)
        seqs[key] += 1
    households = pl.DataFrame(
        {
            "id": np.arange(1, h + 1, dtype=np.int64),
            "number": np.char.add("H", np.char.zfill(np.arange(1, h + 1).astype("U10"), 10)),
            "area": household_village,
        }
    )
    people = pl.DataFrame(
        {
            "id": ids,
            "id_number": id_number,
            "id_reversed": np.array([s[::-1] for s in id_number.tolist()]),
            "name": np.char.add("人员", ids.astype("U8")),
            "sex": np.where(ids % 2 == 1, "男", "女"),
            "birth_date": _dates(today, birth_days),
            "household": household_of + 1,
            "relation": "户主",
            "area": area,
            "labor_skill": "普通劳动力",
            "employment_status": "未务工",
            "is_deceased": False,
        }
    )
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
    # Needs: 15 % of the people, recorded in January, 5 % of them dropped in March.
    m = len(needy)
    needs = (
        pl.DataFrame(
            {
                "person": needy,
                "area": area[needy - 1],
                "kind": "就业技能培训",
                "source": "调查",
                "recorded_on": _dates(year_start + dt.timedelta(days=14), np.zeros(m, dtype=np.int64)),
                "dropped_on": _dates(year_start + dt.timedelta(days=70), np.zeros(m, dtype=np.int64)),
                "dropped": rng.random(m) < 0.05,
            }
        )
        .with_columns(dropped_on=pl.when(pl.col("dropped")).then(pl.col("dropped_on")).otherwise(None))
        .drop("dropped")
    )
    # Courses: one per 40 enrolments, in the county of their trainees; trainees: needy people first.
    courses_n = max(1, e // CAPACITY)
    trainees = trainees[np.argsort(area[trainees - 1], kind="stable")]  # grouped by county
    course_of = (np.arange(e) * courses_n) // e
    course_county = area[trainees[np.searchsorted(course_of, np.arange(courses_n))] - 1].astype("U6")
    days_into_year = max(1, (today - year_start).days)
    course_start = rng.integers(0, max(1, days_into_year - 31), courses_n)
    starts_on = _dates(year_start, -course_start)
    ends_on = _dates(year_start, -(course_start + 30))
    provider_county = np.unique(course_county)
    providers = pl.DataFrame(
        {
            "id": np.arange(1, len(provider_county) + 1, dtype=np.int64),
            "area": np.char.ljust(provider_county, 12, "0"),
            "name": "职业培训学校",
            "kind": "职业培训机构",
        }
    )
    provider_of = {code: i + 1 for i, code in enumerate(provider_county.tolist())}
    courses = pl.DataFrame(
        {
            "id": np.arange(1, courses_n + 1, dtype=np.int64),
            "provider": np.array([provider_of[c] for c in course_county.tolist()], dtype=np.int64),
            "area": np.char.ljust(course_county, 12, "0"),
            "county_code": course_county,
            "number": np.char.add("PX", np.char.zfill(np.arange(1, courses_n + 1).astype("U8"), 8)),
            "title": "焊工培训班",
            "kind": "就业技能培训",
            "occupation": "6-18-02-04",
            "starts_on": starts_on,
            "ends_on": ends_on,
            "capacity": CAPACITY + 2 * (r // courses_n + 1),
            "days": 30,
        }
    )
    outcome = rng.random(e)
    status = np.where(outcome < 0.90, "结业", np.where(outcome < 0.95, "退学", "在训"))
    end_day = course_start[course_of] + 30
    enrolments = pl.DataFrame(
        {
            "course": course_of + 1,
            "person": trainees,
            "area": area[trainees - 1],
            "source": "需求名单",
            "enrolled_on": _dates(year_start, -course_start[course_of]),
            "status": status,
            "days_attended": rng.integers(20, 31, e),
            "completed_on": _dates(year_start, -end_day),
            "certificate_kind": np.where(status == "结业", "培训合格证书", ""),
            "certificate_number": np.where(status == "结业", np.char.add("Z", trainees.astype("U10")), ""),
            "certificate_on": _dates(year_start, -end_day),
        }
    ).with_columns(
        completed_on=pl.when(pl.col("status") == "结业").then(pl.col("completed_on")).otherwise(None),
        certificate_on=pl.when(pl.col("status") == "结业").then(pl.col("certificate_on")).otherwise(None),
    )
    # Jobs: 40 % of the trainees, started from the course's end to eight months after.
    worked = rng.random(e) < 0.4
    w = int(worked.sum())
    started_after = end_day[worked] + rng.integers(0, 240, w)
    records = pl.DataFrame(
        {
            "person": trainees[worked],
            "area": area[trainees[worked] - 1],
            "employer_name": "某电子厂",
            "place": "省外",
            "channel": "",
            "started_on": _dates(year_start, -np.minimum(started_after, days_into_year)),
        }
    )
    # The roster: people never enrolled, on the first courses, 80 % completed with a certificate.
    roster_course = (np.arange(len(fresh)) * courses_n) // max(1, len(fresh))
    done = rng.random(len(fresh)) < 0.8
    numbers = courses["number"].to_numpy()
    ended = [day.isoformat() for day in ends_on.to_list()]
    roster_rows = [
        [
            numbers[c],
            id_number[p - 1],
            f"人员{p}",
            "",
            28,
            "结业" if d else "在训",
            ended[c] if d else "",
            "培训合格证书" if d else "",
            f"R{p}" if d else "",
        ]
        for p, c, d in zip(fresh.tolist(), roster_course.tolist(), done.tolist(), strict=True)
    ]
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
        with indexes_built_after(Need):
            insert_frame(Need, needs, {"text": "", "created_at": now})
        with indexes_built_after(Provider):
            insert_frame(
                Provider, providers, {"credit_code": "", "contact": "", "phone": "", "created_at": now}
            )
        with indexes_built_after(Course):
            insert_frame(Course, courses, {"place": "", "created_at": now})
        with indexes_built_after(Enrolment):
            insert_frame(Enrolment, enrolments, {"created_at": now, "updated_at": now})
        with indexes_built_after(EmploymentRecord):
            insert_frame(
                EmploymentRecord,
                records,
                {
                    "credit_code": "",
                    "source": "手工录入",
                    "source_ref": "",
                    "end_reason": "",
                    "created_at": now,
                    "updated_at": now,
                },
            )
        OutcomeRule.objects.create(region_prefix="43", effective_from=dt.date(2020, 1, 1), months=6)
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person, Provider, Course]):
            cursor.execute(sql)
    refresh_statistics(Household, Person, Need, Course, Enrolment, EmploymentRecord)
    times["insert"] = time.perf_counter() - started
    write_table(
        Path(os.environ["BANGFU_DATA_DIR"]) / "roster.xlsx",
        [
            "班级编号",
            "证件号码",
            "姓名",
            "报名日期",
            "出勤天数",
            "培训结果",
            "结业日期",
            "证书类型",
            "证书编号",
        ],
        roster_rows,
    )
    return {
        "people": n,
        "needs": m,
        "enrolments": e,
        "courses": courses_n,
        "records": w,
        "roster": len(roster_rows),
        "seconds": {key: round(t, 1) for key, t in times.items()},
    }


def measure(label: str, args, database_url: str | None) -> dict:
    import tempfile

    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-training-") as scratch:
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
            "--enrolments",
            str(args.enrolments),
            "--roster",
            str(args.roster),
        ]
        marker = data_dir / f"built-{args.people}-{args.enrolments}-{args.roster}.json"
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
        runs = {}
        commands = {
            "list": [
                bangfu,
                "training",
                "untrained",
                "--area",
                "43",
                "--out",
                str(data_dir / "untrained.csv"),
            ],
            "figures": [bangfu, "training", "figures", "--area", "43"],
            "roster": [bangfu, "import", "training", str(data_dir / "roster.xlsx"), "--area", "43"],
        }
        for key, command in commands.items():
            load = os.getloadavg()[0]
            runs[key] = timed(command, env)
            runs[key]["load_before"] = round(load, 1)
            print(f"{label} · {key}: {json.dumps(runs[key], ensure_ascii=False)}", flush=True)
        return {"world": world, "runs": runs}


def markdown(found: dict, args) -> str:
    labels = list(found)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"
    world = next(iter(found.values()))["world"]
    scale = world["people"] / 4_000_000

    def cells(key):
        return " | ".join(
            f"{run['seconds']} s, {run['peak_rss_gb']} GB (load {run['load_before']})"
            for run in (r["runs"][key] for r in found.values())
        )

    return (
        f"\n### {dt.date.today()}: 应训尽训 list, training figures and a roster import, "
        f"{world['people']:,} people, {world['enrolments']:,} enrolments ({scale:g} of the goal's scale)\n\n"
        f"`python bench/training.py --people {args.people} --enrolments {args.enrolments} "
        f"--roster {args.roster}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores (shared with other work). "
        f"{world['needs']:,} needs, {world['courses']:,} courses, "
        f"{world['records']:,} employment records of trainees.\n\n"
        + head
        + "| `bangfu training untrained --area 43 --out F` (the province's 应训尽训 list) "
        + f"| {cells('list')} "
        "| ≤ 20 s at 4,000,000 people |\n"
        + "| `bangfu training figures --area 43` (培训人数 … 带动就业人数, province and cities) "
        + f"| {cells('figures')} "
        "| ≤ 20 s at 4,000,000 people |\n"
        + f"| `bangfu import training` ({world['roster']:,} rows) | {cells('roster')} "
        + "| ≤ 10 s for 10,000 rows |\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--enrolments", type=int, default=0, help="default: people ÷ 8")
    parser.add_argument("--roster", type=int, default=10_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    parser.add_argument("--append-docs", action="store_true", help="append the result to docs/benchmarks.md")
    parser.add_argument("--step", choices=("build",), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.enrolments = args.enrolments or args.people // 8
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
        return 0
    print(
        f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"{dt.datetime.now(ZoneInfo('Asia/Shanghai')):%Y-%m-%d %H:%M} · load average {os.getloadavg()}"
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
