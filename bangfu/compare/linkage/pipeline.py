"""Link a department's file (`source`) to the registry: exact on the ID number, then Splink for the rest.

Plain Python + DuckDB + Splink, no Django: the caller loads both tables into a DuckDB connection and
reads the `links` table back. Method, settings and measurements: docs/linkage.md.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from . import model as lkmodel
from .idsql import PROBLEM_TEXT, id_normalisation_sql
from .pinyin import add_char_table, name_pinyin_sql

__all__ = ["LinkResult", "link"]

# A fuzzy link to a person the exact step already linked needs at least this probability.
STRONG_PROBABILITY = 0.95
# An ambiguous row lists the candidates with at least this share of its probability, at most this many.
CANDIDATE_SHARE = 0.01
MAX_CANDIDATES = 10
# Exact pairs used to learn m, and random partners per pair used to learn u.
TRAIN_PAIRS = 20_000
RANDOM_PARTNERS = 25
# A name differs "compatibly" from the registered one for the same ID (exact step).
NAME_COMPATIBLE_JW = 0.7
# Keep the working tables (_lk_*) for inspection; tests and debugging only.
KEEP_WORK_TABLES = False

Progress = Callable[[str, float], None]


@dataclass
class LinkResult:
    exact: int = 0
    fuzzy: int = 0
    # Rows that fit two or more registry people (or one person another row fits as well) alike: linked to
    # nobody, their candidates in `link_candidates`.
    ambiguous: int = 0
    none: int = 0
    total: int = 0
    timings: dict[str, float] = field(default_factory=dict)
    # Rows per id_problem text (including rows that still linked exactly, e.g. converted 15-digit IDs).
    problems: dict[str, int] = field(default_factory=dict)
    # The trained Splink settings (None when nothing needed fuzzy linkage); reusable on SparkAPI.
    model: dict[str, Any] | None = None
    # Estimated share of fuzzy-step rows that belong to a registry person, by group.
    match_shares: dict[str, float] = field(default_factory=dict)


class _Phases:
    def __init__(self, progress: Progress | None, result: LinkResult) -> None:
        self.progress = progress
        self.result = result
        self.names = [
            "规范化证件号码",
            "计算姓名拼音",
            "精确比对",
            "准备模糊比对",
            "训练模型",
            "模糊比对",
            "汇总结果",
        ]
        self.current: str | None = None
        self.started = 0.0

    def start(self, name: str) -> None:
        self.stop()
        self.current, self.started = name, time.perf_counter()
        if self.progress:
            self.progress(name, self.names.index(name) / len(self.names))

    def stop(self) -> None:
        if self.current:
            self.result.timings[self.current] = round(time.perf_counter() - self.started, 3)
            self.current = None

    def done(self) -> None:
        self.stop()
        if self.progress:
            self.progress("完成", 1.0)


def link(
    con: duckdb.DuckDBPyConnection,
    *,
    registry: str = "registry",
    source: str = "source",
    threshold: float = 0.9,
    progress: Progress | None = None,
) -> LinkResult:
    """Create table `links` (one row per source row); see the package docstring for the columns."""
    result = LinkResult()
    phases = _Phases(progress, result)
    con.execute("SET lambda_syntax='ENABLE_SINGLE_ARROW'")  # Splink 5 on DuckDB 2 writes x -> f(x)
    con.execute("SET enable_progress_bar = false")
    started = time.perf_counter()

    phases.start("规范化证件号码")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _lk_ids AS "
        + id_normalisation_sql(
            f"(SELECT row_no, id_number, name, birth_date FROM {source})",
            key="row_no, name, birth_date",
        )
    )

    phases.start("计算姓名拼音")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_name_list AS
        SELECT DISTINCT name FROM (SELECT name FROM {registry} UNION ALL SELECT name FROM {source})
        WHERE name IS NOT NULL"""
    )
    add_char_table(con, "SELECT name FROM _lk_name_list")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _lk_names AS " + name_pinyin_sql("SELECT name FROM _lk_name_list")
    )

    phases.start("精确比对")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_exact AS
        WITH pairs AS (
            SELECT i.row_no, r.person_id, i.name AS s_name, r.name AS r_name,
                   i.birth_date AS s_birth, r.birth_date AS r_birth
            FROM _lk_ids i JOIN {registry} r ON r.id_number = i.id_normalised
        )
        SELECT *, name_ok AS ok FROM (
        SELECT row_no, person_id, true AS name_ok FROM pairs
        WHERE s_name IS NULL OR s_name = r_name OR trim(s_name) = ''
        UNION ALL
        SELECT p.row_no, p.person_id,
            coalesce(ns.name_py = nr.name_py
                OR (p.s_birth = p.r_birth AND (ns.surname_py = nr.surname_py
                    OR jaro_winkler_similarity(ns.name_py, nr.name_py) >= {NAME_COMPATIBLE_JW}))
                OR (p.s_birth IS NULL AND jaro_winkler_similarity(ns.name_py, nr.name_py) >= 0.9), false)
                AS name_ok
        FROM pairs p
        LEFT JOIN _lk_names ns ON ns.name = p.s_name
        LEFT JOIN _lk_names nr ON nr.name = p.r_name
        WHERE NOT (p.s_name IS NULL OR p.s_name = p.r_name OR trim(p.s_name) = ''))"""
    )
    # "ok": the exact link stands: the name is the registered one (same pinyin); or the birth date is
    # the registered one and so is the surname (a mistyped given name) or the name is close; or the
    # birth date is missing and the name very close. (A relative's number fails: another birth date.)
    # Otherwise the row goes to the fuzzy step, where the same person can still win on the other evidence.

    phases.start("准备模糊比对")
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _lk_resid AS
        SELECT i.row_no,
            CASE WHEN e.row_no IS NOT NULL THEN 'name_mismatch'
                 WHEN i.id_code = 'converted' THEN 'unknown_converted'
                 WHEN i.id_normalised IS NOT NULL THEN 'unknown'
                 ELSE i.id_code END AS problem,
            CASE WHEN e.row_no IS NULL AND i.id_normalised IS NOT NULL THEN 'unknown' ELSE 'invalid' END
                AS grp
        FROM _lk_ids i LEFT JOIN _lk_exact e ON e.row_no = i.row_no
        WHERE e.row_no IS NULL OR NOT e.ok"""
    )
    n_resid = con.execute("SELECT count(*) FROM _lk_resid").fetchone()[0]
    n_registry = con.execute(f"SELECT count(*) FROM {registry}").fetchone()[0]
    fuzzy_ok = n_resid > 0 and n_registry > 0
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _lk_fuzzy (row_no BIGINT, person_id BIGINT, probability DOUBLE)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_ambiguous (row_no BIGINT, probability DOUBLE)")
    con.execute(CANDIDATES_TABLE)
    if fuzzy_ok:
        _features(con, registry, source)

        phases.start("训练模型")
        trained = _train(con, n_registry)
        if trained is None:
            fuzzy_ok = False
        else:
            result.model = trained
    if fuzzy_ok:
        phases.start("模糊比对")
        result.match_shares = _predict(con, result.model, n_registry, threshold)

    phases.start("汇总结果")
    problem_cases = "\n".join(f"WHEN '{code}' THEN '{text}'" for code, text in PROBLEM_TEXT.items())
    con.execute(
        f"""CREATE OR REPLACE TABLE links AS
        SELECT i.row_no,
            coalesce(CASE WHEN e.ok THEN e.person_id END, f.person_id) AS person_id,
            CASE WHEN e.ok THEN 'exact' WHEN f.person_id IS NOT NULL THEN 'fuzzy'
                 WHEN a.row_no IS NOT NULL THEN 'ambiguous' ELSE 'none' END AS method,
            CASE WHEN e.ok THEN 1.0 ELSE coalesce(f.probability, a.probability) END AS probability,
            i.id_normalised,
            CASE coalesce(r.problem, i.id_code) {problem_cases} END AS id_problem
        FROM _lk_ids i
        LEFT JOIN _lk_exact e ON e.row_no = i.row_no
        LEFT JOIN _lk_resid r ON r.row_no = i.row_no
        LEFT JOIN _lk_fuzzy f ON f.row_no = i.row_no
        LEFT JOIN _lk_ambiguous a ON a.row_no = i.row_no"""
    )
    counts = dict(con.execute("SELECT method, count(*) FROM links GROUP BY method").fetchall())
    result.exact, result.fuzzy, result.ambiguous, result.none = (
        counts.get(k, 0) for k in ("exact", "fuzzy", "ambiguous", "none")
    )
    result.total = result.exact + result.fuzzy + result.ambiguous + result.none
    result.problems = dict(
        con.execute(
            "SELECT id_problem, count(*) FROM links WHERE id_problem IS NOT NULL GROUP BY 1 ORDER BY 2 DESC"
        ).fetchall()
    )
    for table in ("_lk_ids", "_lk_name_list", "_lk_chars", "_lk_surnames", "_lk_names", "_lk_exact",
                  "_lk_resid", "_lk_left", "_lk_reg", "_lk_fuzzy", "_lk_ambiguous"):  # fmt: skip
        if not KEEP_WORK_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    phases.done()
    result.timings["总计"] = round(time.perf_counter() - started, 3)
    return result


_AREA = """
    CASE WHEN length({d}) >= 4 THEN substr({d}, 1, 4) END AS area4,
    CASE WHEN length({d}) >= 6 THEN substr({d}, 1, 6) END AS area6,
    CASE WHEN length({d}) >= 9 THEN substr({d}, 1, 9) END AS area9,
    CASE WHEN length({d}) >= 12 THEN substr({d}, 1, 12) END AS area12"""


def source_features_sql(source: str, rows: str) -> str:
    """Comparison features of the source rows listed by query `rows` (row_no, grp, problem).

    Needs _lk_ids and _lk_names. The name is compared as written (an exact-character level) and as
    pinyin; phone and area keep their digits; a missing birth date is read from the ID, unless the
    ID is someone else's (it matched a registry person whose name did not fit)."""
    return f"""
        WITH s AS (
            SELECT s.*, rows.grp, rows.problem, i.id_text, i.id_code, i.id_normalised,
                regexp_replace(coalesce(s.area_code, ''), '[^0-9]', '', 'g') AS area_digits,
                regexp_replace(coalesce(s.phone, ''), '[^0-9]', '', 'g') AS phone_digits
            FROM ({rows}) rows JOIN {source} s ON s.row_no = rows.row_no
            JOIN _lk_ids i ON i.row_no = rows.row_no
        ), d AS (
            SELECT s.*,
                CASE
                    WHEN id_normalised IS NOT NULL THEN id_normalised
                    WHEN regexp_full_match(id_text, '[0-9]{{15,18}}X?') THEN id_text
                    WHEN regexp_full_match(id_text, '(?i)[+-]?[0-9]+\\.?[0-9]*E\\+?1[4-7]')
                        THEN CAST(CAST(TRY_CAST(id_text AS DOUBLE) AS HUGEINT) AS VARCHAR)
                END AS id_digits
            FROM s
        )
        SELECT d.row_no AS unique_id, d.grp,
            nullif(trim(d.name), '') AS name,
            nullif(n.name_py, '') AS name_py, nullif(n.surname_py, '') AS surname_py,
            strftime(coalesce(d.birth_date, CASE WHEN d.problem IS DISTINCT FROM 'name_mismatch' THEN
                CAST(try_strptime(substr(d.id_digits, 7, 8), '%Y%m%d') AS DATE) END), '%Y%m%d') AS dob,
            CASE WHEN d.sex IN ('男', '男性') THEN '男' WHEN d.sex IN ('女', '女性') THEN '女' END AS sex,
            CASE WHEN length(d.phone_digits) = 13 AND d.phone_digits LIKE '86%' THEN substr(d.phone_digits, 3)
                 ELSE nullif(d.phone_digits, '') END AS phone,
            {_AREA.format(d="d.area_digits")},
            d.id_digits, d.id_normalised IS NOT NULL AS id_valid
        FROM d LEFT JOIN _lk_names n ON n.name = d.name"""


def registry_features_sql(registry: str) -> str:
    """Comparison features of every registry person (its columns are already normalised)."""
    return f"""
        SELECT r.person_id AS unique_id,
            nullif(r.name, '') AS name,
            nullif(n.name_py, '') AS name_py, nullif(n.surname_py, '') AS surname_py,
            strftime(r.birth_date, '%Y%m%d') AS dob,
            r.sex,
            CASE WHEN r.phone IS NULL OR r.phone = '' THEN NULL
                 WHEN length(r.phone) = 11 AND TRY_CAST(r.phone AS BIGINT) IS NOT NULL THEN r.phone
                 ELSE nullif(regexp_replace(r.phone, '[^0-9]', '', 'g'), '') END AS phone,
            {_AREA.format(d="r.area_code")},
            r.id_number AS id_digits, true AS id_valid
        FROM {registry} r LEFT JOIN _lk_names n ON n.name = r.name"""


def _features(con: duckdb.DuckDBPyConnection, registry: str, source: str) -> None:
    """_lk_left: the fuzzy-step rows plus a training sample of exact pairs; _lk_reg: every registry person."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_train AS
        SELECT row_no, person_id FROM _lk_exact WHERE ok
        ORDER BY hash(row_no), row_no LIMIT {TRAIN_PAIRS}"""
    )
    rows = """SELECT row_no, grp, problem FROM _lk_resid
              UNION ALL SELECT row_no, 'train', NULL FROM _lk_train"""
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_left AS " + source_features_sql(source, rows))
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_reg AS " + registry_features_sql(registry))


_FEATURES = ", ".join(lkmodel.FEATURE_COLUMNS)


def _splink_api(con: duckdb.DuckDBPyConnection):
    from splink import DuckDBAPI

    return DuckDBAPI(connection=con)


def _train(con: duckdb.DuckDBPyConnection, n_registry: int) -> dict[str, Any] | None:
    """Count comparison levels on exact pairs (m) and on hash-chosen random pairs (u)."""
    from splink import Linker

    n_train = con.execute("SELECT count(*) FROM _lk_train").fetchone()[0]
    if n_train == 0:
        return None
    partners = min(RANDOM_PARTNERS, max(1, n_registry - 1))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_train_pairs AS
        WITH t AS (
            SELECT row_no, person_id, row_number() OVER (ORDER BY hash(row_no), row_no) - 1 AS k
            FROM _lk_train
        ), r AS (
            SELECT unique_id AS person_id,
                row_number() OVER (ORDER BY hash(unique_id + 7), unique_id) - 1 AS k
            FROM (SELECT unique_id FROM _lk_reg ORDER BY hash(unique_id + 7), unique_id LIMIT {n_train})
        ), n AS (SELECT count(*) AS n FROM r
        ), wanted AS (
            SELECT t.k, t.row_no, t.person_id, j, (t.k + 1 + j) % (SELECT n FROM n) AS rk
            FROM t CROSS JOIN range({partners}) AS g(j)
        )
        SELECT k AS pair_id, true AS is_match, row_no, person_id FROM t
        UNION ALL
        SELECT {n_train} * (1 + w.j) + w.k, false, w.row_no, r.person_id
        FROM wanted w JOIN r ON r.k = w.rk
        WHERE r.person_id <> w.person_id"""
    )
    db_api = _splink_api(con)
    left = _register_query(
        con,
        db_api,
        "_lk_tl",
        f"""
        SELECT p.pair_id AS unique_id, p.pair_id, {_prefixed("l")} FROM _lk_train_pairs p
        JOIN _lk_left l ON l.unique_id = p.row_no AND l.grp = 'train'""",
        "src",
    )
    right = _register_query(
        con,
        db_api,
        "_lk_tr",
        f"""
        SELECT p.pair_id AS unique_id, p.pair_id, {_prefixed("r")} FROM _lk_train_pairs p
        JOIN _lk_reg r ON r.unique_id = p.person_id""",
        "reg",
    )
    creator = lkmodel.settings(1e-6, retain_intermediate=True)
    creator.blocking_rules_to_generate_predictions = [lkmodel.block_on("pair_id")]
    linker = Linker([left, right], creator, log_level=logging.WARNING)
    predictions = linker.inference.predict(warning_mode="never")
    model = linker.misc.save_model_to_json()
    m_counts: dict[str, list[float]] = {}
    u_counts: dict[str, list[float]] = {}
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        live = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        rows = con.execute(
            f"""SELECT unique_id_l < {n_train} AS is_match, gamma_{name}, count(*)
            FROM {predictions.physical_name} WHERE gamma_{name} >= 0 GROUP BY ALL"""
        ).fetchall()
        counts = {(is_match, gamma): c for is_match, gamma, c in rows}
        # Splink numbers the non-null levels from len-1 (first declared) down to 0 (else).
        m_counts[name] = [counts.get((True, len(live) - 1 - i), 0) for i in range(len(live))]
        u_counts[name] = [counts.get((False, len(live) - 1 - i), 0) for i in range(len(live))]
    linker.table_management.delete_tables_created_by_splink_from_db()
    for table in ("_lk_tl", "_lk_tr", "_lk_train_pairs", "_lk_train"):
        if not KEEP_WORK_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    trained = lkmodel.with_parameters(model, m_counts, u_counts, prior=1.0 / n_registry)
    trained["blocking_rules_to_generate_predictions"] = [
        rule if isinstance(rule, str) else rule.get_blocking_rule("duckdb").blocking_rule_sql
        for rule in lkmodel.blocking_rules()
    ]
    trained["retain_intermediate_calculation_columns"] = False
    trained["retain_matching_columns"] = False
    trained["linker_uid"] = "bangfu_compare"
    return trained


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{c}" for c in lkmodel.FEATURE_COLUMNS)


def _register_query(con, db_api, table: str, sql: str, display: str):
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql}")
    return db_api.register(table, table_name=display, dataset_display_name=display)


def _predict(
    con: duckdb.DuckDBPyConnection, trained: dict[str, Any], n_registry: int, threshold: float
) -> dict[str, float]:
    """Score fuzzy-step rows against registry candidates; fill _lk_fuzzy with the accepted best link."""
    from splink import Linker

    # Registry people sharing at least one blocking key with a fuzzy-step row: Splink blocks again
    # within them, but no longer carries 4 million rows through its pipeline.
    keys = [
        ("dob, name_py", "dob IS NOT NULL AND name_py IS NOT NULL"),
        ("dob, area6", "dob IS NOT NULL AND area6 IS NOT NULL"),
        ("phone", "phone IS NOT NULL"),
        ("name_py, area9", "name_py IS NOT NULL AND area9 IS NOT NULL"),
        ("name_py, area6", "name_py IS NOT NULL AND area6 IS NOT NULL AND area9 IS NULL"),
        ("substr(id_digits, 1, 14)", "id_digits IS NOT NULL"),
        ("substr(id_digits, 7, 12)", "id_digits IS NOT NULL"),
    ]
    semi = " OR ".join(
        f"({cols}) IN (SELECT ({cols}) FROM _lk_left WHERE grp <> 'train' AND {cond})" for cols, cond in keys
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_cand AS SELECT * FROM _lk_reg WHERE {semi}")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE _lk_lres AS "
        f"SELECT unique_id, {_FEATURES} FROM _lk_left WHERE grp <> 'train'"
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE _lk_rcand AS SELECT unique_id, {_FEATURES} FROM _lk_cand")
    db_api = _splink_api(con)
    left = db_api.register("_lk_lres", table_name="src", dataset_display_name="src")
    right = db_api.register("_lk_rcand", table_name="reg", dataset_display_name="reg")
    linker = Linker([left, right], trained, log_level=logging.WARNING)
    prior_odds = lkmodel.log2_odds(trained["probability_two_random_records_match"])
    predictions = linker.inference.predict(threshold_match_weight=prior_odds + 8, warning_mode="never")
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_pred AS
        SELECT CASE WHEN source_dataset_l = 'src' THEN unique_id_l ELSE unique_id_r END AS row_no,
               CASE WHEN source_dataset_l = 'src' THEN unique_id_r ELSE unique_id_l END AS person_id,
               match_weight - ({prior_odds}) AS log2_bf
        FROM {predictions.physical_name}"""
    )
    linker.table_management.delete_tables_created_by_splink_from_db()
    # The prior: estimated share of each group's rows that have their person in the registry, by
    # fixed-point iteration of "expected matches / rows" (rows whose valid ID pointed at nobody are mostly
    # people outside the registry, rows with a broken ID mostly are not).
    groups = dict(
        con.execute("SELECT grp, count(*) FROM _lk_left WHERE grp <> 'train' GROUP BY grp").fetchall()
    )
    shares: dict[str, float] = {}
    for grp, n_rows in groups.items():
        share = 0.5
        for _ in range(30):
            odds = lkmodel.log2_odds(min(share / n_registry, 0.5))
            expected = con.execute(
                f"""SELECT coalesce(sum(least(1.0, s)), 0) FROM (
                    SELECT sum(1.0 / (1.0 + pow(2.0, -(p.log2_bf + {odds})))) AS s
                    FROM _lk_pred p JOIN _lk_left l ON l.unique_id = p.row_no AND l.grp = '{grp}'
                    GROUP BY p.row_no)"""
            ).fetchone()[0]
            new = min(max(expected / n_rows, 0.001), 0.999)
            if abs(new - share) < 1e-4:
                share = new
                break
            share = new
        shares[grp] = round(share, 4)
    share_cases = " ".join(
        f"WHEN '{g}' THEN {lkmodel.log2_odds(min(s / n_registry, 0.5))}" for g, s in shares.items()
    )
    _choose(con, share_cases, threshold)
    for table in ("_lk_cand", "_lk_lres", "_lk_rcand", "_lk_pred", "_lk_rowp", "_lk_best"):
        if not KEEP_WORK_TABLES:
            con.execute(f"DROP TABLE IF EXISTS {table}")
    return shares


# The candidates of the rows linkage leaves ambiguous (method 'ambiguous'), best first (`rank` from 1):
# `probability` is each one's share, the row being one person at most.
CANDIDATES_TABLE = """CREATE OR REPLACE TABLE link_candidates (
    row_no BIGINT, rank INTEGER, person_id BIGINT, probability DOUBLE)"""


def _choose(con: duckdb.DuckDBPyConnection, share_cases: str, threshold: float) -> None:
    """From the scored pairs (_lk_pred), each row's link (_lk_fuzzy), or its ambiguity (_lk_ambiguous and
    its candidates in link_candidates). Never by chance: a row counts as linked only when its best
    candidate is clearly better than the rest.

    - One row, several people (one-to-many). A row is one registry person at most, so the probability of
      candidate k is its posterior odds over one plus the odds of all the row's candidates:
      odds_k / (1 + Σ odds_j). With a single candidate this is Splink's own probability; two people
      who fit alike get half each, however well each fits alone.
    - Several rows, one person (many-to-one). A person may get several rows (a second record of the
      same person is common, a 社保 file has a row per 险种), but not rows of evidently different
      people: another sex, or two valid ID numbers of nobody in the registry more than two characters
      apart (not a relative's number, nor a typo whose check digit was computed again: both are common
      in one person's records). Among such rivals for one person the
      same normalisation applies, seen from the person: odds_a / (1 + odds_a + Σ rivals' odds).
    A row whose best candidate alone would pass the threshold but does not after either normalisation
    is ambiguous: linked to nobody, for a person to decide (数据比对 reports it 待核实 with the
    candidates side by side). Set-based: a few window functions over the scored pairs."""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_rowp AS
        WITH scored AS (
            SELECT p.row_no, p.person_id, p.log2_bf,
                p.log2_bf + CASE l.grp {share_cases} END AS lo,  -- log2 of the pair's posterior odds
                e.person_id IS NOT NULL AS taken
            FROM _lk_pred p
            JOIN _lk_left l ON l.unique_id = p.row_no AND l.grp <> 'train'
            LEFT JOIN (SELECT DISTINCT person_id FROM _lk_exact WHERE ok) e ON e.person_id = p.person_id
        ), kept AS (  -- a person linked exactly is a candidate only on strong evidence
            SELECT * FROM scored
            WHERE NOT taken OR 1.0 / (1.0 + pow(2.0, -lo)) >= {max(threshold, STRONG_PROBABILITY)}
        ), top AS (SELECT *, max(lo) OVER (PARTITION BY row_no) AS m FROM kept)
        SELECT row_no, person_id, lo, taken,
            1.0 / (1.0 + pow(2.0, -lo)) AS pair_p,
            pow(2.0, lo - m) / (pow(2.0, -m) + sum(pow(2.0, lo - m)) OVER (PARTITION BY row_no)) AS p,
            row_number() OVER (PARTITION BY row_no ORDER BY log2_bf DESC, person_id) AS rank
        FROM top"""
    )
    # Each row's best candidate, where it alone would pass, with what tells people apart.
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE _lk_best AS
        SELECT b.row_no, b.person_id, b.lo, b.p, b.pair_p, b.taken, l.sex,
            CASE WHEN l.grp = 'unknown' THEN l.id_digits END AS own_id
        FROM _lk_rowp b JOIN _lk_left l ON l.unique_id = b.row_no AND l.grp <> 'train'
        WHERE b.rank = 1 AND b.pair_p >= {threshold}"""
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE _lk_decided AS
        WITH rivals AS (
            SELECT a.row_no, sum(pow(2.0, o.lo - a.lo)) AS ratio  -- Σ rivals' odds / the row's
            FROM _lk_best a JOIN _lk_best o ON o.person_id = a.person_id AND o.row_no <> a.row_no
            WHERE a.sex <> o.sex OR levenshtein(a.own_id, o.own_id) > 2
            GROUP BY a.row_no
        )
        SELECT b.row_no, b.person_id, b.taken,
            least(b.p, 1.0 / (pow(2.0, -b.lo) + 1.0 + coalesce(r.ratio, 0.0))) AS probability
        FROM _lk_best b LEFT JOIN rivals r USING (row_no)"""
    )
    con.execute(
        f"""INSERT INTO _lk_fuzzy SELECT row_no, person_id, probability FROM _lk_decided
        WHERE probability >= CASE WHEN taken THEN {max(threshold, STRONG_PROBABILITY)} ELSE {threshold} END"""
    )
    con.execute(
        """INSERT INTO _lk_ambiguous SELECT row_no, probability FROM _lk_decided
        ANTI JOIN _lk_fuzzy USING (row_no)"""
    )
    con.execute(
        f"""INSERT INTO link_candidates
        SELECT c.row_no, c.rank, c.person_id, c.p FROM _lk_rowp c SEMI JOIN _lk_ambiguous USING (row_no)
        WHERE c.rank = 1 OR (c.p >= {CANDIDATE_SHARE} AND c.rank <= {MAX_CANDIDATES})"""
    )
    con.execute("DROP TABLE _lk_decided")
