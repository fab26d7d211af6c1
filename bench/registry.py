"""Benchmark: registry import of a generated 1,000,000-row file, then list and search pages over the
resulting 1,000,000-person registry — on embedded SQLite and on PostgreSQL.

Run: .venv/bin/python bench/registry.py [--people 1000000] [--skip-postgres]
Goals (issue #3): import ≤ 60 s; each list/search page < 200 ms.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BANGFU = str(Path(sys.executable).with_name("bangfu"))
PAGES = [
    ("人员名册（省级用户，第 1 页）", "/registry/people/"),
    ("人员名册第 50 页", "/registry/people/?page=50"),
    ("按户类型+劳动技能筛选", "/registry/people/?household_type=监测户&labor_skill=普通劳动力"),
    ("按年龄段+务工状态筛选", "/registry/people/?min_age=30&max_age=45&employment_status=未务工"),
    ("按子区域筛选（县）", "/registry/people/?area=433124"),
    ("姓名搜索", "/registry/people/?q=龙"),
    ("拼音首字母搜索", "/registry/people/?q=lch"),
    ("证件号码后 4 位搜索", "/registry/people/?q=1234"),
    ("户列表", "/registry/households/"),
    ("接口：人员列表", "/api/v1/people/?q=sxy"),
]


def bangfu(env, *args, check=True):
    return subprocess.run([BANGFU, *args], env=env, check=check, capture_output=True, text=True)


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


PAGE_TIMER = r"""
import os, statistics, sys, time, django
os.environ["DJANGO_SETTINGS_MODULE"] = "bangfu.settings"
django.setup()
from django.test import Client
from bangfu.accounts.actions import create_staff_user
from bangfu.accounts.models import User
from bangfu.areas.models import Area
user = User.objects.filter(username="bench43").first() or create_staff_user(
    None, username="bench43", password="bench-pass-2026", area=Area.objects.get(code="430000000000"),
    can_manage_users=True, can_view_sensitive=True, must_change_password=False, validate=False)
client = Client(SERVER_NAME="localhost")
client.force_login(user)
for label, url in PAGES:
    client.get(url)  # warm the cache once, as a user's second click would
    times = []
    for _ in range(7):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(f"{label}\t{statistics.median(times):.0f}\t{max(times):.0f}")
"""


def measure(label, database_url, data_file, people):
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BANGFU_DATA_DIR": data_dir, "BANGFU_ALLOWED_HOSTS": "localhost"}
        env.pop("DATABASE_URL", None)
        if database_url:
            recreate_postgres(database_url)
            env["DATABASE_URL"] = database_url
        bangfu(env, "migrate", "-v0")
        bangfu(env, "collectstatic", "--noinput", "-v0")
        bangfu(env, "areas", "load", "--province", "43")
        started = time.perf_counter()
        result = bangfu(env, "import", "registry", str(data_file), "--area", "43", check=False)
        seconds = time.perf_counter() - started
        print(f"\n{label}: import of {people:,} rows: {seconds:.1f} s (exit {result.returncode})")
        print("  " + (result.stdout.strip() or result.stderr.strip())[:400])
        code = f"PAGES = {PAGES!r}\n" + PAGE_TIMER
        timing = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
        if timing.returncode:
            print(timing.stderr[-2000:])
        print("  page\tmedian ms\tmax ms")
        for line in timing.stdout.strip().splitlines():
            print("  " + line)
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/bangfu_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--file", help="reuse an existing generated file")
    args = parser.parse_args()
    machine = f"{platform.node()} · {os.cpu_count()} cores · {platform.machine()}"
    print(f"{machine} · Python {platform.python_version()}")
    with tempfile.TemporaryDirectory() as work:
        data_file = Path(args.file) if args.file else Path(work) / f"registry-{args.people}.csv"
        if not args.file:
            started = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    str(HERE / "make_registry_file.py"),
                    "--people",
                    str(args.people),
                    "--out",
                    str(data_file),
                ],
                check=True,
            )
            print(f"generated {data_file.name} in {time.perf_counter() - started:.1f} s")
        if not args.skip_sqlite:
            measure("SQLite (WAL)", None, data_file, args.people)
        if not args.skip_postgres:
            measure("PostgreSQL 15", args.postgres, data_file, args.people)


if __name__ == "__main__":
    main()
