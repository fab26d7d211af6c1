"""Benchmark 三线跟踪 at province scale: `bangfu warnings scan` from nothing and again with nothing changed,
and the tracking pages, on SQLite and PostgreSQL.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/tracking.py [--people 4000000]
         [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_tracking] [--skip-sqlite]
         [--keep DIR] [--append-docs]

1. Build (a child process, not timed in the result): migrate, Hunan's areas (`load_areas`), then a
   generated province inserted as tuples (`bangfu/core/bulk.py`: COPY on PostgreSQL): --people people
   (4,000,000: about 2,600,000 laborers) in 0.3 × people households (1,200,000) over every village, 0.75 ×
   people employment records (3,000,000; 45 % in force, the others ended over five years with every
   离职原因) and 0.5 × people visits (2,000,000, every 回访结果), seed 7; one laborer with 50 records and
   50 visits (the person page); a province, a county and a village user.
2. `bangfu warnings scan` in a fresh child process timed whole from outside (Django's start to its end),
   with its peak memory (wait4's rusage) — goal ≤ 60 s and ≤ 4 GB; then again with nothing changed — goal
   ≤ 20 s and nothing written (the warnings table and the audit log compared before and after).
3. Pages (a child process, Django test client in-process, template rendering included; median and max
   of 5 after one warm-up): the person page of the laborer with 50 records and 50 visits, a village's due
   list (`tracking:due`, when installed), the province's warnings list (every open warning; about
   300,000 at 4,000,000 people), its 逾期 filter, and the API list — goal < 200 ms each.

`--append-docs` appends the result table to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(ROOT))

PASSWORD = "bench-pass-2026"
REASONS = np.array(["合同到期", "解除劳动关系", "返乡", "转岗", "其他", ""])
RESULTS = np.array(["在岗", "不愿就业", "已离职", "返乡", "联系不上"])
RESULT_SHARES = [0.75, 0.14, 0.05, 0.02, 0.04]
METHODS = np.array(["电话", "微信", "上门", "窗口"])
SKILLS = np.array(["技能劳动力", "普通劳动力", "普通劳动力", "弱劳动力或半劳动力"])


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()


def _dates(on: dt.date, days_ago: np.ndarray):
    import polars as pl

    base = np.datetime64(on.isoformat(), "D")
    return pl.Series((base - days_ago.astype("timedelta64[D]")).astype("M8[ms]")).cast(pl.Date)


def _stamps(now: dt.datetime, days_ago: np.ndarray, vendor: str):
    """`now` less `days_ago` days, as the database stores a DateTimeField: UTC text on SQLite."""
    import polars as pl

    base = np.datetime64(now.astimezone(dt.UTC).replace(tzinfo=None), "us")
    series = pl.Series(base - days_ago.astype("timedelta64[D]"))
    if vendor == "sqlite":
        return series.dt.strftime("%Y-%m-%d %H:%M:%S.%6f")
    return series.dt.replace_time_zone("UTC")


def build(args) -> dict:
    _django()
    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.accounts.actions import create_staff_user
    from bangfu.areas.actions import load_areas
    from bangfu.areas.models import Area, Level
    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.employment.models import EmploymentRecord
    from bangfu.registry.models import Household, Person
    from bangfu.tracking.models import Visit

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_areas(province="43")
    times["migrate_and_areas"] = time.perf_counter() - started
    on = dt.date.fromisoformat(args.on)
    rng = np.random.default_rng(7)
    now = timezone.now()
    started = time.perf_counter()

    villages = np.array(
        sorted(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
    )
    n = args.people
    h = max(1, int(n * 0.3))
    household_village = np.sort(rng.choice(villages, size=h))
    household_of = (np.arange(n, dtype=np.int64) * h) // n  # members of a household are contiguous
    area = household_village[household_of]
    first_member = np.ones(n, dtype=bool)
    first_member[1:] = household_of[1:] != household_of[:-1]
    # Ages: 12 % children, 75 % of working age, 13 % older; 87 % of working age able to work.
    group = rng.choice(3, size=n, p=[0.12, 0.75, 0.13])
    age_days = np.where(
        group == 0,
        rng.integers(0, 16 * 365, n),
        np.where(group == 1, rng.integers(16 * 365 + 5, 64 * 365, n), rng.integers(66 * 365, 90 * 365, n)),
    )
    able = (group == 1) & (rng.random(n) < 0.87)
    skill = np.where(able, SKILLS[rng.integers(0, len(SKILLS), n)], "无劳动力")
    deceased = rng.random(n) < 0.004
    laborer = able & ~deceased
    # Registered: most recently (the registry was rebuilt this year), some long ago.
    registered_days = np.where(rng.random(n) < 0.93, rng.integers(0, 25, n), rng.integers(200, 900, n))
    ids = np.arange(1, n + 1, dtype=np.int64)
    id_number = np.char.add(area.astype("U6"), np.char.zfill(ids.astype("U12"), 12))
    households = pl.DataFrame(
        {
            "id": np.arange(1, h + 1, dtype=np.int64),
            "number": np.char.add("H", np.char.zfill(np.arange(1, h + 1).astype("U10"), 10)),
            "area": household_village,
            "income_per_capita": pl.Series(rng.integers(3000, 20000, h).astype(np.float64)),
        }
    )
    people = pl.DataFrame(
        {
            "id": ids,
            "id_number": id_number,
            "id_reversed": np.array([s[::-1] for s in id_number.tolist()]),
            "name": np.char.add("人员", ids.astype("U8")),
            "sex": np.where(ids % 2 == 1, "男", "女"),
            "birth_date": _dates(on, age_days),
            "household": household_of + 1,
            "relation": np.where(first_member, "户主", "其他"),
            "area": area,
            "labor_skill": skill,
            "employment_status": np.full(n, "未务工"),
            "is_deceased": deceased,
            "created_at": _stamps(now, registered_days, connection.vendor),
        }
    )
    blank = ("name_initials", "name_pinyin", "phone_reversed", "ethnicity", "education", "student_status",
             "health", "phone", "job_wish", "desired_region", "training_wish", "entrepreneurship_wish",
             "skills", "disability_category", "disability_grade", "pension_insurance", "pension_status",
             "medical_status")  # fmt: skip

    # Employment records of laborers: one in force for a laborer of 96 % of households (zero-employment
    # households are rare), the rest of 0.75 × people spread over laborers, 30 % of them in force and the
    # others ended over four years with every 离职原因.
    workers = ids[laborer]
    worker_household = household_of[workers - 1]
    firsts = workers[np.r_[True, worker_household[1:] != worker_household[:-1]]]
    firsts = firsts[rng.random(len(firsts)) < 0.96]
    r = int(n * 0.75)
    rest = rng.choice(workers, size=max(r - len(firsts), 0))
    rec_person = np.concatenate([firsts, rest])
    r = len(rec_person)
    in_force = np.concatenate([np.ones(len(firsts), dtype=bool), rng.random(len(rest)) < 0.3])
    ended_ago = rng.integers(1, 1500, r)
    started_ago = np.where(in_force, rng.integers(30, 1800, r), ended_ago + rng.integers(20, 900, r))
    order = np.argsort(rec_person, kind="stable")
    rec_person, in_force, ended_ago, started_ago = (
        rec_person[order],
        in_force[order],
        ended_ago[order],
        started_ago[order],
    )
    records = pl.DataFrame(
        {
            "person": rec_person,
            "area": area[rec_person - 1],
            "employer_name": np.char.add("用人单位", (rec_person % 5000).astype("U4")),
            "place": rng.choice(np.array(["县内", "省内县外", "省外"]), size=r),
            "channel": rng.choice(np.array(["自主外出", "有组织输出", "扶贫车间", "灵活就业"]), size=r),
            "started_on": _dates(on, started_ago),
            "ended_on": _dates(on, ended_ago),
            "end_reason": np.where(in_force, "", REASONS[rng.integers(0, len(REASONS), r)]),
            "in_force": in_force,
        }
    )
    records = records.with_columns(
        ended_on=pl.when(pl.col("in_force")).then(None).otherwise(pl.col("ended_on"))
    ).drop("in_force")
    # Visits of laborers over the last 35 days, one a day at most per person and way.
    v = int(n * 0.5)
    visits = (
        pl.DataFrame(
            {
                "person": rng.choice(workers, size=v),
                "visited_ago": rng.integers(0, 36, v),
                "method": METHODS[rng.integers(0, len(METHODS), v)],
                "result": rng.choice(RESULTS, size=v, p=RESULT_SHARES),
            }
        )
        .unique(["person", "visited_ago", "method"])
        .sort("person")
    )
    visits = visits.with_columns(
        area=pl.Series(area[visits["person"].to_numpy() - 1]),
        visited_on=_dates(on, visits["visited_ago"].to_numpy()),
    ).drop("visited_ago")
    # The person page's laborer: 50 records and 50 visits.
    star = int(workers[0])
    star_records = pl.DataFrame(
        {
            "person": np.full(50, star, dtype=np.int64),
            "area": np.full(50, area[star - 1]),
            "employer_name": [f"单位{i}" for i in range(50)],
            "place": ["县内"] * 50,
            "channel": ["灵活就业"] * 50,
            "started_on": _dates(on, np.arange(50) * 60 + 70),
            "ended_on": _dates(on, np.arange(50) * 60 + 40),
            "end_reason": ["合同到期"] * 50,
        }
    )
    star_visits = pl.DataFrame(
        {
            "person": np.full(50, star, dtype=np.int64),
            "method": ["上门"] * 50,
            "result": ["不愿就业"] * 50,
            "area": np.full(50, area[star - 1]),
            "visited_on": _dates(on, np.arange(50) * 7 + 1000),
        }
    )
    visits = pl.concat([visits.filter(pl.col("person") != star), star_visits])
    records = pl.concat([records.filter(pl.col("person") != star), star_records])
    times["generate"] = time.perf_counter() - started

    started = time.perf_counter()
    stamps = {"created_at": now, "updated_at": now}
    with transaction.atomic():
        with indexes_built_after(Household):
            insert_frame(
                Household,
                households,
                {"household_type": "脱贫户", "monitoring_type": "", "poverty_causes": "", **stamps},
            )
        with indexes_built_after(Person):
            insert_frame(Person, people, {**dict.fromkeys(blank, ""), "updated_at": now})
        with indexes_built_after(EmploymentRecord):
            insert_frame(
                EmploymentRecord, records, {"credit_code": "", "source": "manual", "source_ref": "", **stamps}
            )
        with indexes_built_after(Visit):
            insert_frame(Visit, visits, {"note": "", "source": "导入", **stamps})
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Household, Person]):
            cursor.execute(sql)
    refresh_statistics(Household, Person, EmploymentRecord, Visit)
    times["insert"] = time.perf_counter() - started

    # Users: the province, the star's county and the village with the most people.
    top_village = str(pl.Series(area).value_counts(sort=True)[0, 0])
    for username, code in (
        ("b_province", "43"),
        ("b_county", area[star - 1][:6]),
        ("b_village", top_village),
    ):
        create_staff_user(
            None, username=username, password=PASSWORD, area=Area.objects.get(code=code.ljust(12, "0")),
            can_manage_users=True, can_view_sensitive=True, must_change_password=False, validate=False,
        )  # fmt: skip
    return {
        "people": n,
        "laborers": int(laborer.sum()),
        "households": h,
        "records": records.height,
        "visits": visits.height,
        "star": star,
        "seconds": {k: round(t, 1) for k, t in times.items()},
    }


def state() -> dict:
    """What a rescan must not change: the warnings (count, by status, a checksum of ids and stamps) and
    the audit log's length."""
    _django()
    from django.db.models import Count, Max, Sum

    from bangfu.audit.models import AuditEvent
    from bangfu.tracking.models import Warning

    by_status = dict(Warning.objects.values_list("status").annotate(n=Count("id")).order_by())
    agg = Warning.objects.aggregate(ids=Sum("id"), updated=Max("updated_at"), n=Count("id"))
    by_kind = dict(
        Warning.objects.filter(status__in=("待处理", "处理中"))
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {
        "warnings": agg["n"],
        "by_status": by_status,
        "open_by_kind": by_kind,
        "id_sum": int(agg["ids"] or 0),
        "last_update": str(agg["updated"]),
        "audit_events": AuditEvent.objects.count(),
    }


def reset() -> dict:
    """No warnings at all (a kept database measured again starts from nothing too)."""
    _django()
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM tracking_warninghelp")
        cursor.execute("DELETE FROM tracking_warning")
    return {"warnings": 0}


def pages(args) -> dict:
    _django()
    import statistics

    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bangfu.accounts.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    results = {}

    def timed(username, label, url):
        client = Client(SERVER_NAME="localhost")
        client.force_login(User.objects.get(username=username))
        client.get(url)
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        results[label] = (round(statistics.median(times)), round(max(times)))
        print(f"{label}\t{results[label][0]}\t{results[label][1]}", flush=True)

    timed(
        "b_county", "人员页（50 条就业记录、50 次回访）", reverse("registry:person_detail", args=[args.star])
    )
    try:
        timed("b_village", "村级：回访到期名单", reverse("tracking:due"))
    except NoReverseMatch:
        print("村级：回访到期名单\t（未安装）", flush=True)
    timed("b_province", "省级：预警列表（全部未处理）第 1 页", reverse("tracking:warning_list"))
    timed("b_province", "省级：预警列表第 50 页", reverse("tracking:warning_list") + "?page=50")
    timed("b_province", "省级：逾期预警", reverse("tracking:warning_list") + "?overdue=1")
    timed("b_province", "省级：就业转失业", reverse("tracking:warning_list") + "?kind=就业转失业")
    timed("b_province", "接口：预警列表（未处理）", "/api/v1/warnings/?status=open")
    return results


def timed(command: list[str], env: dict) -> dict:
    """A child process timed whole from outside, with its peak RSS and CPU (wait4's rusage)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    code = os.waitstatus_to_exitcode(status)
    if code:
        print(stdout[-3000:], stderr[-5000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(command[:4])} failed ({code})")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_gb": round(usage.ru_maxrss / 1024**2, 2),
        "stdout": stdout.strip()[-2000:],
    }


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure(label: str, args, database_url: str | None) -> dict:
    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-tracking-") as scratch:
        data_dir = keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bangfu.settings",
               "BANGFU_ALLOWED_HOSTS": "localhost"}  # fmt: skip
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        if database_url:
            env["DATABASE_URL"] = database_url
        me = [sys.executable, __file__, "--people", str(args.people), "--on", args.on]
        marker = data_dir / f"built-{args.people}-{args.on}.json"
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
        scan = [bangfu, "warnings", "-v", "2", "scan", "--on", args.on]
        timed([*me, "--step", "reset"], env)
        load = os.getloadavg()[0]
        first = timed(scan, env)
        first["load_before"] = round(load, 1)
        after_first = json.loads(timed([*me, "--step", "state"], env)["stdout"].splitlines()[-1])
        print(f"{label} · scan from nothing: {json.dumps(first, ensure_ascii=False)}", flush=True)
        print(f"{label} · warnings: {json.dumps(after_first, ensure_ascii=False)}", flush=True)
        load = os.getloadavg()[0]
        second = timed(scan, env)
        second["load_before"] = round(load, 1)
        after_second = json.loads(timed([*me, "--step", "state"], env)["stdout"].splitlines()[-1])
        second["nothing_written"] = after_second == after_first
        print(f"{label} · scan again: {json.dumps(second, ensure_ascii=False)}", flush=True)
        shown = timed([*me, "--step", "pages", "--star", str(world["star"])], env)
        page_times = json.loads(shown["stdout"].splitlines()[-1])
        return {
            "world": world,
            "first": first,
            "second": second,
            "warnings": after_first,
            "pages": page_times,
        }


def markdown(results: dict, args) -> str:
    labels = list(results)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"
    first = " | ".join(f"{r['first']['seconds']} s, {r['first']['peak_rss_gb']} GB" for r in results.values())
    second = " | ".join(
        f"{r['second']['seconds']} s, {'nothing written' if r['second']['nothing_written'] else 'WROTE'}"
        for r in results.values()
    )
    opened = " | ".join(f"{sum(r['warnings']['open_by_kind'].values()):,}" for r in results.values())
    rows = [
        f"| `bangfu warnings scan` from nothing | {first} | ≤ 60 s, ≤ 4 GB |",
        f"| again, nothing changed | {second} | ≤ 20 s, nothing written |",
        f"| open warnings after the scan | {opened} | |",
    ]
    names = list(next(iter(results.values()))["pages"])
    for name in names:
        cells = " | ".join(
            "{} / {} ms".format(*r["pages"][name]) if name in r["pages"] else "—" for r in results.values()
        )
        rows.append(f"| {name} (median / max) | {cells} | < 200 ms |")
    world = next(iter(results.values()))["world"]
    return (
        f"\n### {dt.date.today()}: {world['people']:,} people, {world['laborers']:,} laborers, "
        f"{world['households']:,} households, {world['records']:,} records, {world['visits']:,} visits\n\n"
        f"`python bench/tracking.py --people {args.people}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}.\n\n"
        + head
        + "\n".join(rows)
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    parser.add_argument("--append-docs", action="store_true", help="append the result to docs/benchmarks.md")
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    parser.add_argument("--on", default=today, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=("build", "state", "pages", "reset"), help=argparse.SUPPRESS)
    parser.add_argument("--star", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
        return 0
    if args.step == "reset":
        print(json.dumps(reset()))
        return 0
    if args.step == "state":
        print(json.dumps(state(), ensure_ascii=False))
        return 0
    if args.step == "pages":
        print(json.dumps(pages(args), ensure_ascii=False))
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
