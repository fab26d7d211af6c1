"""Benchmark the statistics (EXCHANGE §8 figures, bangfu/stats) at province scale, on SQLite and PostgreSQL:
every figure for every area at every level as of a day from nothing, the capture that keeps them, and the
province user's 工作台 and statistics page.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/stats.py [--people 4000000]
         [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_figures] [--skip-sqlite] [--keep DIR]

1. Build (a child process, not timed): bench/tracking.py's generated province (imported, not copied:
   --people people, 0.3 × people households, 0.75 × people employment records, 0.5 × people visits, seed 7),
   then 就业意愿 是 for every other person and channel 公益性岗位 for 2 % of the records.
2. From nothing (a fresh child process; no kept figures): `figures.compute` as of today for the whole
   province, then every area of every level (province, cities, counties, townships, villages) summed from
   it — goal ≤ 30 s. Timed inside (compute, roll-up) and whole from outside (Django's start included).
3. The capture that keeps today's figures (`store.capture`, what the background refresh runs).
4. Pages (Django test client in-process, templates rendered; median and max of 5 after one warm-up), with
   today's figures kept as a running worker keeps them: the province user's 工作台, statistics page and
   API, a county's statistics page, a village user's 工作台 — goal < 300 ms for the province's two pages.
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

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import tracking  # noqa: E402  (bench/tracking.py: the province's generator, the child-process timer)


def build(args) -> dict:
    world = tracking.build(args)
    import polars as pl
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.employment.models import EmploymentRecord
    from bangfu.posts.models import Post, Spell
    from bangfu.registry.models import Person

    with transaction.atomic(), connection.cursor() as cursor:
        true = "TRUE" if connection.vendor == "postgresql" else "1"
        false = "FALSE" if connection.vendor == "postgresql" else "0"
        cursor.execute(
            f"UPDATE registry_person SET wants_work = CASE WHEN id % 2 = 0 THEN {true} ELSE {false} END"
        )
        # 2 % of the records are public-welfare posts: the channel, and a post of the person's village with
        # the record's spell (公益性岗位在岗人数 counts spells in force, bangfu/posts).
        cursor.execute("UPDATE employment_employmentrecord SET channel = '公益性岗位' WHERE id % 50 = 7")
        cursor.execute(
            "SELECT id, person_id, area_id, started_on, ended_on FROM employment_employmentrecord"
            " WHERE id % 50 = 7 ORDER BY id"
        )
        held = pl.DataFrame(
            cursor.fetchall(),
            schema=["record", "person", "area", "started_on", "ended_on"],
            orient="row",
        ).with_columns(pl.col("started_on", "ended_on").cast(pl.Date))
        now = timezone.now()
        n = held.height
        posts = held.select(
            pl.int_range(1, n + 1, dtype=pl.Int64).alias("id"),
            "area",
            pl.col("area").str.slice(0, 6).alias("county_code"),
            (pl.lit("GY") + pl.col("record").cast(pl.String).str.zfill(8)).alias("number"),
            pl.lit("乡村公益性岗位").alias("kind"),
            pl.lit("保洁员").alias("title"),
            pl.col("started_on").alias("opened_on"),
        )
        spells = held.select(
            pl.int_range(1, n + 1, dtype=pl.Int64).alias("post"), "person", "area", "started_on",
            "ended_on", "record",
        )  # fmt: skip
        with indexes_built_after(Post):
            insert_frame(
                Post, posts, {"duties": "", "host_unit": "村委会", "created_at": now, "updated_at": now}
            )
        with indexes_built_after(Spell):
            insert_frame(Spell, spells, {"created_at": now, "updated_at": now})
    refresh_statistics(Person, EmploymentRecord, Post, Spell)
    world["welfare_post_spells"] = n
    return world


def from_nothing(args) -> dict:
    tracking._django()
    from bangfu.areas.models import Area
    from bangfu.stats import figures
    from bangfu.stats.models import CapturedDay, DailyFigures

    DailyFigures.objects.all().delete()
    CapturedDay.objects.all().delete()
    on = dt.date.fromisoformat(args.on)
    started = time.perf_counter()
    counts = figures.compute(on)
    computed = time.perf_counter() - started
    areas = list(Area.objects.filter(code__startswith="43").current())
    totals = figures.roll_up(counts, areas)
    rolled = time.perf_counter() - started - computed
    province = totals["430000000000"]
    return {
        "compute_s": round(computed, 1),
        "roll_up_s": round(rolled, 1),
        "areas": len(totals),
        "villages_with_people": len(counts),
        "province": province,
    }


def capture(args) -> dict:
    tracking._django()
    from bangfu.stats.store import capture

    kept = capture(dt.date.fromisoformat(args.on))
    return {"seconds": kept.seconds, "villages": kept.villages}


def pages(args) -> dict:
    tracking._django()
    import statistics

    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

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

    county = User.objects.get(username="b_county").area.code
    timed("b_province", "省级：工作台", reverse("dashboard:home"))
    timed("b_province", "省级：统计页", reverse("stats:index"))
    timed("b_province", "省级：统计页，按劳动力人数排序", reverse("stats:index") + "?sort=laborers&dir=desc")
    timed("b_province", "接口：/api/v1/stats/", reverse("stats-table"))
    timed("b_county", "县级：统计页", reverse("stats:index") + f"?area={county}")
    timed("b_village", "村级：工作台", reverse("dashboard:home"))
    return results


def measure(label: str, args, database_url: str | None) -> dict:
    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-stats-") as scratch:
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
                tracking.recreate_postgres(database_url)
            for old in data_dir.glob("bangfu.sqlite3*"):
                old.unlink()
            built = tracking.timed([*me, "--step", "build"], env)
            world = json.loads(built["stdout"].splitlines()[-1])
            print(
                f"\n{label}: built in {built['seconds']} s: {json.dumps(world, ensure_ascii=False)}",
                flush=True,
            )
            if keep:
                marker.write_text(json.dumps(world))
        else:
            world = json.loads(marker.read_text())
            # A kept database meets the code as it is now: apps added since it was built get their tables.
            bangfu = str(Path(sys.executable).with_name("bangfu"))
            subprocess.run([bangfu, "migrate", "-v", "0"], env=env, check=True)
        load = os.getloadavg()[0]
        nothing = tracking.timed([*me, "--step", "nothing"], env)
        inside = json.loads(nothing["stdout"].splitlines()[-1])
        print(
            f"{label} · from nothing: {nothing['seconds']} s whole, {json.dumps(inside, ensure_ascii=False)}"
        )
        kept = tracking.timed([*me, "--step", "capture"], env)
        kept_inside = json.loads(kept["stdout"].splitlines()[-1])
        print(f"{label} · capture: {json.dumps(kept_inside)}", flush=True)
        shown = tracking.timed([*me, "--step", "pages"], env)
        return {
            "world": world,
            "load_before": round(load, 1),
            "nothing": {**inside, "whole_s": nothing["seconds"], "peak_rss_gb": nothing["peak_rss_gb"]},
            "capture": kept_inside,
            "pages": json.loads(shown["stdout"].splitlines()[-1]),
        }


def markdown(results: dict, args) -> str:
    labels = list(results)
    head = "| | " + " | ".join(labels) + " | goal |\n|---|" + "---|" * len(labels) + "---|\n"
    rows = [
        "| every figure, every area of every level, from nothing (whole process / compute + roll-up) | "
        + " | ".join(
            f"{r['nothing']['whole_s']} s / {r['nothing']['compute_s']} + {r['nothing']['roll_up_s']} s, "
            f"{r['nothing']['peak_rss_gb']} GB"
            for r in results.values()
        )
        + " | ≤ 30 s |",
        "| keeping today's figures (`store.capture`) | "
        + " | ".join(
            f"{r['capture']['seconds']} s, {r['capture']['villages']:,} villages" for r in results.values()
        )
        + " | |",
    ]
    for name in next(iter(results.values()))["pages"]:
        cells = " | ".join("{} / {} ms".format(*r["pages"][name]) for r in results.values())
        goal = "< 300 ms" if name.startswith("省级") else ""
        rows.append(f"| {name} (median / max) | {cells} | {goal} |")
    world = next(iter(results.values()))["world"]
    province = next(iter(results.values()))["nothing"]["province"]
    return (
        f"\n### {dt.date.today()}: {world['people']:,} people, {world['laborers']:,} laborers, "
        f"{world['households']:,} households, {world['records']:,} records\n\n"
        f"`python bench/stats.py --people {args.people}"
        + (" --postgres …" if args.postgres else "")
        + f"` on {platform.node()}, {os.cpu_count()} cores, load average before "
        + ", ".join(f"{k} {r['load_before']}" for k, r in results.items())
        + ".\n\n"
        + head
        + "\n".join(rows)
        + "\n\nThe province's figures: "
        + "，".join(f"{k} {v:,}" for k, v in province.items())
        + "\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--keep", help="keep the built databases in this folder and reuse them")
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    parser.add_argument("--on", default=today, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=("build", "nothing", "capture", "pages"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    steps = {"build": build, "nothing": from_nothing, "capture": capture, "pages": pages}
    if args.step:
        print(json.dumps(steps[args.step](args), ensure_ascii=False))
        return 0
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{dt.datetime.now():%Y-%m-%d %H:%M} · load average {os.getloadavg()}")  # fmt: skip
    results = {}
    if not args.skip_sqlite:
        results["SQLite"] = measure("SQLite", args, None)
    if args.postgres:
        results["PostgreSQL"] = measure("PostgreSQL", args, args.postgres)
    print(markdown(results, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
