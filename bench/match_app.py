"""Benchmark 人岗匹配 as a user runs it: `bangfu match` over a real database, beside a plain DuckDB baseline.

Run: flock /tmp/bangfu-bench.lock .venv/bin/python bench/match_app.py [--laborers 1000000] [--jobs 100000]
         [--postgres postgres://postgres@127.0.0.1:5432/bangfu_bench_match] [--skip-sqlite]

`bench/match.py` times the engine alone, on arrays encoded in advance. This one times what a user waits
for: the real command `bangfu match --area 000000000000 --top 10 --out FILE` in a child process, from
Django's start to the file written — laborers and jobs read from the database, wishes resolved,
reasons written — with its peak memory (getrusage of the child). Beside it, in the same run and on the
same database, a baseline of the kind a competent engineer writes in an afternoon (`baseline`): the
rows read into DuckDB, the same hard limits in one SQL join, a simple score, the top 10 per laborer,
the same kind of file (证件号码, 岗位编号, 统一社会信用代码, 排名, 得分, 理由).

1. Build (child process, not timed in the result): migrate (the classification is loaded after it),
   the generated world of `bench/match_data.py` (seed 7): its areas (made-up counties of six provinces,
   inserted as areas of the tree), employers, jobs, households and people, and the past jobs the
   generator gives 30 % of laborers (closed postings of those occupations and 就业记录 linked to them),
   inserted as tuples (`bangfu/core/bulk.py`, COPY on PostgreSQL).
2. `bangfu match` and the baseline, each in a fresh child process, timed whole from outside.
3. Both files checked by the independent checker of `bench/match.py` (`check`, on the generated raw
   columns): violations of every hard limit, and for ours the cap and the top 10.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

NATION = "000000000000"
HEADER = ("证件号码", "岗位编号", "统一社会信用代码", "排名", "得分", "理由")
EMPLOYERS = 10_000


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings")
    import django

    django.setup()


def world(laborers: int, jobs: int, on: dt.date):
    """The generated world (bench/match_data.py) with the keys the database and the files use: laborers
    sorted by village (households are runs of up to four people of one village), ID numbers and job
    numbers unique."""
    from match_data import generate

    lab, job = generate(laborers, jobs, on)
    order = np.argsort(lab["area"], kind="stable")
    lab = {k: v[order] for k, v in lab.items()}
    lab["id"] = np.arange(1, laborers + 1)
    lab["id_number"] = np.char.add(lab["area"].astype("U6"), np.char.zfill(lab["id"].astype("U12"), 12))
    job["number"] = np.char.add("J", np.char.zfill(job["id"].astype("U7"), 7))
    job["employer"] = (job["id"] - 1) % EMPLOYERS + 1
    job["credit_code"] = np.char.add("91", np.char.zfill(job["employer"].astype("U16"), 16))
    return lab, job


def build(args) -> dict:
    _django()
    import polars as pl
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from bangfu.areas.models import Area
    from bangfu.core.bulk import indexes_built_after, insert_frame, refresh_statistics
    from bangfu.employers.models import Employer
    from bangfu.employment.models import EmploymentRecord
    from bangfu.jobs.models import Job
    from bangfu.registry.models import Household, Person

    times = {}
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    times["migrate"] = time.perf_counter() - started
    on = dt.date.fromisoformat(args.on)
    lab, job = world(args.laborers, args.jobs, on)
    now = timezone.now()
    started = time.perf_counter()

    # Areas: every village and job place (a township) with its ancestors, under made-up names.
    rows = {}
    for code in set(lab["area"].tolist()) | set(job["area"].tolist()):
        for level, digits in ((1, 2), (2, 4), (3, 6), (4, 9)):
            rows.setdefault(code[:digits].ljust(12, "0"), level)
        rows.setdefault(code, 4 if code.endswith("000") else 5)
    areas = pl.DataFrame(
        {
            "code": list(rows),
            "name": [f"区域{c}" for c in rows],
            "full_name": [""] * len(rows),
            "level": list(rows.values()),
            "parent": [_parent(c, lvl) for c, lvl in rows.items()],
            "is_current": [True] * len(rows),
        }
    ).sort("level")
    with transaction.atomic():
        Area.objects.get_or_create(code=NATION, defaults={"name": "全国", "full_name": "全国", "level": 0})
        for level in range(1, 6):
            insert_frame(Area, areas.filter(pl.col("level") == level))
    times["areas"] = time.perf_counter() - started

    started = time.perf_counter()
    first_job = np.unique(job["employer"], return_index=True)[1]
    employers = pl.DataFrame(
        {
            "id": job["employer"][first_job].astype(np.int64),
            "credit_code": job["credit_code"][first_job],
            "name": [f"用人单位{i}" for i in job["employer"][first_job]],
            "area": np.char.add(job["area"][first_job].astype("U6"), "000000"),
        }
    )
    blank = ("address", "industry", "contact_name", "contact_phone", "note")
    deadline = job["deadline"]
    jobs = pl.DataFrame(
        {
            "id": job["id"].astype(np.int64),
            "employer": job["employer"].astype(np.int64),
            "number": job["number"],
            "title": job["title"],
            "occupation": job["occupation"],
            "openings": np.maximum(job["openings_left"], 1).astype(np.int64),
            "openings_left": job["openings_left"].astype(np.int64),
            "area": job["area"],
            "wage_min": pl.Series(job["wage_min"].astype(np.int64)).replace(0, None),
            "wage_max": pl.Series(job["wage_max"].astype(np.int64)).replace(0, None),
            "age_min": pl.Series(job["age_min"].astype(np.int64)).replace(-1, None),
            "age_max": pl.Series(job["age_max"].astype(np.int64)).replace(-1, None),
            "sex_required": job["sex_required"],
            "education_min": job["education_min"],
            "board_and_lodging": pl.Series(job["board"]).replace_strict(
                {"是": True, "否": False, "": None}, return_dtype=pl.Boolean
            ),
            "skills_required": job["skills_required"],
            "deadline": pl.Series(deadline.astype("M8[ms]")).cast(pl.Date),
            "suits_low_skill": job["suits_low_skill"],
            "status": job["status"],
        }
    )
    # Past jobs: one closed posting per occupation, and 就业记录 of the laborers who did them.
    past_codes = sorted((set(lab["past1"].tolist()) | set(lab["past2"].tolist())) - {""})
    past_id = {code: args.jobs + 1 + k for k, code in enumerate(past_codes)}
    past_jobs = pl.DataFrame(
        {
            "id": list(past_id.values()),
            "employer": [1] * len(past_id),
            "number": [f"P{k:05d}" for k in range(len(past_id))],
            "title": past_codes,
            "occupation": past_codes,
            "openings": [1] * len(past_id),
            "openings_left": [0] * len(past_id),
            "area": [employers["area"][0]] * len(past_id),
            "status": ["closed"] * len(past_id),
        }
    )
    with transaction.atomic():
        stamps = {"created_at": now, "updated_at": now}
        employer_constants = {**dict.fromkeys(blank, ""), "kind": "enterprise", "is_active": True}
        insert_frame(Employer, employers, {**employer_constants, **stamps})
        job_constants = {"occupation_inferred": False, "suits_low_skill_by_rule": False, "created_at": now,
                         "updated_at": now}  # fmt: skip
        insert_frame(Job, jobs, job_constants)
        insert_frame(
            Job,
            past_jobs,
            {**job_constants, "sex_required": "", "education_min": "", "skills_required": "",
             "suits_low_skill": False},
        )  # fmt: skip
    times["employers_and_jobs"] = time.perf_counter() - started

    started = time.perf_counter()
    n = args.laborers
    village = lab["area"]
    new_household = np.ones(n, dtype=bool)
    new_household[1:] = (village[1:] != village[:-1]) | (np.arange(1, n) % 4 == 0)
    household = np.cumsum(new_household)
    households = pl.DataFrame(
        {
            "id": household[new_household].astype(np.int64),
            "number": np.char.add("H", np.char.zfill(household[new_household].astype("U9"), 9)),
            "area": village[new_household],
        }
    )
    people = pl.DataFrame(
        {
            "id": lab["id"].astype(np.int64),
            "id_number": lab["id_number"],
            "id_reversed": np.array([s[::-1] for s in lab["id_number"].tolist()]),
            "name": np.char.add("劳动力", lab["id"].astype("U7")),
            "sex": lab["sex"],
            "birth_date": pl.Series(lab["birth"].astype("M8[ms]")).cast(pl.Date),
            "household": household.astype(np.int64),
            "relation": np.where(new_household, "户主", "其他"),
            "area": village,
            "education": lab["education"],
            "health": lab["health"],
            "labor_skill": lab["labor_skill"],
            "employment_status": np.full(n, "未务工"),
            "job_wish": lab["job_wish"],
            "desired_region": lab["desired_region"],
            "expected_wage": pl.Series(lab["expected_wage"].astype(np.int64)).replace(0, None),
            "skills": lab["skills"],
        }
    )
    person_blank = ("name_initials", "name_pinyin", "phone_reversed", "ethnicity", "student_status", "phone",
                    "training_wish", "entrepreneurship_wish", "disability_category", "disability_grade",
                    "pension_insurance", "pension_status", "medical_status")  # fmt: skip
    records = []
    for column, days in (("past1", 400), ("past2", 1200)):
        has = lab[column] != ""
        records.append(
            pl.DataFrame(
                {
                    "person": lab["id"][has].astype(np.int64),
                    "area": village[has],
                    "job": np.array([past_id[c] for c in lab[column][has].tolist()], dtype=np.int64),
                    "started_on": pl.Series([on - dt.timedelta(days=days)] * int(has.sum()), dtype=pl.Date),
                }
            )
        )
    record_frame = pl.concat(records)
    with transaction.atomic():
        with indexes_built_after(Household):
            household_constants = {"household_type": "脱贫户", "monitoring_type": "", "poverty_causes": ""}
            insert_frame(Household, households, {**household_constants, "created_at": now, "updated_at": now})
        with indexes_built_after(Person):
            insert_frame(Person, people, {**dict.fromkeys(person_blank, ""), "is_deceased": False,
                                          "created_at": now, "updated_at": now})  # fmt: skip
        with indexes_built_after(EmploymentRecord):
            insert_frame(EmploymentRecord, record_frame, {"employer_name": "用人单位1", "credit_code": "",
                                                          "place": "", "channel": "", "source": "manual",
                                                          "source_ref": "", "created_at": now,
                                                          "updated_at": now})  # fmt: skip
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Employer, Job, Household, Person]):
            cursor.execute(sql)
    refresh_statistics(Area, Employer, Job, Household, Person, EmploymentRecord)
    times["registry"] = time.perf_counter() - started
    return {
        "people": int(Person.objects.count()),
        "jobs": int(Job.objects.count()),
        "records": int(EmploymentRecord.objects.count()),
        "seconds": {k: round(v, 1) for k, v in times.items()},
    }


def _parent(code: str, level: int) -> str:
    digits = {1: 0, 2: 2, 3: 4, 4: 6, 5: 9}[level]
    return code[:digits].ljust(12, "0") if digits else NATION


# --- the baseline ---------------------------------------------------------------------------------------

BASELINE_SQL = """
WITH wished AS (  -- a wish as the code it names (the app's own resolver, once per distinct text)
    SELECT l.*, w.code AS wish_code,
        date_diff('year', l.birth_date, DATE '{on}')
            - (strftime(l.birth_date, '%m%d') > strftime(DATE '{on}', '%m%d'))::INT AS age
    FROM laborers l JOIN wishes w ON w.job_wish = l.job_wish
    WHERE l.labor_skill IN ('技能劳动力', '普通劳动力', '弱劳动力或半劳动力')
), open_jobs AS (
    SELECT j.*, coalesce(j.wage_max, j.wage_min) AS wage, j.area[1:6] AS county, j.area[1:2] AS province
    FROM jobs j
    WHERE j.status = 'open' AND j.openings_left > 0 AND (j.deadline IS NULL OR j.deadline >= DATE '{on}')
), pairs AS (
    SELECT l.id_number, j.number, j.credit_code, j.wage, j.board_and_lodging AS board,
        j.county = l.area[1:6] AS near,
        40
        + 15 * CASE WHEN l.expected_wage IS NULL OR j.wage IS NULL THEN 0.5
                    ELSE greatest(0, least(1, (j.wage / l.expected_wage - 0.7) / 0.3)) END
        + 15 * CASE WHEN j.county = l.area[1:6] THEN 1.0 WHEN j.province = l.area[1:2] THEN 0.8 ELSE 0.6 END
        + 5 * CASE WHEN j.board_and_lodging THEN 1.0 WHEN j.board_and_lodging IS NULL THEN 0.3 ELSE 0 END
        + 5 * CASE WHEN l.labor_skill <> '技能劳动力' AND j.suits_low_skill THEN 1 ELSE 0 END AS score
    FROM wished l JOIN open_jobs j ON j.occupation = l.wish_code  -- the wished occupation
    WHERE (j.age_min IS NULL OR l.age >= j.age_min) AND (j.age_max IS NULL OR l.age <= j.age_max)
      AND (j.sex_required = '' OR j.sex_required = l.sex)
      AND (j.suits_low_skill
           OR NOT (l.labor_skill = '弱劳动力或半劳动力' OR l.health IN ('患有大病', '残疾')))
      AND (j.education_min = ''
           OR list_position({educations}, l.education) >= list_position({educations}, j.education_min))
      AND (l.desired_region NOT IN ('县内', '省内') OR j.county = l.area[1:6]
           OR (l.desired_region = '省内' AND j.province = l.area[1:2]))
), best AS (  -- the top 10 of each laborer: max_by keeps 10 per group, no sort of all pairs
    SELECT id_number, max_by({{'number': number, 'credit_code': credit_code, 'score': score, 'wage': wage,
                               'near': near, 'board': board}}, score, 10) AS top
    FROM pairs GROUP BY id_number
), ranked AS (
    SELECT id_number, unnest(top) AS p, generate_subscripts(top, 1) AS rank FROM best
)
SELECT id_number AS 证件号码, p.number AS 岗位编号, p.credit_code AS 统一社会信用代码, rank AS 排名,
       round(p.score, 1) AS 得分,
       concat_ws('；', '岗位职业与就业意向一致',
                 CASE WHEN p.wage IS NOT NULL THEN '月薪最高' || p.wage || '元' END,
                 CASE WHEN p.near THEN '县内就业，离家近' END, CASE WHEN p.board THEN '包吃住' END) AS 理由
FROM ranked ORDER BY id_number, rank
"""

LABORER_SQL = (
    "SELECT p.id_number, p.birth_date, p.sex, p.labor_skill, p.health, p.education, p.desired_region,"
    " p.area_id AS area, p.job_wish, p.expected_wage FROM registry_person p"
    " WHERE p.is_deceased = FALSE AND (p.employment_status IN ('未务工', '') OR p.job_wish <> '')"
    " AND p.birth_date > DATE '{oldest}' AND p.birth_date <= DATE '{youngest}'"
)
JOB_SQL = (
    "SELECT j.number, e.credit_code, j.occupation_id AS occupation, j.title, j.openings_left,"
    " j.area_id AS area, j.wage_min, j.wage_max, j.age_min, j.age_max, j.sex_required, j.education_min,"
    " j.board_and_lodging, j.suits_low_skill, j.deadline, j.status"
    " FROM jobs_job j JOIN employers_employer e ON e.id = j.employer_id"
)


# Columns CSV sniffing would take for numbers (area codes, ID numbers) or leave untyped when empty.
TEXTS = {
    "laborers": (
        "id_number",
        "sex",
        "labor_skill",
        "health",
        "education",
        "desired_region",
        "area",
        "job_wish",
    ),
    "jobs": (
        "number",
        "credit_code",
        "occupation",
        "title",
        "area",
        "sex_required",
        "education_min",
        "status",
    ),
}


def baseline(args, out: Path) -> dict:
    """Read the laborers who want work and the jobs from the app's database into DuckDB (PostgreSQL: COPY
    to CSV, read by DuckDB; SQLite: polars.read_database through the sqlite3 cursor), resolve each distinct
    wish once with the app's resolver, then one SQL statement: the hard limits as join conditions on the
    wished 中类, a simple score, the top 10 per laborer, COPY to CSV."""
    import duckdb
    import polars as pl

    from bangfu.jobs.occupations import default_index, read_rows

    on = dt.date.fromisoformat(args.on)
    oldest = on.replace(year=on.year - 65)
    youngest = on.replace(year=on.year - 16)
    con = duckdb.connect()
    laborer_sql = LABORER_SQL.format(oldest=oldest, youngest=youngest)
    url = os.environ.get("DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as pg, tempfile.TemporaryDirectory() as tmp:
            for name, sql in (("laborers", laborer_sql), ("jobs", JOB_SQL)):
                path = Path(tmp) / f"{name}.csv"
                with (
                    pg.cursor() as cursor,
                    open(path, "wb") as handle,
                    cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv, HEADER)") as copy,
                ):
                    for block in copy:
                        handle.write(block)
                con.execute(
                    f"CREATE TABLE {name} AS SELECT * FROM read_csv('{path}', header = true, "
                    f"allow_quoted_nulls = false, types = {dict.fromkeys(TEXTS[name], 'VARCHAR')})"
                )
    else:
        import sqlite3

        db = sqlite3.connect(Path(os.environ["BANGFU_DATA_DIR"]) / "bangfu.sqlite3")
        for name, sql in (("laborers", laborer_sql.replace("DATE ", "")), ("jobs", JOB_SQL)):
            frame = pl.read_database(sql, db, infer_schema_length=None)
            if name == "laborers":
                frame = frame.with_columns(pl.col("birth_date").str.to_date())
            else:
                frame = frame.with_columns(
                    pl.col("deadline").str.to_date(),
                    pl.col("board_and_lodging").cast(pl.Boolean),
                    pl.col("suits_low_skill").cast(pl.Boolean),
                )
            con.register(f"{name}_frame", frame)
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM {name}_frame")
    index = default_index()
    distinct = [row[0] for row in con.execute("SELECT DISTINCT job_wish FROM laborers").fetchall()]
    codes = [(w, (index.read_wish(w).codes or (None,))[0]) for w in distinct]
    con.execute("CREATE TABLE wishes (job_wish VARCHAR, code VARCHAR)")
    con.executemany("INSERT INTO wishes VALUES (?, ?)", codes)
    con.execute("CREATE TABLE occupations (code VARCHAR)")
    con.executemany("INSERT INTO occupations VALUES (?)", [(r.code,) for r in read_rows()])
    educations = "['文盲或半文盲', '小学', '初中', '高中', '中专', '大专', '本科及以上']"
    query = BASELINE_SQL.format(on=on, educations=educations)
    con.execute(f"COPY ({query}) TO '{out}' (HEADER, DELIMITER ',')")
    return {"pairs": con.execute(f"SELECT count(*) FROM read_csv('{out}')").fetchone()[0]}


# --- running and checking -------------------------------------------------------------------------------


def timed(command: list[str], env: dict, limit: float | None = None) -> dict:
    """A child process timed whole from outside, with its peak RSS and CPU (wait4's rusage). Stopped
    after `limit` seconds (then "stopped": true, and what it had used until then)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err, text=True)
        stopped = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if limit and time.perf_counter() - started > limit:
                process.kill()
                stopped = True
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        out.seek(0), err.seek(0)
        stdout, stderr = out.read(), err.read()
    if stopped:
        return {
            "stopped": True,
            "seconds": round(seconds, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_rss_gb": round(usage.ru_maxrss / 1024**2, 2),
            "stdout": "",
        }
    code = os.waitstatus_to_exitcode(status)
    if code:
        print(stdout[-3000:], stderr[-5000:], file=sys.stderr)
        raise SystemExit(f"{' '.join(command[:4])} failed ({code})")
    return {
        "seconds": round(seconds, 1),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_gb": round(usage.ru_maxrss / 1024**2, 2),
        "stdout": stdout.strip()[-2000:],
    }


def check_file(args, path: Path, capped: bool) -> dict:
    """The file's pairs against the generated raw columns (bench/match.py: check)."""
    import polars as pl
    from match import check

    from bangfu.matching.engine import Settings, cap_of

    on = dt.date.fromisoformat(args.on)
    lab, job = world(args.laborers, args.jobs, on)
    rows = pl.read_csv(path, schema_overrides={"证件号码": pl.String, "岗位编号": pl.String})
    lab_at = {v: i for i, v in enumerate(lab["id_number"].tolist())}
    job_at = {v: i for i, v in enumerate(job["number"].tolist())}
    li = np.array([lab_at[v] for v in rows["证件号码"].to_list()], dtype=np.int64)
    ji = np.array([job_at[v] for v in rows["岗位编号"].to_list()], dtype=np.int64)
    settings = Settings()
    cap = np.array([cap_of(int(o), settings) for o in job["openings_left"]]) if capped else None
    violations = check(lab, job, li, ji, on, 10, cap)
    people = len(np.unique(li))
    return {"pairs": len(li), "laborers_with_a_job": people, "violations": violations}


def measure(label: str, args, database_url: str | None) -> dict:
    keep = Path(args.keep) / ("postgres" if database_url else "sqlite") if args.keep else None
    with tempfile.TemporaryDirectory(prefix="bangfu-match-app-") as scratch:
        data_dir = keep or Path(scratch)
        data_dir.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "BANGFU_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "bangfu.settings"}
        env.pop("DATABASE_URL", None)
        env.pop("BANGFU_DEBUG", None)
        me = [sys.executable, __file__, "--laborers", str(args.laborers), "--jobs", str(args.jobs), "--on",
              args.on]  # fmt: skip
        built_marker = data_dir / f"built-{args.laborers}-{args.jobs}-{args.on}"
        if database_url:
            env["DATABASE_URL"] = database_url
        if not built_marker.exists():
            if database_url:
                from compare_app import recreate_postgres

                recreate_postgres(database_url)
            built = timed([*me, "--step", "build"], env)
            print(f"\n{label}: built in {built['seconds']} s: {built['stdout'].splitlines()[-1]}", flush=True)
            if keep:
                built_marker.touch()
        if args.only == "build":
            return {}
        ours_file, base_file = Path(data_dir) / "ours.csv", Path(data_dir) / "baseline.csv"
        bangfu = str(Path(sys.executable).with_name("bangfu"))
        results = {}
        for name, command in (
            ("bangfu match", [bangfu, "match", "--area", NATION, "--top", "10", "--out", str(ours_file),
                              "-v", "2"]),
            ("DuckDB baseline", [*me, "--step", "baseline", "--out", str(base_file)]),
        ):  # fmt: skip
            if args.only and (name == "bangfu match") != (args.only == "ours"):
                continue
            load = os.getloadavg()[0]
            result = timed(command, env, args.baseline_limit if name == "DuckDB baseline" else None)
            result["load_before"] = round(load, 1)
            result["load_after"] = round(os.getloadavg()[0], 1)
            results[name] = result
            print(f"{label} · {name}: {json.dumps(result, ensure_ascii=False)}", flush=True)
        if "bangfu match" in results:
            results["bangfu match"]["check"] = check_file(args, ours_file, capped=True)
        if "DuckDB baseline" in results and not results["DuckDB baseline"].get("stopped"):
            results["DuckDB baseline"]["check"] = check_file(args, base_file, capped=False)
        for name in results:
            print(f"{label} · {name} · check: {json.dumps(results[name]['check'], ensure_ascii=False)}")
        return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--laborers", type=int, default=1_000_000)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--postgres", help="also measure on this PostgreSQL database (dropped, re-created)")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--baseline-limit", type=float, help="stop the baseline after this many seconds")
    parser.add_argument(
        "--keep", help="keep the built databases in this folder and reuse them (same sizes, day)"
    )
    parser.add_argument("--only", choices=("ours", "baseline", "build"), help="run only one side, or build")
    # the day the command matches for: today where the platform is (settings.TIME_ZONE)
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat()
    parser.add_argument("--on", default=today, help=argparse.SUPPRESS)
    parser.add_argument("--step", choices=("build", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step == "build":
        print(json.dumps(build(args), ensure_ascii=False))
        return 0
    if args.step == "baseline":
        _django()
        print(json.dumps(baseline(args, Path(args.out)), ensure_ascii=False))
        return 0
    print(f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"{dt.datetime.now():%Y-%m-%d %H:%M} · load average {os.getloadavg()}")  # fmt: skip
    if not args.skip_sqlite:
        measure("SQLite", args, None)
    if args.postgres:
        measure("PostgreSQL", args, args.postgres)
    print(f"load average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
