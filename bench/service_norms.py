# ruff: noqa: E501  (the timed script is kept as one readable block)
"""Benchmark: the 服务达标 (311 service norms) page over a 1,000,000-person registry, on embedded SQLite
(and PostgreSQL with --postgres URL).

Run: .venv/bin/python bench/service_norms.py [--people 1000000] [--postgres postgres://…/bangfu_bench_norms]
Builds the data with plain tuple inserts (not the import, which bench/registry.py measures): Hunan's areas,
--people laborers spread over every village of Hunan (40 % of them wanting work), 600,000 referrals this
year for a third of them (1–4 each), and guidance and training records for a quarter. Then times the norm
table for the province, a city and a county user, the list of who is behind, and the export, 5 runs each
after one warm-up, by the Django test client in-process (template rendering included).
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
from bangfu.employers.models import Employer
from bangfu.jobs.models import Job
from bangfu.referrals.models import Referral, ServiceRecord
from bangfu.registry.models import Household, Person

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
villages = list(Area.objects.filter(level=Level.VILLAGE, code__startswith="43").values_list("code", flat=True))
started = time.perf_counter()
households = PEOPLE // 3 + 1
with transaction.atomic():
    insert(Household, ["number", "area", "created_at", "updated_at"],
                ((f"H{i:08d}", villages[i % len(villages)], timezone.now(), timezone.now()) for i in range(households)))
first_household = Household.objects.order_by("id").values_list("id", flat=True).first()
statuses = ["未务工", "未务工", "省外务工", "县内务工", "省内县外务工"]
def people():
    now = timezone.now()
    for i in range(PEOPLE):
        h = i // 3
        yield (f"{i:018d}", f"{i:018d}"[::-1], f"人{i}", "r", "男" if i % 2 else "女",
               dt.date(1970 + i % 40, 1 + i % 12, 1 + i % 28), first_household + h, "户主" if i % 3 == 0 else "之子",
               villages[h % len(villages)], "普通劳动力", statuses[i % 5], "", "", "ren", False, now, now)
with transaction.atomic():
    insert(Person, ["id_number", "id_reversed", "name", "name_initials", "sex", "birth_date", "household",
                         "relation", "area", "labor_skill", "employment_status", "phone", "phone_reversed",
                         "name_pinyin", "is_deceased",
                         "created_at", "updated_at"], people())
employer = Employer.objects.create(credit_code="91440112000000001X", name="基准测试厂", area_id="440000000000"
                                   if Area.objects.filter(code="440000000000").exists() else villages[0])
jobs = [Job.objects.create(employer=employer, number=f"B{i}", title=f"岗位{i}", openings=10**6, openings_left=10**6,
                           area_id=villages[i]) for i in range(4)]
ids = list(Person.objects.order_by("id").values_list("id", "area_id"))
print(f"data\t{time.perf_counter() - started:.0f}", flush=True)
now = timezone.now()
def referrals():
    for pid, area in ids[: len(ids) // 3 * 1]:
        for j in range(1 + pid % 4):
            yield (pid, jobs[j].pk, area, "已通知", "[]", False, now, now)
with transaction.atomic():
    n_ref = insert(Referral, ["person", "job", "area", "status", "reasons", "auto", "created_at", "updated_at"],
                        referrals())
today = timezone.localdate()
def services():
    for pid, area in ids[: len(ids) // 4]:
        yield (pid, area, "职业指导", today, "", now)
        if pid % 2:
            yield (pid, area, "培训信息", today, "", now)
with transaction.atomic():
    n_srv = insert(ServiceRecord, ["person", "area", "kind", "date", "note", "created_at"], services())
if connection.vendor == "postgresql":
    with connection.cursor() as c:
        c.execute("ANALYZE")
print(f"rows\t{Person.objects.count()}\t{n_ref}\t{n_srv}", flush=True)

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

timed("43", [("省级：服务达标（14 个市州）", "/referrals/norms/"),
             ("省级：未达标名单第 1 页", "/referrals/norms/behind/"),
             ("省级：导出服务达标表 xlsx", "/referrals/norms/export/")])
timed("4331", [("市级：服务达标（湘西州各县）", "/referrals/norms/")])
timed("433124", [("县级：服务达标（花垣县各乡镇）", "/referrals/norms/"),
                 ("县级：未达标名单第 1 页", "/referrals/norms/behind/")])
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1_000_000)
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
            script = Path(data_dir) / "bench_norms.py"
            script.write_text(SCRIPT)
            subprocess.run([sys.executable, str(script), str(args.people)], env=env, check=True)


if __name__ == "__main__":
    main()
