"""Benchmark 数据比对: our linkage (exact ID + Splink on the rest) against plain Splink on every row.

Run: .venv/bin/python bench/compare.py --registry 4000000 --source 5000000 [--workdir DIR] [--only ours]

Generates the data with bench/make_compare_data.py unless DIR already holds it, then runs each method in
a fresh Python process (so that peak memory is that method's alone) and evaluates both against the
truth. Timed "end to end": from the files on disk (registry.parquet, source.csv) to the finished
`links` table in DuckDB: connecting, reading both files, `link()` (or plain Splink's training and
prediction and the choice of each row's best link). Not timed: writing links out for the evaluation.
Peak memory is the process's maximum resident set size (getrusage), DuckDB included.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import duckdb

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from make_compare_data import write  # noqa: E402

THRESHOLD = 0.9


# Where a department's file says someone lives, the first of these its header has (plain Splink and ours
# read the same): 户籍地 of most files, 参保地 of a 社保 file (a 城乡居民养老保险 enrolee's village).
AREA_COLUMNS = ("户籍地区划代码", "参保地区划代码")


def load(con: duckdb.DuckDBPyConnection, workdir: Path, source: Path | None = None) -> None:
    """`registry` from the snapshot, `source` from a department's CSV (default the 社保 file): the
    columns that tell who someone is, every one read as text as a department's file must be, a column the
    file lacks as NULL; row_no is the file's row number."""
    con.execute(f"CREATE TABLE registry AS SELECT * FROM read_parquet('{workdir / 'registry.parquet'}')")
    source = source or workdir / "source.csv"
    header = con.execute(f"SELECT * FROM read_csv('{source}', header = true, all_varchar = true) LIMIT 0")
    found = [d[0] for d in header.description]
    area = next((c for c in AREA_COLUMNS if c in found), None)
    wanted = {"证件号码": "id_number", "姓名": "name", "性别": "sex", "联系电话": "phone"}
    columns = [f'"{zh}" AS {en}' if zh in found else f"NULL::VARCHAR AS {en}" for zh, en in wanted.items()]
    columns.append(f'"{area}" AS area_code' if area else "NULL::VARCHAR AS area_code")
    birth = 'TRY_CAST("出生日期" AS DATE)' if "出生日期" in found else "NULL::DATE"
    con.execute(
        f"""CREATE TABLE source AS
        SELECT CAST(row_number() OVER () + 1 AS BIGINT) AS row_no, {", ".join(columns)},
               {birth} AS birth_date
        FROM read_csv('{source}', header = true, all_varchar = true)"""
    )


def connect(threads: int, memory: str | None) -> duckdb.DuckDBPyConnection:
    config = {"threads": threads} | ({"memory_limit": memory} if memory else {})
    return duckdb.connect(config=config)


def run_ours(workdir: Path, threads: int, memory: str | None) -> dict:
    from bangfu.compare.linkage import link

    started = time.perf_counter()
    con = connect(threads, memory)
    load(con, workdir)
    loaded = time.perf_counter()
    result = link(con, threshold=THRESHOLD)
    seconds = time.perf_counter() - started
    con.execute(f"COPY links TO '{workdir / 'links-ours.parquet'}' (FORMAT parquet)")
    # Rows left to a person (待核实): their candidates, to score whether the right one is listed.
    con.execute(f"COPY link_candidates TO '{workdir / 'candidates-ours.parquet'}' (FORMAT parquet)")
    return {
        "seconds": round(seconds, 1),
        "load_seconds": round(loaded - started, 1),
        "phases": result.timings,
        "counts": {
            "exact": result.exact,
            "fuzzy": result.fuzzy,
            "ambiguous": getattr(result, "ambiguous", 0),
            "none": result.none,
        },
        "shares": result.match_shares,
    }


def run_plain(
    workdir: Path, threads: int, memory: str | None, source: Path | None = None, links: str = "links-plain"
) -> dict:
    """Plain Splink: every source row, ID exact as one more blocking rule and comparison; the usual
    training (λ from the ID rule, u by random sampling, m by EM on two blocking rules)."""
    import logging

    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    from bangfu.compare.linkage import model
    from bangfu.compare.linkage.idsql import id_normalisation_sql
    from bangfu.compare.linkage.pinyin import add_char_table, name_pinyin_sql
    from bangfu.compare.linkage.pipeline import registry_features_sql, source_features_sql

    started = time.perf_counter()
    con = connect(threads, memory)
    con.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")
    con.execute("SET enable_progress_bar = false")
    load(con, workdir, source)
    loaded = time.perf_counter()
    con.execute(
        "CREATE TEMP TABLE _lk_ids AS "
        + id_normalisation_sql(
            "(SELECT row_no, id_number, name, birth_date FROM source)", key="row_no, name, birth_date"
        )
    )
    con.execute("""CREATE TEMP TABLE _lk_name_list AS SELECT DISTINCT name FROM (
        SELECT name FROM registry UNION ALL SELECT name FROM source) WHERE name IS NOT NULL""")
    add_char_table(con, "SELECT name FROM _lk_name_list")
    con.execute("CREATE TEMP TABLE _lk_names AS " + name_pinyin_sql("SELECT name FROM _lk_name_list"))
    features = ", ".join(("unique_id", *model.FEATURE_COLUMNS))
    con.execute(
        f"""CREATE TABLE l AS SELECT {features} FROM ({
            source_features_sql("source", "SELECT row_no, 'all' AS grp, NULL AS problem FROM source")
        })"""
    )
    con.execute(f"CREATE TABLE r AS SELECT {features} FROM ({registry_features_sql('registry')})")
    db_api = DuckDBAPI(connection=con)
    left = db_api.register("l", table_name="src", dataset_display_name="src")
    right = db_api.register("r", table_name="reg", dataset_display_name="reg")
    creator = SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=model.comparisons(),
        blocking_rules_to_generate_predictions=[block_on("id_digits"), *model.blocking_rules()],
    )
    linker = Linker(
        [left, right], creator, log_level=logging.INFO if os.environ.get("BENCH_VERBOSE") else logging.WARNING
    )
    linker.training.estimate_probability_two_random_records_match([block_on("id_digits")], recall=0.97)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("id_digits"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob", "name_py"))
    trained = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=THRESHOLD)
    con.execute(f"""CREATE TABLE links AS
        WITH p AS (
            SELECT CASE WHEN source_dataset_l = 'src' THEN unique_id_l ELSE unique_id_r END AS src_row,
                   CASE WHEN source_dataset_l = 'src' THEN unique_id_r ELSE unique_id_l END AS person_id,
                   match_probability AS probability, match_weight
            FROM {predictions.physical_name}
        ), best AS (
            SELECT * FROM p
            QUALIFY row_number() OVER (PARTITION BY src_row ORDER BY match_weight DESC, person_id) = 1
        )
        SELECT s.row_no, best.person_id, best.probability
        FROM source s LEFT JOIN best ON best.src_row = s.row_no""")
    seconds = time.perf_counter() - started
    con.execute(f"COPY links TO '{workdir / f'{links}.parquet'}' (FORMAT parquet)")
    return {
        "seconds": round(seconds, 1),
        "load_seconds": round(loaded - started, 1),
        "phases": {"准备": round(trained - loaded, 1), "预测": round(seconds - (trained - started), 1)},
    }


def evaluate(workdir: Path, method: str) -> dict:
    """Links (links-METHOD.parquet: row_no, person_id) against the truth: precision and recall over every
    row, and over the rows whose ID was damaged."""
    con = duckdb.connect()
    row = con.execute(
        f"""WITH j AS (
            SELECT t.person_id AS truth, l.person_id AS got, t.id_damage IS NOT NULL AS damaged
            FROM read_parquet('{workdir / "truth.parquet"}') t
            JOIN read_parquet('{workdir / f"links-{method}.parquet"}') l USING (row_no))
        SELECT count(*),
            count(*) FILTER (WHERE got = truth),
            count(*) FILTER (WHERE got IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE truth IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE damaged),
            count(*) FILTER (WHERE damaged AND got = truth),
            count(*) FILTER (WHERE damaged AND got IS NOT NULL AND got IS DISTINCT FROM truth),
            count(*) FILTER (WHERE damaged AND truth IS NOT NULL AND got IS DISTINCT FROM truth)
        FROM j"""
    ).fetchone()
    rows, tp, fp, fn, d_rows, d_tp, d_fp, d_fn = row
    review = {}
    candidates = workdir / f"candidates-{method}.parquet"
    if method == "ours" and candidates.exists():
        # Ambiguous rows are linked to nobody (they count as misses above); how many list the true person
        # among their candidates, for the reviewer to pick.
        listed, ambiguous = con.execute(
            f"""SELECT count(DISTINCT c.row_no) FILTER (WHERE c.person_id = t.person_id),
                count(DISTINCT c.row_no)
            FROM read_parquet('{candidates}') c JOIN read_parquet('{workdir / "truth.parquet"}') t
            USING (row_no)"""
        ).fetchone()
        review = {"ambiguous_rows": ambiguous, "ambiguous_true_listed": listed}
    return review | {
        "rows": rows, "tp": tp, "fp": fp, "fn": fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / (tp + fn) if tp + fn else 1.0,
        "damaged_rows": d_rows, "damaged_tp": d_tp, "damaged_fp": d_fp, "damaged_fn": d_fn,
        "damaged_precision": d_tp / (d_tp + d_fp) if d_tp + d_fp else 1.0,
        "damaged_recall": d_tp / (d_tp + d_fn) if d_tp + d_fn else 1.0,
    }  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--registry", type=int, default=4_000_000)
    parser.add_argument("--source", type=int, default=5_000_000)
    parser.add_argument("--workdir", help="default /tmp/bangfu-compare-REGISTRY-SOURCE")
    parser.add_argument("--damaged", type=float, default=0.03)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory", default="6GB", help="DuckDB memory_limit for our method")
    parser.add_argument(
        "--plain-memory", default="", help="DuckDB memory_limit for plain Splink (default: DuckDB's)"
    )
    parser.add_argument("--only", choices=("ours", "plain"))
    parser.add_argument("--run", choices=("ours", "plain"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    workdir = Path(args.workdir or f"/tmp/bangfu-compare-{args.registry}-{args.source}")

    if args.run:  # child process: one method, JSON on stdout
        runner = run_ours if args.run == "ours" else run_plain
        memory = args.memory if args.run == "ours" else (args.plain_memory or None)
        out = runner(workdir, args.threads, memory or None)
        out["peak_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2, 2)
        print(json.dumps(out, ensure_ascii=False))
        return 0

    if not (workdir / "truth.parquet").exists():
        write(workdir, args.registry, args.source, args.seed, args.damaged)
    results = {}
    for method in ("ours", "plain"):
        if args.only and method != args.only:
            continue
        command = [sys.executable, __file__, "--run", method, "--workdir", str(workdir),
                   "--threads", str(args.threads), "--memory", args.memory]  # fmt: skip
        if args.plain_memory:
            command += ["--plain-memory", args.plain_memory]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode:
            print(done.stderr, file=sys.stderr)
            return 1
        results[method] = json.loads(done.stdout.strip().splitlines()[-1])
        results[method].update(evaluate(workdir, method))
        print(method, json.dumps(results[method], ensure_ascii=False, indent=1), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
