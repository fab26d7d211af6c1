"""Benchmark: `bangfu areas load` for the whole country, on embedded SQLite and on PostgreSQL.

Run: .venv/bin/python bench/areas_load.py [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench]
Each run starts from an empty database, migrates, then times the load command as a user would run it.
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BANGFU = str(Path(sys.executable).with_name("bangfu"))


def run(env, *args):
    return subprocess.run([BANGFU, *args], env=env, check=True, capture_output=True, text=True)


def recreate_postgres(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure(label: str, database_url: str | None) -> tuple[str, float, float, str]:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "BANGFU_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        if database_url:
            recreate_postgres(database_url)
            env["DATABASE_URL"] = database_url
        run(env, "migrate", "-v0")
        started = time.perf_counter()
        first = run(env, "areas", "load")
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        run(env, "areas", "load")  # a re-run updates in place
        again_seconds = time.perf_counter() - started
        return label, first_seconds, again_seconds, first.stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/bangfu_bench")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    results = [measure("SQLite (WAL)", None)]
    if not args.skip_postgres:
        results.append(measure("PostgreSQL 15", args.postgres))
    cpu = platform.processor() or platform.machine()
    print(f"{platform.node()} · {os.cpu_count()} cores · {cpu} · Python {platform.python_version()}")
    for label, first, again, output in results:
        print(f"{label}: first load {first:.1f} s, re-run {again:.1f} s — {output}")


if __name__ == "__main__":
    main()
