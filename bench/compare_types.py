"""Benchmark `bangfu compare` for every source type beside plain Splink on DuckDB, in the same run.

Run: .venv/bin/python bench/compare_types.py --registry 1000000 --source 1200000
     [--types employment death …] [--postgres postgresql://postgres@127.0.0.1:5432/bangfu_bench]
     [--skip-sqlite] [--skip-plain]

Per source type (EXCHANGE.md §3), one department file of `--source` rows against a registry of
`--registry` people (`bench/make_compare_data.py`: the same rows, people and damage in every type's file,
each file with its type's columns; the truth known), measured one after the other in child processes of
this one, so that each peak memory is that process's alone:

- **ours**: the real `bangfu compare TYPE FILE --area 43 --out DIR` (`bench/compare_app.py`'s run step)
  against the registry held in the app's database (SQLite, the embedded default, and PostgreSQL with
  `--postgres`), from the call to its return: reading and checking the file, extracting the registry,
  linkage, judging, every finding recorded and results.csv written. Scored from results.csv.
- **plain Splink**: Splink 5 on DuckDB as a competent engineer would set it up for the file's columns
  (`bench/compare.py` run_plain: the same normalised features, our pinyin and ID cleaning included, ID
  equality as one more blocking rule; λ from the ID rule, u by random sampling, m by EM), from reading the
  CSV and the registry's snapshot (registry.parquet: plain Splink is given the extraction for free) to
  each row's best link at p ≥ 0.9. Scored from its links.

Precision and recall over every row of the file: a row's link is right when it is the true person (rows
of people outside the registry should link to nobody). The registry is built once per database (not
timed; kept in WORKDIR/sqlite and in the PostgreSQL database between runs of this script); the findings
of the previous run are removed before each run. Results: printed, and WORKDIR/results-TIME.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

from make_compare_data import TYPES, source_file, write  # noqa: E402


def _env(database: str, workdir: Path) -> dict:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
    env.pop("BANGFU_DEBUG", None)
    env.pop("DATABASE_URL", None)
    if database == "sqlite":
        env["BANGFU_DATA_DIR"] = str(workdir / "sqlite")
    else:
        env["BANGFU_DATA_DIR"] = str(workdir / "postgres-files")
        env["DATABASE_URL"] = database
    return env


def _child(args: list[str], env: dict | None = None) -> dict:
    done = subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-6000:], file=sys.stderr)
        raise SystemExit(f"{args[:3]} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def build(database: str, workdir: Path) -> None:
    """The registry in the app's database, once: a marker file says it is there."""
    marker = workdir / ("built-sqlite.json" if database == "sqlite" else "built-postgres.json")
    if marker.exists() and json.loads(marker.read_text()).get("database") == database:
        return
    from compare_app import recreate_postgres

    if database != "sqlite":
        recreate_postgres(database)
    env = _env(database, workdir)
    Path(env["BANGFU_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    built = _child([str(BENCH / "compare_app.py"), "--step", "build", "--workdir", str(workdir),
                    "--out", str(workdir / "out")], env)  # fmt: skip
    print(f"{database}: built {built['people']:,} people in {built['households']:,} households "
          f"({built['seconds']})", flush=True)  # fmt: skip
    marker.write_text(json.dumps({"database": database, **built}))


def ours(database: str, workdir: Path, source_type: str) -> dict:
    from compare_app import evaluate

    out = workdir / f"out-{source_type}-{'sqlite' if database == 'sqlite' else 'postgres'}"
    result = _child([__file__, "--step", "ours", "--type", source_type, "--workdir", str(workdir),
                     "--out", str(out)], _env(database, workdir))  # fmt: skip
    result.update(evaluate(workdir, out))
    return result


def plain(workdir: Path, source_type: str, threads: int) -> dict:
    from compare import evaluate

    result = _child([__file__, "--step", "plain", "--type", source_type, "--workdir", str(workdir),
                     "--threads", str(threads)])  # fmt: skip
    result.update(evaluate(workdir, f"plain-{source_type}"))
    return result


def run_ours(workdir: Path, out: Path, source_type: str) -> dict:
    """Child: the database migrated to the code's models and the findings of earlier runs removed (not
    timed), then the command (compare_app's run)."""
    import resource

    from compare_app import _django, run_with_phases

    _django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)

    from bangfu.compare.models import ComparisonRun, FillPerson, Finding

    FillPerson.objects.all()._raw_delete(FillPerson.objects.db)
    Finding.objects.all()._raw_delete(Finding.objects.db)
    ComparisonRun.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    connection.close()
    result = run_with_phases(workdir, out, source_type, source_file(workdir, source_type))
    result["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2)
    return result


def run_plain(workdir: Path, source_type: str, threads: int) -> dict:
    import resource

    import compare

    result = compare.run_plain(
        workdir, threads, None, source_file(workdir, source_type), links=f"links-plain-{source_type}"
    )
    usage = resource.getrusage(resource.RUSAGE_SELF)
    result["peak_rss_gb"] = round(usage.ru_maxrss / 1024**2, 2)
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 1)  # the process's, as ours
    return result


KEYS = ("seconds", "peak_rss_gb", "precision", "recall")


def table(results: dict) -> str:
    lines = []
    for source_type, by_method in results.items():
        lines.append(f"\n{source_type}")
        lines.append("  method                      wall s    CPU s   peak GB   precision   recall")
        for method, r in by_method.items():
            cpu = r.get("cpu_seconds") or 0
            lines.append(f"  {method:<26}{r['seconds']:8.1f}{cpu:9.1f}{r['peak_rss_gb']:10.2f}"
                         f"{r['precision']:12.6f}{r['recall']:10.6f}")  # fmt: skip
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, default=1_000_000)
    parser.add_argument("--source", type=int, default=1_200_000)
    parser.add_argument("--workdir", help="data, databases, outputs; default /tmp/bangfu-compare-types-R-S")
    parser.add_argument("--types", nargs="+", choices=TYPES, default=TYPES)
    parser.add_argument("--postgres", help="also on this PostgreSQL database (created once, then kept)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--threads", type=int, default=2, help="plain Splink's DuckDB threads")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--step", choices=("ours", "plain"), help=argparse.SUPPRESS)
    parser.add_argument("--type", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or f"/tmp/bangfu-compare-types-{args.registry}-{args.source}")

    if args.step:  # child process: JSON on the last line of stdout
        if args.step == "ours":
            result = run_ours(workdir, Path(args.out), args.type)
        else:
            result = run_plain(workdir, args.type, args.threads)
        print(json.dumps(result, ensure_ascii=False))
        return 0

    now = dt.datetime.now(dt.UTC)
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{now:%Y-%m-%d %H:%M} UTC · load average {os.getloadavg()}", flush=True)  # fmt: skip
    if not all(source_file(workdir, t).exists() for t in TYPES) or not (workdir / "truth.parquet").exists():
        write(workdir, args.registry, args.source, args.seed, 0.03, TYPES)
    databases = ([] if args.skip_sqlite else ["sqlite"]) + ([args.postgres] if args.postgres else [])
    for database in databases:
        build(database, workdir)
    results: dict = {}
    for source_type in args.types:
        results[source_type] = {}
        for database in databases:
            label = f"ours, {'SQLite' if database == 'sqlite' else 'PostgreSQL'}"
            load = os.getloadavg()[0]
            results[source_type][label] = ours(database, workdir, source_type) | {"load_before": load}
            print(source_type, label, json.dumps(results[source_type][label], ensure_ascii=False), flush=True)
        if not args.skip_plain:
            load = os.getloadavg()[0]
            done = plain(workdir, source_type, args.threads)
            results[source_type]["plain Splink"] = done | {"load_before": load}
            print(source_type, "plain", json.dumps(results[source_type]["plain Splink"], ensure_ascii=False),
                  flush=True)  # fmt: skip
    print(table(results))
    print(f"load average after: {os.getloadavg()}")
    (workdir / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
