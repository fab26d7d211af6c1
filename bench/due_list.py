# ruff: noqa: E501  (the timed script is kept as one readable block)
"""Benchmark: the 待回访 (follow-up due) list of a village, a township and a county's village, over a county
of --people registry members, on embedded SQLite (and PostgreSQL with --postgres URL). Goal: < 200 ms for a
village (issue 16).

Run: .venv/bin/python bench/due_list.py [--people 300000] [--villages N] [--postgres postgres://…/bangfu_bench_due]
(--villages 20 with --people 30000 gives villages of 1,500 people, a large village, at a tenth of the work.)
Builds the data with plain tuple inserts: 湘西州's areas; --people members in the villages of 花垣县
(registered over the last three years; about 80 % laborers by age and skill), a visit or two for three in
four of them over the last two years (the rest never visited), and a record in force for two in five.
Then times page 1 of `tracking:due` as a village user, as a township and a county user choosing that
village (and the township's page offering its villages), and the visit form of one person, 5 runs each
after one warm-up, by the Django test client in-process (template rendering included); and prints how many are due.
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
from bangfu.tracking import due
from bangfu.tracking.models import Visit

PEOPLE = int(sys.argv[1])
VILLAGES = int(sys.argv[2])  # 0: every village of the county


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
load_areas(within=("4331",))
rng = random.Random(7)
villages = list(Area.objects.filter(level=Level.VILLAGE, code__startswith="433124").order_by("code").values_list("code", flat=True))
villages = villages[:VILLAGES] if VILLAGES else villages
today = timezone.localdate()
now = timezone.now()
started = time.perf_counter()
households = PEOPLE // 3 + 1
with transaction.atomic():
    insert(Household, ["number", "area", "created_at", "updated_at"],
           ((f"H{i:08d}", villages[i % len(villages)], now, now) for i in range(households)))
first_household = Household.objects.order_by("id").values_list("id", flat=True).first()
def people():
    for i in range(PEOPLE):
        h = i // 3
        registered = now - dt.timedelta(days=rng.randrange(3 * 365), hours=rng.randrange(24))
        skill = "普通劳动力" if i % 10 < 9 else "无劳动力"
        yield (f"{i:018d}", f"{i:018d}"[::-1], f"人{i}", "r", "男" if i % 2 else "女",
               dt.date(1960 + i % 50, 1 + i % 12, 1 + i % 28), first_household + h, "户主" if i % 3 == 0 else "之子",
               villages[h % len(villages)], skill, "", "139" + f"{i:08d}", f"{i:08d}"[::-1] + "931",
               "ren", False, registered, now)
with transaction.atomic():
    insert(Person, ["id_number", "id_reversed", "name", "name_initials", "sex", "birth_date", "household",
                    "relation", "area", "labor_skill", "employment_status", "phone", "phone_reversed",
                    "name_pinyin", "is_deceased", "created_at", "updated_at"], people())
ids = list(Person.objects.order_by("id").values_list("id", "area_id"))
methods, results = ["电话", "微信", "上门", "窗口"], ["在岗", "不愿就业", "联系不上", "返乡", "已离职"]
def visits():
    for pid, area in ids:
        if pid % 4 == 0:
            continue  # never visited
        for k in range(1 + pid % 2):
            day = today - dt.timedelta(days=rng.randrange(730))
            yield (pid, area, day, methods[k], results[pid % 5], "", "手工", now, now)
with transaction.atomic():
    n_visits = insert(Visit, ["person", "area", "visited_on", "method", "result", "note", "source", "created_at", "updated_at"], visits())
def records():
    for pid, area in ids:
        if pid % 5 < 2:
            yield (pid, area, "某厂", "省外", today - dt.timedelta(days=rng.randrange(30, 900)), None, "manual", now, now)
with transaction.atomic():
    n_records = insert(EmploymentRecord, ["person", "area", "employer_name", "place", "started_on", "ended_on", "source", "created_at", "updated_at"], records())
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("ANALYZE")
print(f"data\t{time.perf_counter() - started:.0f} s\t{len(ids)} people\t{n_visits} visits\t{n_records} records\t{len(villages)} villages", flush=True)

village = Area.objects.get(code=villages[len(villages) // 2])
township = village.parent
in_village = Person.objects.for_area(village)
print(f"village {village.name}\t{in_village.count()} people\t{due.due(in_village).count()} due", flush=True)
someone = due.due(in_village).first()

def timed(area, urls):
    user = create_staff_user(None, username=f"b{area.code}", password="bench-pass-2026", area=area,
                             can_manage_users=False, can_view_sensitive=True, must_change_password=False,
                             validate=False)
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
        print(f"{label}\t{statistics.median(times):.0f} ms\t(max {max(times):.0f})", flush=True)

timed(village, [("村级：待回访第 1 页", "/tracking/due/"),
                ("村级：待回访第 1 页（未就业）", "/tracking/due/?work=0"),
                ("村级：回访表单", f"/tracking/people/{someone.pk}/visit/")])
timed(township, [("乡镇级：选村（待回访按村列出）", "/tracking/due/"),
                 ("乡镇级：选定一个村的待回访第 1 页", f"/tracking/due/?area={village.code}")])
timed(Area.objects.get(code="433124000000"), [("县级：选定一个村的待回访第 1 页", f"/tracking/due/?area={village.code}")])
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=300_000)
    parser.add_argument(
        "--villages", type=int, default=0, help="spread the people over this many villages (default: all)"
    )
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
            script = Path(data_dir) / "bench_due.py"
            script.write_text(SCRIPT)
            subprocess.run(
                [sys.executable, str(script), str(args.people), str(args.villages)], env=env, check=True
            )


if __name__ == "__main__":
    main()
