"""Column-wise judging (judging.py, SQL for most rows) gives the same findings and the same results.csv
差异 as the per-person verdicts alone (verdicts.py, `columnar=False`), on random linked rows of every source
type: people with one or many rows, rows that agree or contradict, registry values that already agree,
rows linked fuzzily or to nobody, households with several members."""

import datetime as dt
import json

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.compare import sources
from bangfu.compare.judging import REGISTRY_COLUMNS, judge
from bangfu.compare.verdicts import EMPLOYER_INSURANCE

TODAY = dt.date(2025, 6, 30)
AREA = "430102001001"

EXTRA = {
    sources.DEATH: {"死亡日期": ["2025-03-01", "2024-12-31"]},
    sources.DISABILITY: {"残疾类别": ["肢体残疾", "视力残疾"], "残疾等级": ["一级", "三级"]},
    sources.MEDICAL: {"参保年度": [2024, 2025], "参保状态": ["参保", "未参保"]},
    sources.SOCIAL: {
        "险种": list(sources.INSURANCE_KINDS),
        "参保状态": [*sources.INSURANCE_STATUSES, "终止参保"],  # more rows of a job that ended
        "参保单位": ["", "长沙某某有限公司", "甲公司", "丙车间"],
        "参保地区划代码": [None, "430102", "440300"],
        "最近缴费年月": [None, "2025-05", "2023-12", "2024-02"],
        "终止参保日期": [None, "2025-03-15", "2025-09-01"],
    },
    sources.EMPLOYMENT: {
        "单位名称": ["甲公司", "乙公司", "丙车间"],
        "统一社会信用代码": ["", "91430102MA4L0000X1"],
        "工作地区划代码": [None, "430102001001", "430600", "440300"],
        "入职日期": ["2024-01-01", "2025-02-01"],
        "离职日期": [None, "2025-01-31", "2025-06-30", "2026-01-31"],
        "月工资": [None, 4500],
    },
    sources.CIVIL: {
        "救助类型": ["低保", "特困"],
        "开始日期": [None, "2024-01-01", "2025-09-01"],
        "终止日期": [None, "2025-01-31", "2026-01-31"],
    },
}
REGISTRY_VALUES = {
    "sex": ["男", "女", None],
    "phone": ["13800000000", "", None],
    "student_status": ["", "高中", None],
    "employment_status": ["", "未务工", "县内务工", "省外务工", None],
    "is_deceased": [False, True],
    "died_on": [None, dt.date(2025, 3, 1)],
    "health": ["健康", "残疾", None],
    "disability_category": ["", "肢体残疾", None],
    "disability_grade": ["", "一级", None],
    "pension_insurance": ["", "城乡居民养老保险", "企业职工养老保险", None],
    "pension_status": ["", "参保缴费", "领取待遇", None],
    "medical_insured_year": [None, 2024, 2025, 2026],
    "medical_status": ["", "参保", None],
    "is_dibao": [False, True, None],
    "is_tekun": [False, True],
}


@st.composite
def linked_files(draw, extras=EXTRA, most=7, linked=False, rows_most=14):
    source_type = draw(st.sampled_from(list(extras)))
    people = []
    for person_id in range(1, draw(st.integers(1, most)) + 1):
        values = {name: draw(st.sampled_from(options)) for name, options in REGISTRY_VALUES.items()}
        values.update(
            person_id=person_id,
            id_number=f"43010219800101{person_id:04d}",
            name=draw(st.sampled_from(["龙春生", "石秀英", "吴'明"])),
            birth_date=draw(st.sampled_from([dt.date(1980, 1, 1), dt.date(2015, 5, 5)])),
            area_code=draw(st.sampled_from([AREA, "430102001002", "430600001001"])),
            household_id=(person_id + 1) // 2,  # households of two: civil-affairs judges them together
        )
        people.append(values)
    rows = []
    for row_no in range(2, draw(st.integers(1, rows_most)) + 2):
        person = draw(
            st.integers(1, len(people)) if linked else st.one_of(st.none(), st.integers(1, len(people)))
        )
        methods = ["exact", "exact", "fuzzy"] if linked else ["exact", "exact", "fuzzy", "ambiguous"]
        method = "none" if person is None else draw(st.sampled_from(methods))
        probability = None if person is None else (1.0 if method == "exact" else draw(st.floats(0.9, 1.0)))
        candidates = []
        if method == "ambiguous":  # several people alike (or one another row fits as well), best first
            ids = draw(st.lists(st.integers(1, len(people)), min_size=1, max_size=3, unique=True))
            candidates = [(i, draw(st.sampled_from([0.5, 0.375, 0.25]))) for i in ids]
            person, probability = None, candidates[0][1]
        extra = {name: draw(st.sampled_from(options)) for name, options in extras[source_type].items()}
        extra["地址"] = ""
        rows.append(
            {
                "row_no": row_no,
                "person_id": person,
                "method": method,
                "probability": probability,
                "id_problem": draw(st.sampled_from([None, "15 位旧号码，已转换", "校验码错误"])),
                "name": draw(st.sampled_from(["龙春生", "石秀英"])),
                # Who the row says it is: against the registry's under the same ID (an identity finding).
                "sex": draw(st.sampled_from([None, "男", "女"])),
                "birth_date": draw(st.sampled_from([None, dt.date(1980, 1, 1), dt.date(1981, 2, 2)])),
                "candidates": candidates,
                "extra": extra,
            }
        )
    return source_type, people, rows


def _connection(source_type, people, rows):
    con = duckdb.connect()
    con.execute("CREATE TABLE registry_full (" + ", ".join(f"{n} {k}" for n, k, _ in REGISTRY_COLUMNS) + ")")
    names = [n for n, _, _ in REGISTRY_COLUMNS]
    con.executemany(
        f"INSERT INTO registry_full VALUES ({', '.join('?' * len(names))})",
        [[p[n] for n in names] for p in people],
    )
    con.execute(
        "CREATE TABLE source (row_no BIGINT, id_number VARCHAR, name VARCHAR, sex VARCHAR, birth_date DATE, "
        "phone VARCHAR, area_code VARCHAR)"
    )
    extra = sources.TYPES[source_type].extra_values  # as the reader's batches hold them (x_<name>)
    con.execute(
        "CREATE TABLE source_extra (row_no BIGINT, "
        + ", ".join(f'"x_{name}" {kind}' for name, kind in extra)
        + ")"
    )
    con.execute(
        "CREATE TABLE links (row_no BIGINT, person_id BIGINT, method VARCHAR, probability DOUBLE, "
        "id_normalised VARCHAR, id_problem VARCHAR)"
    )
    con.execute(
        "CREATE TABLE link_candidates (row_no BIGINT, rank INTEGER, person_id BIGINT, probability DOUBLE)"
    )
    for r in rows:
        con.execute(
            "INSERT INTO source VALUES (?, 'x', ?, ?, ?, '', NULL)",
            [r["row_no"], r["name"], r.get("sex"), r.get("birth_date")],
        )
        for rank, (person_id, share) in enumerate(r.get("candidates", ()), 1):
            con.execute(
                "INSERT INTO link_candidates VALUES (?, ?, ?, ?)", [r["row_no"], rank, person_id, share]
            )
        con.execute(
            f"INSERT INTO source_extra VALUES (?{', ?' * len(extra)})",
            [r["row_no"], *(r["extra"].get(name) for name, _ in extra)],
        )
        person = r["person_id"] if r["method"] not in ("none", "ambiguous") else None
        con.execute(
            "INSERT INTO links VALUES (?, ?, ?, ?, NULL, ?)",
            [r["row_no"], person, r["method"], r["probability"], r["id_problem"]],
        )
    return con


def _employments(ids):
    """Even people already have the 甲公司 record that starts 2024-01-01."""
    return {i: {("甲公司", "2024-01-01"), ("91430102MA4L0000X1", "2024-01-01")} for i in ids if i % 2 == 0}


# Records in force, by person id modulo 5: at 甲公司 by name and by credit code, one of an unknown employer
# alone, the same with another at 乙公司, none.
IN_FORCE = {
    0: [(10, "甲公司", "", "2024-01-01"), (11, "", "91430102MA4L0000X1", "2024-06-01")],
    1: [(20, "", "", "2024-03-01")],
    2: [(30, "", "", "2025-01-01"), (31, "乙公司", "", "2023-01-01")],
    3: [(40, "丙车间", "", "2025-04-01")],
    4: [],
}


def _in_force(ids):
    return {i: [(r * 100 + i, *rest) for r, *rest in IN_FORCE[i % 5]] for i in ids if IN_FORCE[i % 5]}


# The employers ledger: 丙车间 is a workshop of the county (found by its name), 乙公司 has two employers of
# that name (found by neither), the credit code is 甲公司's in 湖南.
LEDGER = [
    ("93430102MA4L0000X9", "丙车间", "430102001001", "扶贫车间"),
    ("91440300MA4L0000X2", "乙公司", "440300000000", "企业"),
    ("91440300MA4L0000X3", "乙公司", "430600000000", "企业"),
    ("91430102MA4L0000X1", "甲公司", "430600000000", "企业"),
]


def _ledger(codes, names):
    return [e for e in LEDGER if e[0] in codes or e[1] in names]


def _same_form(text: str) -> str:
    """JSON text written by SQL and by Python, in one form (keys in their order: the page shows them so)."""
    return json.dumps(json.loads(text), ensure_ascii=False)


def _judged(source_type, people, rows, columnar):
    con = _connection(source_type, people, rows)
    exact = judge(
        con,
        source_type=source_type,
        area_id=AREA,
        today=TODAY,
        employments=_employments,
        in_force=_in_force,
        ledger=_ledger,
        columnar=columnar,
    )
    findings = sorted(
        (
            kind, change, status, area, person, row_no, name, method,
            None if probability is None else round(probability, 12),
            tuple(covers), _same_form(registry), _same_form(proposal), summary,
        )
        for kind, change, status, area, person, row_no, name, method, probability, covers, registry, proposal,
        summary in con.execute(
            "SELECT kind, change, status, area_id, person_id, row_no, name, method, probability, covers, "
            "registry, proposal, summary FROM findings"
        ).fetchall()
    )  # fmt: skip
    diffs = dict(con.execute("SELECT row_no, diff FROM row_diffs").fetchall())
    # The people of fills: the SQL judging puts most there itself, group_fills those the verdicts made.
    fills = sorted(con.execute("SELECT * EXCLUDE (seq) FROM fill_people").fetchall())  # summary: in diffs
    return exact, findings + fills, diffs


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_files())
def test_columnar_judging_agrees_with_the_verdicts(case):
    source_type, people, rows = case
    exact, findings, diffs = _judged(source_type, people, rows, columnar=True)
    expected_exact, expected, expected_diffs = _judged(source_type, people, rows, columnar=False)
    assert exact == expected_exact
    assert findings == expected
    assert diffs == expected_diffs


# Files about jobs only, a few people with several rows each: rows that ended beside rows still current at
# the same employer or another, insurance paid and terminated at one employer, records in force to end.
JOBS = {
    sources.EMPLOYMENT: {
        **EXTRA[sources.EMPLOYMENT],
        "单位名称": ["甲公司", "丙车间"],
        "统一社会信用代码": ["", "", "91430102MA4L0000X1"],
    },
    sources.SOCIAL: {
        **EXTRA[sources.SOCIAL],
        "险种": list(EMPLOYER_INSURANCE),
        "参保状态": ["参保缴费", "终止参保", "终止参保"],
        "参保单位": ["甲公司", "丙车间"],
    },
}


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked_files(JOBS, most=3, linked=True, rows_most=5))
def test_columnar_judging_agrees_on_jobs_that_ended(case):
    source_type, people, rows = case
    assert _judged(source_type, people, rows, columnar=True) == _judged(
        source_type, people, rows, columnar=False
    )


def test_exact_rows_get_no_finding_but_their_conflicts_do():
    people = [dict(dict.fromkeys(n for n, _, _ in REGISTRY_COLUMNS), person_id=1, id_number="1",
                   name="龙春生", area_code=AREA, is_deceased=False, household_id=1)]  # fmt: skip
    rows = [
        {"row_no": 2, "person_id": 1, "method": "exact", "probability": 1.0, "id_problem": None,
         "name": "龙春生", "extra": {"死亡日期": "2025-03-01"}},
        {"row_no": 3, "person_id": None, "method": "none", "probability": None, "id_problem": "校验码错误",
         "name": "查无此人", "extra": {"死亡日期": "2025-01-01"}},
    ]  # fmt: skip
    exact, findings, diffs = _judged(sources.DEATH, people, rows, columnar=True)
    assert exact == 1
    assert [(f[0], f[1], f[5]) for f in findings] == [("conflict", "death", 2), ("unmatched", "", 3)]
    assert json.loads(findings[0][11]) == {"person": {"is_deceased": True, "died_on": "2025-03-01"}}
    assert diffs == {
        2: "来源：2025-03-01 死亡。建议：已故：否 → 是；死亡日期：（空） → 2025-03-01",
        3: "名册中未找到此人；证件号码：校验码错误",
    }


@pytest.mark.django_db(transaction=True)
def test_findings_written_in_pieces_all_arrive(users, people, tmp_path, monkeypatch):
    """Many pieces: on PostgreSQL several connections COPY them at once (outside a transaction, as a run
    is); every finding arrives once, with the same values as one piece would give."""
    from bangfu.compare import run as running
    from bangfu.compare.models import Finding, RunStatus
    from bangfu.compare.tests.conftest import LONG, MA, SHI, WU, compare, write_source

    rows = [
        {"姓名": name, "证件号码": number, "死亡日期": "2025-03-01"}
        for name, number in (("龙春生", LONG), ("石秀英", SHI), ("吴建国", WU), ("麻老三", MA))
    ]
    rows += [{"姓名": f"查无此人{i}", "证件号码": "", "死亡日期": "2025-01-01"} for i in range(5)]
    path = write_source(tmp_path / "死亡.xlsx", rows)
    whole = compare(users["county_a"], "death", path)
    monkeypatch.setattr(running, "WRITE_PIECE", 2)
    pieces = compare(users["county_a"], "death", path)
    assert whole.status == pieces.status == RunStatus.DONE
    fields = ("kind", "change", "status", "row_no", "name", "summary", "source", "registry", "proposal")

    def values(run):
        return sorted(
            (tuple(str(f[k]) for k in fields) for f in Finding.objects.filter(run=run).values(*fields)),
        )

    assert len(values(whole)) == 4 + 5 and values(pieces) == values(whole)


def test_pension_change_follows_the_active_row_of_several_kinds():
    """Two pension kinds, not contradicting each other: the change follows the active one (参保缴费), not
    the first row; both paths agree."""
    people = [dict(dict.fromkeys(n for n, _, _ in REGISTRY_COLUMNS), person_id=1, id_number="1",
                   name="龙春生", area_code=AREA, is_deceased=False, household_id=1, pension_insurance="",
                   pension_status="")]  # fmt: skip
    rows = [
        {"row_no": row_no, "person_id": 1, "method": "exact", "probability": 1.0, "id_problem": None,
         "name": "龙春生", "extra": {"险种": kind, "参保状态": status, "参保单位": "", "地址": ""}}
        for row_no, kind, status in ((2, "企业职工养老保险", "终止参保"), (3, "城乡居民养老保险", "参保缴费"))
    ]  # fmt: skip
    exact, findings, diffs = _judged(sources.SOCIAL, people, rows, columnar=True)
    assert (exact, findings, diffs) == _judged(sources.SOCIAL, people, rows, columnar=False)
    # The registry held no pension values: the person is filled (by village), from row 3.
    fill, person = findings
    assert fill[0] == "fill" and json.loads(fill[11]) == {
        "person": {"pension_insurance": "城乡居民养老保险", "pension_status": "参保缴费"}
    }
    assert person[:2] == (AREA, "pension") and person[3:5] == (1, 3)
    assert json.loads(person[2]) == json.loads(fill[11])["person"]
    assert diffs[3].endswith("养老保险参保状态：（空） → 参保缴费") and 2 not in diffs


def test_ambiguous_rows_and_identities_both_paths():
    """A row linkage left to two people alike is 待核实 with both as candidates (in their common village's
    township when they live apart), never linked; a row linked by ID whose name is written otherwise is a
    finding to check, the registry's name kept as what differs. The same from SQL and from Python."""
    base = dict.fromkeys(n for n, _, _ in REGISTRY_COLUMNS)
    people = [
        {**base, "person_id": 1, "id_number": "1", "name": "杨天杰", "sex": "男", "area_code": AREA,
         "is_deceased": False, "household_id": 1},
        {**base, "person_id": 2, "id_number": "2", "name": "杨天杰", "sex": "男", "area_code": "430102001002",
         "is_deceased": False, "household_id": 2},
    ]  # fmt: skip
    rows = [
        {"row_no": 2, "person_id": 1, "method": "exact", "probability": 1.0, "id_problem": None,
         "name": "杨天洁", "sex": "男", "extra": {"死亡日期": "2025-03-01"}},
        {"row_no": 3, "person_id": None, "method": "ambiguous", "probability": 0.5,
         "id_problem": "证件号码为空", "name": "杨天杰", "candidates": [(1, 0.5), (2, 0.5)],
         "extra": {"死亡日期": "2025-03-01"}},
    ]  # fmt: skip
    judged = _judged(sources.DEATH, people, rows, columnar=True)
    assert judged == _judged(sources.DEATH, people, rows, columnar=False)
    _, findings, diffs = judged
    by_kind = {(f[0], f[1]): f for f in findings}
    ambiguous = by_kind[("ambiguous", "")]
    assert ambiguous[2:6] == ("open", "430102001000", None, 3) and ambiguous[7] == "ambiguous"
    assert json.loads(ambiguous[10]) == {
        "candidates": [{"person": 1, "probability": 0.5}, {"person": 2, "probability": 0.5}]
    }
    assert ambiguous[12].startswith("姓名、性别、出生日期等同样相符于名册中 2 人，无法确定是哪一位")
    identity = by_kind[("conflict", "identity")]
    assert identity[2:6] == ("open", AREA, 1, 2) and json.loads(identity[10]) == {"姓名": "杨天杰"}
    assert identity[12] == "证件号码相同，姓名：来源「杨天洁」，名册「杨天杰」；请核实"
    assert diffs[2].startswith("证件号码相同，姓名") and "死亡" in diffs[2]
    assert diffs[3] == ambiguous[12]
