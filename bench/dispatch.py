# ruff: noqa: E501  (the timed script is kept as one readable block)
"""Benchmark: a monthly dispatch round (调度) of a province — every city's figures and target progress frozen
as of last month's last day, ranked, the bulletin's .xlsx and PDF written — on embedded SQLite (and
PostgreSQL with --postgres URL). Goal (issue 17): ≤ 60 s for a province of 4,000,000 people and 3,000,000
records.

Run (one benchmark at a time): flock /tmp/bangfu-bench.lock .venv/bin/python bench/dispatch.py
[--people 4000000] [--postgres postgres://…/bangfu_bench_targets] [--skip-sqlite]
Builds the world as bench/lines.py does (plain tuple inserts: Hunan's areas, --people people in households
of three, about 0.75 employment records a person, a quarter ended), sets the province's 务工人数 target with
monthly targets, splits it among the 14 cities and one city's among its counties, then times the province's
round and that city's round (both from nothing: no kept figures); then the nightly capture of the month
before's last day and the province's round of that month read from it; and the bulletin's page and PDF.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

SCRIPT = r"""
import datetime as dt, os, random, statistics, sys, time
import django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from bangfu.accounts.actions import create_staff_user
from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area, Level
from bangfu.core.bulk import insert_rows
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Household, Person
from bangfu.dispatch.models import DispatchRound
from bangfu.targets.models import Target

PEOPLE = int(sys.argv[1])


def insert(model, fields, rows):
    # insert_rows with every other column at its default (empty text, NULL where allowed).
    import json
    from django.db.models.fields import NOT_PROVIDED
    rest = [f for f in model._meta.concrete_fields if not f.primary_key and f.name not in fields
            and f.attname not in fields and f.db_default is NOT_PROVIDED]
    defaults = []
    for f in rest:
        value = f.get_default()
        defaults.append(json.dumps(value) if f.get_internal_type() == "JSONField" else value)
    names = list(fields) + [f.name for f in rest]
    return insert_rows(model, names, (tuple(row) + tuple(defaults) for row in rows))

call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
load_areas(province="43")
rng = random.Random(7)
villages = list(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").order_by("code").values_list("code", flat=True))
RECEIVING = "433124"
receiving_villages = [v for v in villages if v.startswith(RECEIVING)]
today = timezone.localdate()
month_start = today.replace(day=1)
started = time.perf_counter()
households = PEOPLE // 3 + 1
with transaction.atomic():
    insert(Household, ["number", "area", "created_at", "updated_at"],
           ((f"H{i:08d}", villages[i % len(villages)], timezone.now(), timezone.now()) for i in range(households)))
first_household = Household.objects.order_by("id").values_list("id", flat=True).first()
def people():
    now = timezone.now()
    for i in range(PEOPLE):
        h = i // 3
        yield (f"{i:018d}", f"{i:018d}"[::-1], f"人{i}", "r", "男" if i % 2 else "女",
               dt.date(1965 + i % 40, 1 + i % 12, 1 + i % 28), first_household + h, "户主" if i % 3 == 0 else "之子",
               villages[h % len(villages)], "普通劳动力", "", "", "", "ren", False, now, now)
with transaction.atomic():
    insert(Person, ["id_number", "id_reversed", "name", "name_initials", "sex", "birth_date", "household",
                    "relation", "area", "labor_skill", "employment_status", "phone", "phone_reversed",
                    "name_pinyin", "is_deceased", "created_at", "updated_at"], people())
ids = list(Person.objects.order_by("id").values_list("id", "area_id"))
print(f"people\t{time.perf_counter() - started:.0f} s", flush=True)

def records():
    now = timezone.now()
    for pid, home in ids:
        r = rng.random()
        if r >= 0.75:
            continue
        kind = rng.random()
        if kind < 0.01:
            place, work = "省内县外", rng.choice(receiving_villages)
        elif kind < 0.4:
            place, work = "县内", home
        elif kind < 0.7:
            place, work = "省内县外", rng.choice(villages)
        else:
            place, work = "省外", None
        if place == "省内县外" and work[:6] == home[:6]:
            place = "县内"
        if rng.random() < 0.2:
            start = month_start + dt.timedelta(days=rng.randrange(0, max(1, today.day)))
        else:
            start = today - dt.timedelta(days=rng.randrange(30, 1500))
        end, reason = None, ""
        if rng.random() < 0.25 and start < today - dt.timedelta(days=1):
            end = start + dt.timedelta(days=rng.randrange(0, (today - start).days))
            reason = "返乡" if rng.random() < 0.3 else "合同到期"
        yield (pid, home, f"单位{pid % 5000}", work, place, "自主外出", start, end, reason, "manual", now, now)
with transaction.atomic():
    n_rec = insert(EmploymentRecord, ["person", "area", "employer_name", "work_area", "place", "channel",
                                      "started_on", "ended_on", "end_reason", "source", "created_at", "updated_at"],
                   records())
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("ANALYZE")
print(f"rows\t{len(ids)} people\t{n_rec} records\t{time.perf_counter() - started:.0f} s", flush=True)

from bangfu.dispatch.actions import last_month, publish_round
from bangfu.stats.figures import figure
from bangfu.targets.actions import SplitPart, set_target, split_target

province = Area.objects.get(code="430000000000")
cities = list(Area.objects.filter(parent=province).order_by("code"))
year, month = last_month(today)
key = figure("务工人数").key
admin = create_staff_user(None, username="bench43", password="bench-pass-2026", area=province,
                          can_manage_users=True, can_view_sensitive=True, must_change_password=False, validate=False)
goal = PEOPLE // 2
target = set_target(admin, province, year=year, figure=key, value=goal,
                    monthly=[goal * m // 12 for m in range(1, 13)])
split_target(admin, target, [SplitPart(c, goal // len(cities) + 1) for c in cities])
for city in cities[:1]:
    counties = list(Area.objects.filter(parent=city).order_by("code"))
    city_target = Target.objects.get(area=city, year=year, figure=key)
    split_target(admin, city_target, [SplitPart(c, city_target.value // len(counties) + 1) for c in counties])
for label, area in [("省级调度（14 个市州），从零计算", province), (f"市级调度（{cities[0].name}各县），从零计算", cities[0])]:
    t = time.perf_counter()
    round_ = publish_round(admin, area, year=year, month=month, today=today)
    seconds = time.perf_counter() - t
    print(f"{label}\t{seconds:.1f} s\t{round_.entries.count()} rows\txlsx {round_.xlsx.size} B\tpdf {round_.pdf.size} B", flush=True)
# The nightly capture keeps every village's figures of each day as it ends (stats/store.py); a round on the
# rule's day then reads the month's last day from it. Its cost is paid at night: timed apart.
from bangfu.dispatch.actions import month_end
from bangfu.stats.store import capture
earlier_year, earlier_month = last_month(today.replace(day=1) - dt.timedelta(days=1))
t = time.perf_counter()
capture(month_end(earlier_year, earlier_month))
print(f"每晚留存：{month_end(earlier_year, earlier_month)} 全部村的指标\t{time.perf_counter() - t:.1f} s", flush=True)
t = time.perf_counter()
round_ = publish_round(admin, province, year=earlier_year, month=earlier_month, today=today)
print(f"省级调度（14 个市州），读留存的月末指标\t{time.perf_counter() - t:.1f} s\t{round_.entries.count()} rows", flush=True)
client = Client(SERVER_NAME="localhost")
client.force_login(admin)
for label, url in [("通报页面（省级）", f"/dispatch/{round_.pk}/"), ("通报 PDF 下载（省级）", f"/dispatch/{round_.pk}/pdf/")]:
    client.get(url)
    times = []
    for _ in range(5):
        t = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(f"{label}\t{statistics.median(times):.0f} ms", flush=True)
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=4_000_000)
    parser.add_argument("--postgres", help="PostgreSQL URL of a throw-away database (dropped and created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    targets = ([] if args.skip_sqlite else [("SQLite", None)]) + (
        [("PostgreSQL", args.postgres)] if args.postgres else []
    )
    for label, url in targets:
        with tempfile.TemporaryDirectory() as data_dir:
            env = {**os.environ, "BANGFU_DATA_DIR": data_dir, "BANGFU_ALLOWED_HOSTS": "localhost"}
            env.pop("DATABASE_URL", None)
            if url:
                import psycopg

                base, _, name = url.rpartition("/")
                with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                    conn.execute(f'CREATE DATABASE "{name}"')
                env["DATABASE_URL"] = url
            print(f"== {label}", flush=True)
            script = Path(data_dir) / "bench_dispatch.py"
            script.write_text(SCRIPT)
            subprocess.run([sys.executable, str(script), str(args.people)], env=env, check=True)


if __name__ == "__main__":
    main()
