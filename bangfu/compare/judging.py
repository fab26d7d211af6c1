"""Judging a linked source file column-wise: the verdicts of `verdicts.py` as DuckDB SQL over the run's
linked rows, for the many rows they are simple for, and the verdicts themselves (plain Python, per person)
for the others.

Input, in one DuckDB connection: `links` (the linkage's result), `source`, `source_extra` (dropped once
judged) and `registry_full` (run.py). Output: the table `findings` (one row per finding to keep,
every value as the database column takes it, JSON as text; `covers` the source rows it covers, by
number: their cells are in the run's rows file), the table `fill_people` (the people of its fill
findings, see group_fills) and the table `row_diffs` (the 差异 text of results.csv per source row). Both
paths give the same findings, fills and 差异 for the same rows: tests/test_judging.py holds them to that
on random data, against the per-person verdicts alone (`columnar=False`).

What goes where (docs/linkage.md, "Judging"):
- match findings (模糊匹配, 未匹配) and 未参保 (registry people an insurance file lacks): SQL, every row;
- rows matched exactly by ID: no finding of their own (counted; results.csv lists them);
- conflicts of 死亡, 残疾人, 医保参保, 就业 and 低保特困 files and the 养老保险 part of 社保 files: SQL, every
  person (就业: existing employment records read once for all; 低保特困: a household's kind judged by one
  member);
- the rest in Python, per person: the people of a 社保 file with a row an employer pays (a job to propose).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Iterator

import pyarrow as pa

from bangfu.compare import sources
from bangfu.compare.sources import PENSION_KINDS
from bangfu.compare.verdicts import (
    ACTIVE_INSURANCE,
    EMPLOYER_INSURANCE,
    ENDING,
    IDENTITY,
    IDENTITY_FIELDS,
    LABELS,
    PERSON_CHANGE_OF,
    RECORD_LABEL,
    SHOWN,
    TERMINATED,
    UNINSURED,
    WORKSHOP_CHANNEL,
    WORKSHOP_KINDS,
    Draft,
    InForce,
    Ledger,
    Linked,
    Verdicts,
)

# The registry of the run's area as the run reads it, in one scan: (DuckDB column, type, Person lookup).
# The first seven are what the linkage reads (docs/linkage.md); the rest what the verdicts read.
REGISTRY_COLUMNS = (
    ("person_id", "BIGINT", "id"),
    ("id_number", "VARCHAR", "id_number"),
    ("name", "VARCHAR", "name"),
    ("sex", "VARCHAR", "sex"),
    ("birth_date", "DATE", "birth_date"),
    ("phone", "VARCHAR", "phone"),
    ("area_code", "VARCHAR", "area_id"),
    *((name, "VARCHAR", name) for name in ("student_status", "employment_status")),
    ("household_id", "BIGINT", "household_id"),
    ("is_deceased", "BOOLEAN", "is_deceased"),
    ("died_on", "DATE", "died_on"),
    *((name, "VARCHAR", name) for name in ("health", "disability_category", "disability_grade")),
    *((name, "VARCHAR", name) for name in ("pension_insurance", "pension_status")),
    ("medical_insured_year", "INTEGER", "medical_insured_year"),
    ("medical_status", "VARCHAR", "medical_status"),
    ("is_dibao", "BOOLEAN", "household__is_dibao"),
    ("is_tekun", "BOOLEAN", "household__is_tekun"),
)
LINKAGE_COLUMNS = [c[0] for c in REGISTRY_COLUMNS[:7]]
# What the verdicts read about a registry person (and their household): the keys of a person's dict, in
# REGISTRY_COLUMNS order (the columns under the verdicts' names).
PERSON_VALUES = tuple({"person_id": "id", "area_code": "area_id"}.get(c[0], c[0]) for c in REGISTRY_COLUMNS)
COLUMN_TYPES = {name: kind for name, kind, _ in REGISTRY_COLUMNS}

# What linkage leaves for ambiguous rows (linkage/pipeline.py, CANDIDATES_TABLE): here too when the
# links come from elsewhere (tests).
CANDIDATES = """CREATE TABLE IF NOT EXISTS link_candidates (
    row_no BIGINT, rank INTEGER, person_id BIGINT, probability DOUBLE)"""
FINDINGS_TABLE = """CREATE OR REPLACE TABLE findings (
    kind VARCHAR, change VARCHAR, status VARCHAR, area_id VARCHAR, person_id BIGINT, row_no BIGINT,
    name VARCHAR, method VARCHAR, probability DOUBLE, registry VARCHAR, proposal VARCHAR, summary VARCHAR,
    covers BIGINT[], seq BIGINT)"""
# The people of fill findings (group_fills), with what results.csv says of their rows (summary, in the
# order seq gives it among a row's texts; dropped once row_diffs holds it).
FILL_PEOPLE = """CREATE TABLE IF NOT EXISTS fill_people (
    area_id VARCHAR, change VARCHAR, proposal VARCHAR, person_id BIGINT, row_no BIGINT, name VARCHAR,
    summary VARCHAR, seq BIGINT)"""
FINDING_COLUMNS = (
    "kind", "change", "status", "area_id", "person_id", "row_no", "name", "method", "probability", "registry",
    "proposal", "summary",
)  # fmt: skip
# The person change of a source type and the registry values it compares and proposes
# (Verdicts._person_change).
CHANGED = {source: (change, SHOWN[change]) for source, change in PERSON_CHANGE_OF.items()}
PYTHON_CHUNK = 20_000  # linked rows judged in Python at once

_dumps = json.JSONEncoder(ensure_ascii=False).encode


def _quoted(values: Iterable[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


# The values of a row's `extra` (columns x_<name> of `source_extra`) that the SQL below reads, per source
# type: columns of `lk` too.
EXTRACTED = {
    sources.SOCIAL: ("险种", "参保状态", "参保单位", "最近缴费年月", "终止参保日期"),
    sources.MEDICAL: ("参保年度", "参保状态"),
    sources.DEATH: ("死亡日期",),
    sources.DISABILITY: ("残疾类别", "残疾等级"),
    sources.EMPLOYMENT: ("单位名称", "统一社会信用代码", "工作地区划代码", "入职日期", "离职日期", "月工资"),
    sources.CIVIL: ("救助类型", "开始日期", "终止日期"),
    sources.SETTLEMENT: (),  # no change to the registry: settlements are kept by bangfu/pension
}


def _extra(name: str) -> str:
    """A value of the row's extra, as a column of `lk` (EXTRACTED)."""
    return f'"x_{name}"'


def _extracted(source_type: str, alias: str) -> str:
    """The select list of EXTRACTED values, from the table `alias` names."""
    return "".join(f", {alias}.{_extra(name)}" for name in EXTRACTED.get(source_type, ()))


def _shown(expression: str, kind: str) -> str:
    """verdicts.shown() in SQL: '' for NULL and '', 是/否, ISO dates, numbers as text."""
    if kind == "BOOLEAN":
        return f"CASE WHEN {expression} THEN '是' WHEN NOT {expression} THEN '否' ELSE '' END"
    return f"coalesce(CAST({expression} AS VARCHAR), '')"


def _registry_json(fields: Iterable[str], alias: str = "r") -> str:
    """Verdicts.registry_values() in SQL, as JSON text: only the values the finding compares (who the person
    is comes from the person when shown)."""
    parts = [f"{_text(LABELS[f])}, {_shown(f'{alias}.{f}', COLUMN_TYPES[f])}" for f in fields]
    if not parts:
        return "'{}'"
    return f"CAST(json_object({', '.join(parts)}) AS VARCHAR)"


def judge(
    con,
    *,
    source_type: str,
    area_id: str,
    today: dt.date,
    employments: Callable[[Iterable[int]], dict],
    in_force: Callable[[Iterable[int]], dict] = lambda ids: {},
    ledger: Callable[[list[str], list[str]], list] = lambda codes, names: [],
    columnar: bool = True,
    progress: Callable[[int, int], None] | None = None,
    clock=None,
) -> int:
    """Fill `findings`, `fill_people` and `row_diffs`; return how many rows matched exactly by ID (no
    finding of their own). `employments(person ids)` gives existing employment records' keys
    (Verdicts.employments); `in_force(person ids)` their records in force, {person id: [(record id,
    单位名称, 统一社会信用代码, 入职日期 ISO), …]}; `ledger(credit codes, names)` the employers of the ledger
    with one of those codes or names, [(统一社会信用代码, 单位名称, area code, kind), …]."""
    con.execute(FINDINGS_TABLE)
    con.execute(CANDIDATES)
    con.execute(f"DROP TABLE IF EXISTS {FILL_PEOPLE_TABLE}")
    con.execute(FILL_PEOPLE)
    con.execute(
        # The values the SQL reads of each row's extra; the rest stays in source_extra (read again only
        # for the rows judged in Python): at 5 million rows a copy of all here made DuckDB spill a
        # gigabyte to disk.
        f"""CREATE OR REPLACE TABLE lk AS
        SELECT l.row_no, l.person_id, l.method, l.probability, l.id_problem, s.name AS row_name,
            s.sex AS row_sex, s.birth_date AS row_birth {_extracted(source_type, "e")}
        FROM links l JOIN source s USING (row_no) JOIN source_extra e USING (row_no)"""
    )
    # The candidates of ambiguous rows (linkage's link_candidates), a list per row, best first, with the
    # deepest area that holds them all (Verdicts.ambiguous_finding).
    areas = " ".join(
        f"WHEN count(DISTINCT left(r.area_code, {n})) = 1 "
        f"THEN rpad(left(any_value(r.area_code), {n}), 12, '0')"
        for n in (12, 9, 6, 4, 2)
    )
    con.execute(
        f"""CREATE OR REPLACE TABLE candidates AS
        SELECT c.row_no,
            list({{'person': c.person_id, 'probability': c.probability}} ORDER BY c.rank) AS listed,
            list(r.area_code ORDER BY c.rank) AS areas,
            CASE {areas} ELSE '000000000000' END AS area_id
        FROM link_candidates c JOIN registry_full r USING (person_id)
        GROUP BY c.row_no"""
    )
    exact = con.execute(
        "SELECT count(*) FROM lk WHERE person_id IS NOT NULL AND method = 'exact'"
    ).fetchall()[0]
    python_people = _python_people(source_type) if columnar else "SELECT DISTINCT person_id FROM lk"
    con.execute(
        f"CREATE OR REPLACE TABLE py_people AS SELECT person_id FROM ({python_people}) "
        "WHERE person_id IS NOT NULL"
    )
    verdicts = Verdicts(source_type, area_id, today, {}, {}, ledger=_ledger_table(con, source_type, ledger))
    if columnar:
        _match_findings(con, area_id)
        _identity_findings(con)
        if source_type in CHANGED:
            _columnar_conflicts(con, source_type)
        if source_type == sources.EMPLOYMENT:
            _columnar_employment(con, today, employments, in_force, clock)
        elif source_type == sources.SOCIAL:
            _columnar_endings(con, _insurance_ended(today), today, in_force, clock)
        elif source_type == sources.CIVIL:
            _columnar_assistance(con, today)
    _python_findings(con, verdicts, columnar, employments, in_force, progress, clock)
    _missing(con, source_type, verdicts, today, columnar)
    # Each table dropped once nothing reads it, the input's source_extra too: memory for what follows
    # (beyond its limit DuckDB spills to disk: at 5 million rows it wrote a gigabyte while judging).
    for table in ("lk", "py_people", "source_extra", "candidates", "ledger", "ledger_names"):
        con.execute(f"DROP TABLE {table}")
    group_fills(con)
    _row_diffs(con)
    con.execute(f"ALTER TABLE {FILL_PEOPLE_TABLE} DROP COLUMN summary")  # in row_diffs now: memory back
    return exact[0]


# -- the employers ledger -----------------------------------------------------------------------------

# The columns of a file that name an employer: (its credit code, its name).
EMPLOYER_COLUMNS = {sources.EMPLOYMENT: ("统一社会信用代码", "单位名称"), sources.SOCIAL: (None, "参保单位")}


def _ledger_table(con, source_type: str, ledger) -> Ledger:
    """The ledger's employers the file names (by credit code or name), read in one call: as DuckDB's
    `ledger` (credit_code, name, area, kind; one row per code) and `ledger_names` (the names exactly one
    employer has), and as the verdicts' Ledger."""
    codes, names = [], []
    code_column, name_column = EMPLOYER_COLUMNS.get(source_type, (None, None))
    if code_column:
        codes = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {_extra(code_column)} FROM lk WHERE "
                f"coalesce({_extra(code_column)}, '') <> ''"
            ).fetchall()
        ]
    if name_column:
        names = [
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT {_extra(name_column)} FROM lk WHERE "
                f"coalesce({_extra(name_column)}, '') <> ''"
            ).fetchall()
        ]
    rows = list({row[0]: tuple(row) for row in (ledger(codes, names) if codes or names else [])}.values())
    kinds = (pa.string(), pa.string(), pa.string(), pa.string())
    table = pa.table(
        [pa.array([r[i] for r in rows], kind) for i, kind in enumerate(kinds)],
        names=["credit_code", "name", "area", "kind"],
    )
    con.register("ledger_arrow", table)
    con.execute("CREATE OR REPLACE TABLE ledger AS SELECT * FROM ledger_arrow")
    con.unregister("ledger_arrow")
    con.execute(
        """CREATE OR REPLACE TABLE ledger_names AS
        SELECT name, any_value(credit_code) AS credit_code, any_value(area) AS area, any_value(kind) AS kind
        FROM ledger GROUP BY name HAVING count(*) = 1"""
    )
    return Ledger(rows)


# -- which people the verdicts judge in Python -----------------------------------------------------------


def _python_people(source_type: str) -> str:
    if source_type == sources.SOCIAL:  # people with a row an employer pays: a job to propose
        return f"""SELECT DISTINCT person_id FROM lk
            WHERE {_extra("险种")} IN ({_quoted(EMPLOYER_INSURANCE)}) AND {_extra("参保状态")} = '参保缴费'
              AND coalesce({_extra("参保单位")}, '') <> ''"""
    return "SELECT NULL::BIGINT AS person_id WHERE false"


# -- match findings -----------------------------------------------------------------------------------


def _match_findings(con, area_id: str) -> None:
    """Verdicts.match_finding for rows linked fuzzily or to nobody; rows linked exactly get none."""
    differs = _identity_differences()[0]
    con.execute(
        f"""INSERT INTO findings
        SELECT 'unmatched', '', 'info', {_text(area_id)}, NULL, row_no, left(row_name, 50), 'none', NULL,
            '{{}}', '{{}}',
            left('名册中未找到此人' || coalesce('；证件号码：' || id_problem, ''), 500), [row_no], 0
        FROM lk WHERE person_id IS NULL AND method <> 'ambiguous'"""
    )
    con.execute(
        """INSERT INTO findings
        SELECT 'ambiguous', '', 'open', c.area_id, NULL, l.row_no, left(l.row_name, 50), 'ambiguous',
            l.probability, CAST(json_object('candidates', c.listed) AS VARCHAR), '{}',
            left('姓名、性别、出生日期等同样相符于'
                 || CASE WHEN len(c.listed) > 1 THEN '名册中 ' || len(c.listed) || ' 人'
                         ELSE '名册中此人，但另有来源行与其同样相符' END
                 || '，无法确定是哪一位（最高概率 ' || printf('%.3f', l.probability) || '），请核实'
                 || coalesce('；证件号码：' || l.id_problem, ''), 500), [l.row_no], 0
        FROM lk l JOIN candidates c USING (row_no)
        WHERE l.method = 'ambiguous'"""
    )
    con.execute(
        f"""INSERT INTO findings
        SELECT 'fuzzy', '', 'info', r.area_code, l.person_id, l.row_no, left(l.row_name, 50), l.method,
            l.probability, {differs}, '{{}}',
            left('证件号码不一致或缺失，按姓名、出生日期等模糊匹配（概率 ' || printf('%.3f', l.probability)
                 || '）' || coalesce('；证件号码：' || l.id_problem, ''), 500), [l.row_no], 0
        FROM lk l JOIN registry_full r USING (person_id)
        WHERE l.method <> 'exact'"""
    )


def _identity_differences(row: str = "l", registry: str = "r") -> tuple[str, str]:
    """identity_differences() in SQL: (JSON text of {label: registry value} where the row says otherwise,
    the summary's "label：来源「…」，名册「…」" parts joined by ；)."""
    kinds = {"name": "VARCHAR", "sex": "VARCHAR", "birth_date": "DATE"}
    mine = {"name": "row_name", "sex": "row_sex", "birth_date": "row_birth"}
    differs, json_parts, said_parts = {}, [], []
    for attribute, label in IDENTITY_FIELDS:
        a, b = f"{row}.{mine[attribute]}", f"{registry}.{attribute}"
        if kinds[attribute] == "VARCHAR":
            differs[attribute] = f"coalesce(nullif({a}, '') <> nullif({b}, ''), false)"
        else:
            differs[attribute] = f"coalesce({a} <> {b}, false)"
        theirs = _shown(b, kinds[attribute])
        json_parts.append(
            f"CASE WHEN {differs[attribute]} THEN {_text(_dumps(label) + ': ')} || "
            f"CAST(to_json({theirs}) AS VARCHAR) END"
        )
        said_parts.append(
            f"CASE WHEN {differs[attribute]} THEN {_text(label + '：来源「')} || "
            f"{_shown(a, kinds[attribute])} || '」，名册「' || {theirs} || '」' END"
        )
    return (
        "'{' || concat_ws(', ', " + ", ".join(json_parts) + ") || '}'",
        "concat_ws('；', " + ", ".join(said_parts) + ")",
    )


def _identity_findings(con) -> None:
    """Verdicts.identity: rows linked by ID whose name, sex or birth date is not the registry's."""
    differs, said = _identity_differences()
    con.execute(
        f"""INSERT INTO findings
        SELECT 'conflict', {_text(IDENTITY)}, 'open', area_code, person_id, row_no, left(name, 50), method,
            probability, differs, '{{}}', left('证件号码相同，' || said || '；请核实', 500), [row_no], 0
        FROM (
            SELECT r.area_code, l.person_id, l.row_no, r.name, l.method, l.probability,
                {differs} AS differs, {said} AS said
            FROM lk l JOIN registry_full r USING (person_id)
            WHERE l.method = 'exact')
        WHERE said <> ''"""
    )


# -- conflicts in SQL ---------------------------------------------------------------------------------


def _decisions(source_type: str) -> str:
    """Per person judged here: the rows a finding covers (`covers`, by row number), how the first of them
    was linked and the lowest probability among them (`method`, `probability`: Verdicts._conflict's), whether
    the rows contradict each other (`what` names the value) and the values they want (`w_<field>`), with
    the summary's opening (`said`)."""
    mine = (
        "method, coalesce(probability, 0) AS probability FROM lk "
        "WHERE person_id IS NOT NULL AND person_id NOT IN (SELECT person_id FROM py_people)"
    )
    # The link of the rows a person's group covers, when the group is all of them.
    linked = "arg_min(method, row_no) AS method, min(probability) AS probability"
    if source_type == sources.DEATH:
        return f"""
        WITH x AS (SELECT person_id, row_no, CAST({_extra("死亡日期")} AS DATE) AS died, {mine})
        SELECT person_id, list(row_no ORDER BY row_no) AS covers, {linked},
            CASE WHEN min(died) <> max(died) THEN '死亡日期' END AS what, '' AS shown,
            true AS w_is_deceased, min(died) AS w_died_on,
            '来源：' || CAST(min(died) AS VARCHAR) || ' 死亡' AS said
        FROM x GROUP BY person_id"""
    if source_type == sources.DISABILITY:
        return f"""
        WITH x AS (SELECT person_id, row_no, {_extra("残疾类别")} AS category, {_extra("残疾等级")} AS grade,
                   {mine})
        SELECT person_id, list(row_no ORDER BY row_no) AS covers, {linked},
            CASE WHEN min((coalesce(category, chr(0)), coalesce(grade, chr(0))))
                 <> max((coalesce(category, chr(0)), coalesce(grade, chr(0))))
                 THEN '残疾类别、等级' END AS what, '' AS shown,
            '残疾' AS w_health, min(category) AS w_disability_category, min(grade) AS w_disability_grade,
            '来源：' || min(category) || min(grade) AS said
        FROM x GROUP BY person_id"""
    if source_type == sources.MEDICAL:
        return f"""
        WITH x AS (SELECT person_id, row_no, CAST({_extra("参保年度")} AS INTEGER) AS year,
                          {_extra("参保状态")} AS status, {mine}),
        current AS (SELECT * FROM x QUALIFY year = max(year) OVER (PARTITION BY person_id)),
        g AS (SELECT person_id, list(row_no ORDER BY row_no) AS covers, {linked}, max(year) AS year,
                     min(coalesce(status, chr(0))) <> max(coalesce(status, chr(0))) AS torn,
                     min(status) AS status
              FROM current GROUP BY person_id)
        SELECT g.person_id, covers, method, probability,
            CASE WHEN torn THEN CAST(g.year AS VARCHAR) || '年度医保参保状态' END AS what,
            '' AS shown,
            g.year AS w_medical_insured_year, status AS w_medical_status,
            '来源：' || CAST(g.year AS VARCHAR) || '年度' || coalesce(status, '') AS said
        FROM g JOIN registry_full r USING (person_id)
        -- the registry already knows a later year: nothing to propose (a contradiction still stands)
        WHERE torn OR coalesce(r.medical_insured_year, 0) <= g.year"""
    # 社保: the pension rows of a person; contradiction when one pension kind has two statuses.
    return f"""
        WITH x AS (SELECT person_id, row_no, {_extra("险种")} AS kind, {_extra("参保状态")} AS status, {mine}
                   AND {_extra("险种")} IN ({_quoted(PENSION_KINDS)})),
        -- two statuses of one kind (min and max: a count of distinct values took twice the time)
        kinds AS (SELECT person_id, kind, min(row_no) AS first_row,
                         min(coalesce(status, chr(0))) <> max(coalesce(status, chr(0))) AS torn
                  FROM x GROUP BY person_id, kind),
        torn AS (SELECT person_id, arg_min(kind, first_row) AS kind FROM kinds WHERE torn
                 GROUP BY person_id),
        -- the row to follow: the first active one, else the first (ordered aggregates only where torn)
        best AS (SELECT person_id,
                        arg_min(row_no, (coalesce(status NOT IN ({_quoted(ACTIVE_INSURANCE)}), true), row_no))
                            AS row_no
                 FROM x GROUP BY person_id),
        torn_rows AS (SELECT person_id, list(row_no ORDER BY row_no) AS all_rows, {linked}
                      FROM x SEMI JOIN torn USING (person_id) GROUP BY person_id)
        SELECT b.person_id, CASE WHEN t.kind IS NULL THEN [b.row_no] ELSE tr.all_rows END AS covers,
            CASE WHEN t.kind IS NULL THEN x.method ELSE tr.method END AS method,
            CASE WHEN t.kind IS NULL THEN x.probability ELSE tr.probability END AS probability,
            t.kind || '参保状态' AS what, 'pension' AS shown,
            x.kind AS w_pension_insurance, x.status AS w_pension_status,
            '来源：' || coalesce(x.kind, '') || coalesce(x.status, '') AS said
        FROM best b JOIN x USING (person_id, row_no) LEFT JOIN torn t USING (person_id)
            LEFT JOIN torn_rows tr USING (person_id)"""


def _columnar_conflicts(con, source_type: str) -> None:
    """Verdicts._person_change and Verdicts._contradiction, for the people _decisions judges."""
    change, fields = CHANGED[source_type]
    con.execute(f"CREATE OR REPLACE TABLE decisions AS {_decisions(source_type)}")
    differs = {f: f"(r.{f} IS DISTINCT FROM d.w_{f})" for f in fields}
    parts = [
        f"CASE WHEN {differs[f]} THEN '\"{f}\": ' || CAST(to_json(d.w_{f}) AS VARCHAR) END" for f in fields
    ]
    proposal = "'{\"person\": {' || concat_ws(', ', " + ", ".join(parts) + ") || '}}'"
    advice = [
        f"CASE WHEN {differs[f]} THEN {_text(LABELS[f] + '：')} || "
        f"coalesce(nullif({_shown(f'r.{f}', COLUMN_TYPES[f])}, ''), '（空）') || ' → ' || "
        f"{_shown(f'd.w_{f}', COLUMN_TYPES[f])} END"
        for f in fields
    ]
    registry = {"pension": _registry_json(SHOWN["pension"]), "": _registry_json(())}
    said = f"left(d.said || '。建议：' || concat_ws('；', {', '.join(advice)}), 500)"
    direct = "false"
    if change in FILLS:
        # Fills (group_fills), straight into fill_people: open, one row linked exactly by ID, none of the
        # change's values held, every value given. Their registry values and proposal as a finding's
        # JSON would be built only to be taken apart again (3 million people in a province's 社保 run).
        empty = " AND ".join(f"{_shown(f'r.{f}', COLUMN_TYPES[f])} = ''" for f in SHOWN[change])
        given = " AND ".join(f"d.w_{f} IS NOT NULL" for f in fields)
        direct = f"""(d.what IS NULL AND len(d.covers) = 1 AND d.method = 'exact' AND {empty} AND {given}
            AND ({" OR ".join(differs.values())}))"""
        values = ", ".join(f"{_text(f)}, d.w_{f}" for f in fields)
        con.execute(
            f"""INSERT INTO {FILL_PEOPLE_TABLE}
            SELECT r.area_code, {_text(change)}, CAST(json_object({values}) AS VARCHAR), d.person_id,
                d.covers[1], left(r.name, 50), {said}, 0
            FROM decisions d JOIN registry_full r USING (person_id)
            WHERE {direct}"""
        )
    con.execute(
        f"""INSERT INTO findings
        SELECT 'conflict', CASE WHEN d.what IS NULL THEN {_text(change)} ELSE 'contradiction' END,
            CASE WHEN d.what IS NULL THEN 'open' ELSE 'info' END, r.area_code, d.person_id, d.covers[1],
            left(r.name, 50), d.method, d.probability,
            CASE WHEN d.what IS NULL THEN {_registry_json(SHOWN[change])}
                 WHEN d.shown = 'pension' THEN {registry["pension"]} ELSE {registry[""]} END,
            CASE WHEN d.what IS NULL THEN {proposal} ELSE '{{}}' END,
            CASE WHEN d.what IS NULL THEN {said}
                 ELSE left(array_to_string([('第' || n || '行') FOR n IN d.covers], '、') || '对此人的'
                           || d.what || '相互矛盾，请核实', 500) END,
            d.covers, 0
        FROM decisions d JOIN registry_full r USING (person_id)
        WHERE (d.what IS NOT NULL OR {" OR ".join(differs.values())}) AND NOT {direct}"""
    )
    con.execute("DROP TABLE decisions")


def _employment_keys_table(con, employments, clock) -> None:
    """`employment_keys` (person_id, key, started): the existing employment records (Verdicts.employments) of
    the people whose row may propose one (a single current employer), one call for all of them."""
    ids = [
        row[0] for row in con.execute("SELECT person_id FROM jobs WHERE NOT torn AND NOT clash").fetchall()
    ]
    if clock is None:
        found = employments(ids)
    else:
        with clock("registry_values"):
            found = employments(ids)
    keys = [(person, key, started) for person, pairs in found.items() for key, started in pairs]
    kinds = (pa.int64(), pa.string(), pa.string())
    table = pa.table(
        [pa.array([k[i] for k in keys], kind) for i, kind in enumerate(kinds)],
        names=["person_id", "key", "started"],
    )
    con.register("employment_keys_arrow", table)
    con.execute("CREATE OR REPLACE TABLE employment_keys AS SELECT * FROM employment_keys_arrow")
    con.unregister("employment_keys_arrow")


def _columnar_employment(con, today: dt.date, employments, in_force, clock) -> None:
    """Verdicts._employment for every person, in SQL: of a person's current jobs (no 离职日期, or one after
    today), several employers are a contradiction, and so is a row at that employer that ended on or
    after a current one there started; else the latest started job is proposed (a new employment record
    unless one with its employer and start exists, and the 务工状态 its place gives), and the rows that
    ended propose to end the records in force they speak of (_columnar_endings)."""
    day = _text(today.isoformat())
    current = f"(coalesce({_extra('离职日期')}, '') = '' OR {_extra('离职日期')} > {day})"
    ended = f"(coalesce({_extra('离职日期')}, '') <> '' AND {_extra('离职日期')} <= {day})"
    employer = f"coalesce(nullif({_extra('统一社会信用代码')}, ''), {_extra('单位名称')})"
    con.execute(
        f"""CREATE OR REPLACE TABLE jobs AS
        WITH c AS (
            SELECT person_id, min({employer}) <> max({employer}) AS torn, min({employer}) AS employer,
                min({_extra("入职日期")}) AS since, arg_max(row_no, ({_extra("入职日期")}, row_no)) AS row_no
            FROM lk WHERE person_id IS NOT NULL AND {current} GROUP BY person_id
        ), clashes AS (  -- ended at the one current employer on or after a current row there started
            SELECT DISTINCT l.person_id FROM lk l JOIN c ON c.person_id = l.person_id AND NOT c.torn
            WHERE {ended} AND {employer} = c.employer AND {_extra("离职日期")} >= c.since
        )
        SELECT c.*, x.person_id IS NOT NULL AS clash FROM c LEFT JOIN clashes x USING (person_id)"""
    )
    _employment_keys_table(con, employments, clock)
    code = f"coalesce({_extra('统一社会信用代码')}, '')"
    # The work area: the row's, else the employers ledger's (by credit code, else by a name only one
    # employer of the ledger has); the place, else by the area where the credit code was registered.
    row_area = _extra("工作地区划代码")
    work_area = (
        f"CASE WHEN coalesce({row_area}, '') <> '' THEN {row_area} "
        f"ELSE coalesce(lc.area, ln.area, {row_area}) END"
    )
    kind = "coalesce(lc.kind, ln.kind)"
    con.execute(
        f"""CREATE OR REPLACE TABLE job_proposals AS
        WITH j AS (
            SELECT j.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability,
                {_extra("单位名称")} AS employer, {code} AS code, {work_area} AS work_area,
                {_extra("入职日期")} AS started, {_extra("离职日期")} AS ended, {_extra("月工资")} AS wage,
                CASE WHEN {kind} IN ({_quoted(WORKSHOP_KINDS)}) THEN {_text(WORKSHOP_CHANNEL)} ELSE '' END
                    AS channel,
                r.area_code, r.name, coalesce(r.employment_status, '') AS status,
                {_registry_json(SHOWN["employment"])} AS registry,
                NOT EXISTS (SELECT 1 FROM employment_keys k WHERE k.person_id = j.person_id
                    AND k.key = {employer} AND k.started = {_extra("入职日期")}) AS new_job
            FROM jobs j JOIN lk l USING (row_no) JOIN registry_full r ON r.person_id = j.person_id
                LEFT JOIN ledger lc ON {code} <> '' AND lc.credit_code = {code}
                LEFT JOIN ledger_names ln ON {code} = '' AND ln.name = {_extra("单位名称")}
            WHERE NOT j.torn AND NOT j.clash
        ), p AS (
            SELECT *, CASE WHEN coalesce(work_area, '') <> '' THEN work_area
                           WHEN length(code) = 18 THEN rpad(substr(code, 3, 6), 12, '0') END AS place_code
            FROM j
        ), q AS (
            SELECT *, CASE WHEN place_code IS NULL THEN NULL
                           WHEN substr(place_code, 1, 6) = substr(area_code, 1, 6) THEN '县内务工'
                           WHEN substr(place_code, 1, 2) = substr(area_code, 1, 2) THEN '省内县外务工'
                           ELSE '省外务工' END AS place
            FROM p
        )
        SELECT *, place IS NOT NULL AND status <> place AS set_place FROM q"""
    )
    job = (
        "json_object('employer_name', employer, 'credit_code', code, 'work_area', work_area, "
        "'started_on', started, 'ended_on', ended, 'monthly_wage', wage, 'place', "
        "CASE place WHEN '县内务工' THEN '县内' WHEN '省内县外务工' THEN '省内县外' "
        "WHEN '省外务工' THEN '省外' ELSE '' END, 'channel', channel)"
    )
    proposal = f"""'{{' || concat_ws(', ',
        CASE WHEN new_job THEN '"employment": ' || CAST({job} AS VARCHAR) END,
        CASE WHEN set_place THEN '"person": {{"employment_status": ' || to_json(place) || '}}' END) || '}}'"""
    status = "coalesce(nullif(status, ''), '（空）')"
    parts = f"""concat_ws('；', CASE WHEN new_job THEN '新增就业记录' END,
        CASE WHEN set_place THEN '务工状态：' || {status} || ' → ' || place
             WHEN place IS NULL AND status IN ('', '未务工')
             THEN '务工地无法确定，请核实后修改务工状态' END)"""
    con.execute(
        f"""INSERT INTO findings
        SELECT 'conflict', 'employment', 'open', area_code, person_id, row_no, left(name, 50), method,
            probability, registry, {proposal},
            left('来源：' || started || ' 入职「' || employer || '」；名册：' || {status}
                 || '。建议：' || {parts}, 500),
            [row_no], 0
        FROM job_proposals WHERE new_job OR set_place"""
    )
    _contradictions(
        con,
        f"""SELECT l.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability
        FROM lk l SEMI JOIN jobs j ON j.person_id = l.person_id AND j.torn
        WHERE {current}""",
        "'在职单位（同时在多家单位在职）'",
        (),
    )
    _contradictions(
        con,
        f"""SELECT l.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability
        FROM lk l JOIN jobs j ON j.person_id = l.person_id AND j.clash
        WHERE {current} OR ({ended} AND {employer} = j.employer AND {_extra("离职日期")} >= j.since)""",
        "'在职状态（同一单位既在职又已离职）'",
        (),
    )
    name, credit = _extra("单位名称"), _extra("统一社会信用代码")
    _columnar_endings(
        con,
        f"""SELECT l.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability,
            {name} AS name, coalesce(nullif({credit}, ''), ln.credit_code, '') AS code,
            {_extra("离职日期")} AS ended_on,
            '来源：' || {_extra("离职日期")} || ' 从「' || {name} || '」离职' AS said,
            j.person_id IS NOT NULL AS current
        FROM lk l LEFT JOIN jobs j USING (person_id)
            LEFT JOIN ledger_names ln ON coalesce({credit}, '') = '' AND ln.name = {name}
        WHERE l.person_id IS NOT NULL AND {ended} AND NOT coalesce(j.torn OR j.clash, false)""",
        today,
        in_force,
        clock,
    )
    for table in ("jobs", "job_proposals", "employment_keys"):
        con.execute(f"DROP TABLE {table}")


def _insurance_ended(today: dt.date) -> str:
    """Verdicts._insurance_ended in SQL: the 终止参保 rows of an insurance an employer pays, of the people
    judged here (those with such a row being paid are judged in Python), with the day the job ended."""
    unit, month, day = _extra("参保单位"), _extra("最近缴费年月"), _extra("终止参保日期")
    month_end = f"strftime(last_day(CAST({month} || '-01' AS DATE)), '%Y-%m-%d')"
    return f"""SELECT l.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability,
            {unit} AS name, coalesce(ln.credit_code, '') AS code,
            CASE WHEN coalesce({day}, '') <> '' THEN {day} WHEN coalesce({month}, '') <> '' THEN {month_end}
                 ELSE {_text(today.isoformat())} END AS ended_on,
            '来源：「' || {unit} || '」' || {_extra("险种")} || '终止参保（'
                || CASE WHEN coalesce({day}, '') <> '' THEN '终止参保日期 ' || {day}
                        WHEN coalesce({month}, '') <> ''
                        THEN '未写终止参保日期，按最近缴费年月 ' || {month} || ' 的月末'
                        ELSE '未写终止参保日期和最近缴费年月，按比对日期' END || '）' AS said,
            false AS current
        FROM lk l LEFT JOIN ledger_names ln ON ln.name = {unit}
        WHERE l.person_id IS NOT NULL AND l.person_id NOT IN (SELECT person_id FROM py_people)
            AND {_extra("险种")} IN ({_quoted(EMPLOYER_INSURANCE)})
            AND {_extra("参保状态")} = {_text(TERMINATED)}
            AND coalesce({unit}, '') <> ''"""


def _columnar_endings(con, ended: str, today: dt.date, in_force, clock) -> None:
    """Verdicts._endings for every person of `ended` (rows saying a job ended: person_id, row_no, method,
    probability, name, code, ended_on, said, current): their records in force (read in one call) that
    such a row speaks of, each ended on the latest such end, as the first row of those says
    (verdicts.ended_record_matches)."""
    day = _text(today.isoformat())
    con.execute(f"CREATE OR REPLACE TABLE ended AS SELECT * FROM ({ended}) WHERE ended_on <= {day}")
    ids = [row[0] for row in con.execute("SELECT DISTINCT person_id FROM ended").fetchall()]
    if clock is None:
        found = in_force(ids) if ids else {}
    else:
        with clock("registry_values"):
            found = in_force(ids) if ids else {}
    records = [(person, *record) for person, held in found.items() for record in held]
    kinds = (pa.int64(), pa.int64(), pa.string(), pa.string(), pa.string())
    table = pa.table(
        [pa.array([r[i] for r in records], kind) for i, kind in enumerate(kinds)],
        names=["person_id", "record_id", "employer_name", "credit_code", "started"],
    )
    con.register("in_force_arrow", table)
    con.execute(
        f"""INSERT INTO findings
        WITH rec AS (
            SELECT *, count(*) OVER (PARTITION BY person_id) AS n,
                row_number() OVER (PARTITION BY person_id ORDER BY started, record_id) AS seq
            FROM in_force_arrow
        ), m AS (
            SELECT r.*, e.row_no, e.method, e.probability, e.ended_on, e.said
            FROM ended e JOIN rec r USING (person_id)
            WHERE e.ended_on >= r.started
              AND ((e.code <> '' AND r.credit_code = e.code) OR (e.name <> '' AND r.employer_name = e.name)
                   OR (r.n = 1 AND NOT e.current AND r.employer_name = '' AND r.credit_code = ''))
            QUALIFY row_number() OVER (PARTITION BY r.record_id ORDER BY e.ended_on DESC, e.row_no) = 1
        ), x AS (
            SELECT m.*,
                coalesce(nullif(m.employer_name, ''), '单位不详') || '，' || m.started || ' 入职' AS shown
            FROM m
        )
        SELECT 'conflict', {_text(ENDING)}, 'open', g.area_code, x.person_id, x.row_no, left(g.name, 50),
            x.method, x.probability,
            CAST(json_object({_text(LABELS["employment_status"])}, {_shown("g.employment_status", "VARCHAR")},
                             {_text(RECORD_LABEL)}, x.shown) AS VARCHAR),
            '{{"{ENDING}": ' || CAST(json_object('record', x.record_id, 'employer_name', x.employer_name,
                'credit_code', x.credit_code, 'started_on', x.started, 'ended_on', x.ended_on) AS VARCHAR)
                || '}}',
            left(x.said || '；名册：' || x.shown || '，在职。建议：结束该就业记录，离职日期 '
                 || x.ended_on, 500),
            [x.row_no], x.seq
        FROM x JOIN registry_full g USING (person_id)"""
    )
    con.unregister("in_force_arrow")
    con.execute("DROP TABLE ended")


def _contradictions(con, rows: str, what: str, fields: Iterable[str]) -> None:
    """Verdicts._contradiction for each person of `rows` (person_id, row_no, method, probability): a finding
    covering those rows, saying `what` (an SQL expression over them) is contradicted."""
    con.execute(
        f"""INSERT INTO findings
        WITH x AS ({rows}),
        g AS (SELECT person_id, {what} AS what, list(row_no ORDER BY row_no) AS covers,
                     arg_min(method, row_no) AS method, min(probability) AS probability
              FROM x GROUP BY ALL)
        SELECT 'conflict', 'contradiction', 'info', r.area_code, g.person_id, g.covers[1], left(r.name, 50),
            g.method, g.probability, {_registry_json(fields)}, '{{}}',
            left(array_to_string([('第' || n || '行') FOR n IN g.covers], '、') || '对此人的' || g.what
                 || '相互矛盾，请核实', 500),
            g.covers, 0
        FROM g JOIN registry_full r USING (person_id)"""
    )


def _columnar_assistance(con, today: dt.date) -> None:
    """Verdicts._civil_affairs for every person, in SQL: per household and kind (低保, 特困), the person of
    lowest id with rows of that kind judges it; rows that disagree on whether it is in force today are a
    contradiction, else a household value that differs is proposed."""
    day = _text(today.isoformat())
    fields = SHOWN["assistance"]
    con.execute(
        f"""CREATE OR REPLACE TABLE assisted AS
        WITH x AS (
            SELECT l.person_id, l.row_no, l.method, coalesce(l.probability, 0) AS probability,
                {_extra("救助类型")} AS kind,
                (coalesce({_extra("开始日期")}, '') = '' OR {_extra("开始日期")} <= {day})
                AND (coalesce({_extra("终止日期")}, '') = '' OR {_extra("终止日期")} > {day}) AS active
            FROM lk l WHERE l.person_id IS NOT NULL AND {_extra("救助类型")} IN ('低保', '特困')
        ), g AS (
            SELECT x.person_id, x.kind, r.household_id, bool_or(active) <> bool_and(active) AS torn,
                bool_and(active) AS now, max(row_no) AS last_row
            FROM x JOIN registry_full r USING (person_id) GROUP BY x.person_id, x.kind, r.household_id
            QUALIFY row_number() OVER (PARTITION BY r.household_id, x.kind ORDER BY x.person_id) = 1
        )
        SELECT x.*, g.torn, g.now, g.last_row FROM x JOIN g USING (person_id, kind)"""
    )
    _contradictions(
        con,
        "SELECT person_id, row_no, method, probability, kind FROM assisted WHERE torn",
        "kind || '状态'",
        fields,
    )
    field = "CASE g.kind WHEN '低保' THEN r.is_dibao ELSE r.is_tekun END"
    label = f"CASE g.kind WHEN '低保' THEN {_text(LABELS['is_dibao'])} ELSE {_text(LABELS['is_tekun'])} END"
    con.execute(
        f"""INSERT INTO findings
        WITH g AS (
            SELECT person_id, kind, any_value(now) AS now, list(row_no ORDER BY row_no) AS covers,
                arg_min(method, row_no) AS method, min(probability) AS probability,
                any_value(last_row) AS last
            FROM assisted WHERE NOT torn GROUP BY person_id, kind
        )
        SELECT 'conflict', 'assistance', 'open', r.area_code, g.person_id, g.covers[1], left(r.name, 50),
            g.method, g.probability, {_registry_json(fields)},
            '{{"household": {{"' || CASE g.kind WHEN '低保' THEN 'is_dibao' ELSE 'is_tekun' END || '": '
                || CASE WHEN g.now THEN 'true' ELSE 'false' END || '}}}}',
            left('来源：' || g.kind || CASE WHEN g.now THEN '享受中' ELSE '已终止' END || '（'
                 || coalesce(nullif(e.{_extra("开始日期")}, ''), '？') || ' 至 '
                 || coalesce(nullif(e.{_extra("终止日期")}, ''), '今') || '）。建议：户的' || {label} || '：'
                 || coalesce(nullif({_shown(field, "BOOLEAN")}, ''), '（空）') || ' → '
                 || CASE WHEN g.now THEN '是' ELSE '否' END, 500),
            g.covers, 0
        FROM g JOIN registry_full r USING (person_id) JOIN lk e ON e.row_no = g.last
        WHERE ({field}) IS DISTINCT FROM g.now"""
    )
    con.execute("DROP TABLE assisted")


# -- the rest in Python -------------------------------------------------------------------------------


def _linked_rows(con, source_type: str, only_python: bool) -> Iterator[tuple[Linked, dict | None]]:
    """Linked rows ordered by person, so that each person's rows are judged together; each with the
    registry values of its person (as the verdicts name them), or None for rows linked to nobody."""
    values, keys = [c[0] for c in REGISTRY_COLUMNS], PERSON_VALUES
    extra = [name for name, _ in sources.TYPES[source_type].extra_values]
    first = 10 + len(extra)  # the registry's values follow the row's
    where = "WHERE l.person_id IN (SELECT person_id FROM py_people)" if only_python else ""
    cursor = con.cursor().execute(  # its own cursor: findings are added on `con` meanwhile
        f"""
        SELECT l.row_no, l.row_name, l.person_id, l.method, l.probability, l.id_problem, l.row_sex,
               l.row_birth, c.listed, c.areas,
               {", ".join(f"e.{_extra(name)}" for name in extra)}, {", ".join(f"r.{v}" for v in values)}
        FROM lk l JOIN source_extra e USING (row_no) LEFT JOIN registry_full r ON r.person_id = l.person_id
        LEFT JOIN candidates c ON c.row_no = l.row_no
        {where}
        ORDER BY l.person_id NULLS LAST, l.row_no
        """
    )
    last_id, last_values = None, None
    while batch := cursor.fetchmany(10_000):
        for row in batch:
            row_no, name, person_id, method, probability, problem, sex, birth, listed, areas = row[:10]
            if person_id is None:
                person = None
            elif person_id == last_id:
                person = last_values
            else:
                person = dict(zip(keys, row[first:], strict=True))
                last_id, last_values = person_id, person
            values = dict(zip(extra, row[10:first], strict=True))
            candidates = [
                (c["person"], c["probability"], area)
                for c, area in zip(listed or (), areas or (), strict=True)
            ]
            linked = Linked(
                row_no, name, person_id, method, probability, values, problem, sex, birth, candidates
            )
            yield linked, person


def _chunks_by_person(rows: Iterator[tuple[Linked, dict | None]], size: int) -> Iterator[list]:
    chunk: list[tuple[Linked, dict | None]] = []
    for item in rows:
        row = item[0]
        if len(chunk) >= size and (row.person_id is None or row.person_id != chunk[-1][0].person_id):
            yield chunk
            chunk = []
        chunk.append(item)
    if chunk:
        yield chunk


def _python_findings(con, verdicts: Verdicts, columnar: bool, employments, in_force, progress, clock) -> None:
    """The per-person verdicts for the people of `py_people` (and, without `columnar`, match findings)."""
    total = con.execute("SELECT count(*) FROM lk").fetchall()[0][0] or 1
    done = 0
    linked = _linked_rows(con, verdicts.source_type, only_python=columnar)
    for items in _chunks_by_person(linked, PYTHON_CHUNK):
        chunk = [row for row, _ in items]
        verdicts.people = {values["id"]: values for _, values in items if values is not None}
        if verdicts.source_type in (sources.EMPLOYMENT, sources.SOCIAL):
            if clock is None:
                verdicts.employments, held = employments(verdicts.people), in_force(verdicts.people)
            else:
                with clock("registry_values"):
                    verdicts.employments, held = employments(verdicts.people), in_force(verdicts.people)
            verdicts.in_force = {
                person: [InForce(*record) for record in records] for person, records in held.items()
            }
        drafts = []
        if not columnar:
            drafts = [d for d in map(verdicts.match_finding, chunk) if d.kind != "exact"]
            drafts += filter(None, map(verdicts.identity, chunk))
        _add(con, drafts + verdicts.conflicts(chunk))
        done += len(chunk)
        if progress:
            progress(done, total)


def _add(con, drafts: list[Draft]) -> None:
    if not drafts:
        return
    dumps = _dumps
    columns: dict[str, list] = {name: [] for name in (*FINDING_COLUMNS, "covers", "seq")}
    for seq, d in enumerate(drafts):
        values = (
            d.kind, d.change, d.status, d.area_id, d.person_id, d.row_no, d.name[:50], d.method,
            d.probability, dumps(d.registry), dumps(d.proposal), d.summary[:500], d.covers, seq,
        )  # fmt: skip
        for column, value in zip(columns.values(), values, strict=True):
            column.append(value)
    batch = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in columns.items() if k not in _TYPED},
            **{k: pa.array(columns[k], kind) for k, kind in _TYPED.items()},
        }
    )
    con.register("python_findings", batch)
    con.execute(
        f"INSERT INTO findings SELECT {', '.join((*FINDING_COLUMNS, 'covers', 'seq'))} FROM python_findings"
    )
    con.unregister("python_findings")


_TYPED = {
    "person_id": pa.int64(),
    "row_no": pa.int64(),
    "probability": pa.float64(),
    "covers": pa.list_(pa.int64()),
    "seq": pa.int64(),
}


# -- 未参保 --------------------------------------------------------------------------------------------

STUDENTS = ("小学", "七年级", "八年级", "九年级", "高中", "中职", "高职", "大专", "本科及以上")


def _missing(con, source_type: str, verdicts: Verdicts, today: dt.date, columnar: bool) -> None:
    """Registry people an insurance file should hold but lacks (未参保): alive people of the run's area
    that no row of the file links to."""
    conditions = ["NOT r.is_deceased", "NOT EXISTS (SELECT 1 FROM links l WHERE l.person_id = r.person_id)"]
    params: list = []
    if source_type == sources.SOCIAL:
        pension_rows = con.execute(
            f"SELECT count(*) FROM lk WHERE {_extra('险种')} IN ({_quoted(PENSION_KINDS)})"
        ).fetchall()[0][0]
        if not pension_rows:
            return
        # 城乡居民养老保险 is for residents aged 16 and over who are not at school.
        sixteen = today.replace(year=today.year - 16, day=min(today.day, 28))
        conditions += ["r.birth_date <= ?", f"r.student_status NOT IN ({', '.join('?' * len(STUDENTS))})"]
        params += [sixteen, *STUDENTS]
        change, proposal, what = "pension", {"pension_status": UNINSURED, "pension_insurance": ""}, "养老保险"
    elif source_type == sources.MEDICAL:
        year = con.execute(f"SELECT max(CAST({_extra('参保年度')} AS INTEGER)) FROM lk").fetchall()[0][0]
        if not year:
            return
        change, what = "medical", "医保"
        proposal = {"medical_status": UNINSURED, "medical_insured_year": year}
    else:
        return
    where = " AND ".join(conditions)
    summary = f"名册有此人，{what}数据中没有：{UNINSURED}"
    if not columnar:
        values, keys = [c[0] for c in REGISTRY_COLUMNS], PERSON_VALUES
        cursor = con.cursor().execute(
            f"SELECT {', '.join(f'r.{v}' for v in values)} FROM registry_full r WHERE {where} "
            "ORDER BY r.person_id",
            params,
        )
        while batch := cursor.fetchmany(5000):
            people = (dict(zip(keys, row, strict=True)) for row in batch)
            _add(con, verdicts.missing(people, set(), change, proposal, what))
        return
    differs = {f: f"(r.{f} IS DISTINCT FROM {_sql_value(v)})" for f, v in proposal.items()}
    parts = [
        f"CASE WHEN {differs[f]} THEN {_text(json.dumps(f) + ': ' + _dumps(v))} END"
        for f, v in proposal.items()
    ]
    wanted = " OR ".join(differs.values())
    con.execute(
        f"""INSERT INTO findings
        SELECT 'missing', {_text(change)}, CASE WHEN {wanted} THEN 'open' ELSE 'info' END, r.area_code,
            r.person_id, NULL, left(r.name, 50), '', NULL, {_registry_json(SHOWN[change])},
            CASE WHEN {wanted} THEN '{{"person": {{' || concat_ws(', ', {", ".join(parts)}) || '}}}}'
                 ELSE '{{}}' END,
            {_text(summary)}, [], 0
        FROM registry_full r WHERE {where}""",
        params,
    )


def _sql_value(value) -> str:
    if isinstance(value, str):
        return _text(value)
    return str(int(value))


# -- results.csv's 差异 ------------------------------------------------------------------------------


def _row_diffs(con) -> None:
    """Per source row, as the verdicts' drafts said it: its conflicts' summaries (the fills' people's
    included, in the order they were made), else why it matched nobody or only fuzzily."""
    con.execute(
        f"""CREATE OR REPLACE TABLE row_diffs AS
        WITH u AS (
            SELECT unnest(covers) AS row_no, summary, change <> {_text(IDENTITY)} AS later, seq FROM findings
            WHERE kind = 'conflict' AND summary <> ''
            UNION ALL SELECT row_no, summary, true, seq FROM {FILL_PEOPLE_TABLE} WHERE summary <> ''
        ), several AS (SELECT row_no FROM u GROUP BY row_no HAVING count(*) > 1),
        c AS (  -- ordered aggregates are slow in DuckDB: only for rows with several conflicts
            SELECT row_no, summary AS diff FROM u ANTI JOIN several USING (row_no)
            UNION ALL
            SELECT row_no, string_agg(summary, '；' ORDER BY later, seq)
            FROM u SEMI JOIN several USING (row_no) GROUP BY row_no
        )
        SELECT coalesce(c.row_no, m.row_no) AS row_no, coalesce(c.diff, m.summary) AS diff
        FROM c FULL JOIN (
            SELECT row_no, summary FROM findings WHERE kind IN ('unmatched', 'fuzzy', 'ambiguous')) m
            USING (row_no)"""
    )


# -- fills, by village --------------------------------------------------------------------------------

# Changes that can fill what the registry has never held. A province's first 社保 file proposes a pension
# status for nearly everyone (3.4 million people): one finding per person would make the review a list
# nobody reads and the run's writing its slowest part. A person linked exactly by ID from one row, whose
# registry holds none of the values the change compares, is instead one of the people of a fill
# finding: one per village, change and values proposed (城乡居民养老保险 参保缴费 for these people, 暂停缴费
# for those), which a village's officer reviews as a list, leaving out whom they doubt. Every other
# change stays a finding of its own (deaths, disability and anything that would overwrite a value always
# do).
FILLS = ("pension", "medical")
FILL_PEOPLE_TABLE = "fill_people"
# What a fill finding's summary calls the values it fills.
LABELS_OF_CHANGE = {"pension": "养老保险参保信息", "medical": "医保参保信息"}


def group_fills(con) -> None:
    """Move the judged findings that fill an empty field (FILLS) out of `findings` into `fill_people`
    (FILL_PEOPLE: proposal is the values proposed, as JSON text; summary what results.csv says of the
    row), and add one open `fill` finding per village, change and proposal in their place: its proposal
    is theirs, its summary counts them (Finding.difference adds the advice). The SQL judging puts most
    fills into `fill_people` itself (_columnar_conflicts); this moves those the verdicts made in Python."""
    empty = " OR ".join(
        f"(change = {_text(change)} AND "
        + " AND ".join(
            f"coalesce(json_extract_string(registry, {_text(f'$."{LABELS[f]}"')}), '') = ''"
            for f in SHOWN[change]
        )
        + ")"
        for change in FILLS
    )
    fillable = f"""kind = 'conflict' AND status = 'open' AND method = 'exact' AND len(covers) = 1
        AND person_id IS NOT NULL AND ({empty})"""
    con.execute(FILL_PEOPLE)
    con.execute(
        f"""INSERT INTO {FILL_PEOPLE_TABLE}
        SELECT area_id, change, CAST(json_extract(proposal, '$.person') AS VARCHAR), person_id, row_no, name,
            summary, seq
        FROM findings WHERE {fillable}"""
    )
    # Found again by key, not by evaluating the JSON once more: (person, change, row) is one finding.
    con.execute(
        f"""DELETE FROM findings f WHERE kind = 'conflict' AND change IN ({_quoted(FILLS)})
        AND EXISTS (SELECT 1 FROM {FILL_PEOPLE_TABLE} p
                    WHERE p.person_id = f.person_id AND p.change = f.change AND p.row_no = f.row_no)"""
    )
    labels = " ".join(f"WHEN {_text(c)} THEN {_text(LABELS_OF_CHANGE[c])}" for c in FILLS)
    con.execute(
        f"""INSERT INTO findings
        SELECT 'fill', change, 'open', area_id, NULL, NULL, '', 'exact', NULL, '{{}}',
            '{{"person": ' || proposal || '}}',
            '名册中没有' || CASE change {labels} END || '、来源中有的 ' || count(*) || ' 人', [], 0
        FROM {FILL_PEOPLE_TABLE} GROUP BY area_id, change, proposal"""
    )
