# ruff: noqa: E501  (the timed script is kept as one readable block)
"""Benchmark: the 三线 table (三线统计) and its lists over a province, the receiving area's list, and the
person page with 50 records and visits, on embedded SQLite (and PostgreSQL with --postgres URL).

Run: .venv/bin/python bench/lines.py [--people 4000000] [--postgres postgres://…/bangfu_bench_lines]
Builds the data with plain tuple inserts (not the imports): Hunan's areas, --people people over every
village of Hunan in households of three (all of working age and able, so all laborers), about 0.75
employment records a person (in the county, elsewhere in Hunan with a work village, outside the province
without one; a quarter ended, some with 离职原因 返乡, some started this month) and 0.5 follow-up visits a
person (some 返乡 this month). Then times, 5 runs each after one warm-up, by the Django test client
in-process (template rendering included): the table for the province, a city and a county user, the list
behind a number, the export, the receiving list of a county where 1 % of the records work, and the page
of a person with 50 records and 50 visits.
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
from bangfu.tracking.models import Visit

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
RECEIVING = "433124"  # 花垣县: 1 % of the records work in its villages
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
def visits():
    now = timezone.now()
    for pid, home in ids:
        if pid % 2:
            continue
        day = today - dt.timedelta(days=rng.randrange(0, 400))
        result = "返乡" if rng.random() < 0.05 else rng.choice(["在岗", "在岗", "已离职", "不愿就业", "联系不上"])
        yield (pid, home, day, "电话", result, "", "手工", now, now)
with transaction.atomic():
    n_vis = insert(Visit, ["person", "area", "visited_on", "method", "result", "note", "source", "created_at",
                           "updated_at"], visits())
# One person with a long history: 50 records and 50 visits.
long_id, long_area = ids[len(ids) // 2]
with transaction.atomic():
    for i in range(50):
        start = dt.date(2015, 1, 1) + dt.timedelta(days=40 * i)
        EmploymentRecord.objects.create(person_id=long_id, area_id=long_area, employer_name=f"长历史单位{i}",
                                        place="县内", started_on=start, ended_on=start + dt.timedelta(days=30))
        Visit.objects.create(person_id=long_id, area_id=long_area, visited_on=start + dt.timedelta(days=3),
                             method="微信", result="在岗")
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("ANALYZE")
print(f"rows\t{len(ids)} people\t{n_rec} records\t{n_vis} visits\t{time.perf_counter() - started:.0f} s", flush=True)

def timed(user_area, urls):
    user = create_staff_user(None, username=f"b{user_area}", password="bench-pass-2026",
                             area=Area.objects.get(code=user_area.ljust(12, "0")), can_manage_users=True,
                             can_view_sensitive=True, must_change_password=False, validate=False)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    for label, url in urls:
        client.get(url)
        times = []
        for _ in range(5):
            t = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label}\t{statistics.median(times):.0f}\t{max(times):.0f}", flush=True)

timed("43", [("省级：三线统计（14 个市州）", "/tracking/lines/"),
             ("省级：县内务工名单第 1 页", "/tracking/lines/people/?figure=county"),
             ("省级：零就业户名单第 1 页", "/tracking/lines/people/?figure=zero_households"),
             ("省级：本月返乡名单第 1 页", "/tracking/lines/people/?figure=returned"),
             ("省级：导出三线统计 xlsx", "/tracking/lines/export/")])
timed("4331", [("市级：三线统计（湘西州各县）", "/tracking/lines/")])
timed(RECEIVING, [("县级：三线统计（花垣县各乡镇）", "/tracking/lines/"),
                  ("县级：输入地务工人员第 1 页", "/tracking/receiving/")])
timed(long_area[:6], [("人员页面（50 条就业记录、50 次回访）", f"/registry/people/{long_id}/")])
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
            script = Path(data_dir) / "bench_lines.py"
            script.write_text(SCRIPT)
            subprocess.run([sys.executable, str(script), str(args.people)], env=env, check=True)


if __name__ == "__main__":
    main()
