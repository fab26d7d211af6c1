"""The linkage engine: one row out per source row, exact links on the ID, fuzzy links for damaged rows."""

from datetime import date

import duckdb
import polars as pl

from bangfu.compare.linkage import LinkResult, link
from bangfu.compare.linkage.synthetic import Damage, generate
from bangfu.core.idnumber import make_id

REGISTRY_COLUMNS = "person_id BIGINT, id_number VARCHAR, name VARCHAR, sex VARCHAR, birth_date DATE, " \
    "phone VARCHAR, area_code VARCHAR"  # fmt: skip
SOURCE_COLUMNS = "row_no BIGINT, id_number VARCHAR, name VARCHAR, sex VARCHAR, birth_date DATE, " \
    "phone VARCHAR, area_code VARCHAR"  # fmt: skip
# Real village codes of 花垣县 and 凤凰县 (enough for small sets; no need to read the national table).
VILLAGES = [f"433124{t:03d}{v:03d}" for t in (100, 101, 102, 103, 104) for v in range(200, 230)] + [
    f"433123{t:03d}{v:03d}" for t in (100, 101, 102) for v in range(200, 230)
]


_SCHEMA = {"id_number": pl.String, "name": pl.String, "sex": pl.String, "birth_date": pl.Date,
           "phone": pl.String, "area_code": pl.String}  # fmt: skip


def connection(registry: list[tuple], source: list[tuple]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"CREATE TABLE registry ({REGISTRY_COLUMNS})")
    con.execute(f"CREATE TABLE source ({SOURCE_COLUMNS})")
    for table, key, rows in (("registry", "person_id", registry), ("source", "row_no", source)):
        if rows:
            frame = pl.DataFrame(rows, schema={key: pl.Int64, **_SCHEMA}, orient="row")
            con.register("frame", frame.to_arrow())
            con.execute(f"INSERT INTO {table} SELECT * FROM frame")
            con.unregister("frame")
    return con


def from_synthetic(data) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for name, frame in (("registry", data.registry), ("source", data.source), ("truth", data.truth)):
        con.register("frame", frame.to_arrow())
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM frame")
        con.unregister("frame")
    return con


def links(con) -> dict[int, tuple]:
    return {row[0]: row[1:] for row in con.execute("SELECT * FROM links ORDER BY row_no").fetchall()}


def scores(con, where: str = "true") -> tuple[float, float, int]:
    tp, fp, fn, n = con.execute(
        f"""SELECT count(*) FILTER (WHERE l.person_id = t.person_id),
            count(*) FILTER (WHERE l.person_id IS NOT NULL AND l.person_id IS DISTINCT FROM t.person_id),
            count(*) FILTER (WHERE t.person_id IS NOT NULL AND l.person_id IS DISTINCT FROM t.person_id),
            count(*)
        FROM links l JOIN truth t USING (row_no) WHERE {where}"""
    ).fetchone()
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1), n


def check_shape(con, result: LinkResult) -> None:
    n_source = con.execute("SELECT count(*) FROM source").fetchone()[0]
    rows = con.execute("SELECT row_no, person_id, method, probability FROM links").fetchall()
    assert len(rows) == n_source == result.total
    assert len({r[0] for r in rows}) == n_source
    assert {r[0] for r in rows} == {r[0] for r in con.execute("SELECT row_no FROM source").fetchall()}
    for _row, person, method, probability in rows:
        if method == "exact":
            assert person is not None and probability == 1.0
        elif method == "fuzzy":
            assert person is not None and 0.9 <= probability <= 1.0
        elif method == "ambiguous":
            assert person is None and 0 < probability < 0.9
        else:
            assert method == "none" and person is None and probability is None
    assert result.exact + result.fuzzy + result.ambiguous + result.none == result.total


HUAYUAN = "433124102201"
P1 = make_id("433124", date(1985, 3, 7), 101)  # male
P2 = make_id("433124", date(1990, 8, 1), 202)  # female
P3 = make_id("433123", date(1978, 12, 30), 303)  # male
P4 = make_id("433124", date(1962, 5, 5), 404)  # female
REGISTRY = [
    (1, P1, "单雄信", "男", date(1985, 3, 7), "13800000001", HUAYUAN),
    (2, P2, "陈丽华", "女", date(1990, 8, 1), "13800000002", HUAYUAN),
    (3, P3, "龙建军", "男", date(1978, 12, 30), "13800000003", "433123100201"),
    (4, P4, "石秀英", "女", date(1962, 5, 5), None, "433124101205"),
]


def test_exact_links_every_readable_form_of_the_id():
    source = [
        (2, P1, "单雄信", "男", date(1985, 3, 7), None, "433124"),
        (3, P2.lower(), "陈丽华", None, None, None, None),
        (4, P3[:6] + P3[8:17], "龙建军", "男", None, None, None),  # 15 digits
        (5, " " + P4.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}), "石秀英", None, None, None, None),
        (6, "'" + P1, "單雄信", None, None, None, None),  # traditional characters, same person
    ]
    con = connection(REGISTRY, source)
    result = link(con)
    got = links(con)
    assert [got[r][0] for r in (2, 3, 4, 5, 6)] == [1, 2, 3, 4, 1]
    assert {got[r][1] for r in got} == {"exact"}
    assert got[4][3] == P3 and got[4][4] == "15位证件号码已转换"
    assert got[2][4] is None and got[5][4] is None
    check_shape(con, result)


def test_unusable_ids_are_reported_and_linked_fuzzily():
    wrong_check = P2[:17] + ("0" if P2[17] != "0" else "1")
    unknown = make_id("433124", date(1985, 3, 7), 999)
    source = [
        (2, "", "单雄信", "男", date(1985, 3, 7), "13800000001", HUAYUAN),
        (3, wrong_check, "陳麗華", "女", date(1990, 8, 1), None, "433124102"),  # traditional name
        (4, None, "龙建君", "男", date(1978, 12, 30), "13800000003", "433123"),  # homophone 军/君
        (5, unknown, "王小明", "男", date(2001, 1, 1), "13900000009", HUAYUAN),  # not in the registry
        (6, P4, "张三", "男", date(2001, 1, 1), None, None),  # someone else's ID
    ]
    # Enough registry people for the model to learn from exact pairs.
    data = generate(3000, 3000, seed=5, damage=Damage(id_damaged=0.0), villages=VILLAGES)
    registry = REGISTRY + [(100 + i, *row[1:]) for i, row in enumerate(data.registry.rows())]
    extra = [(100 + i, *row[1:]) for i, row in enumerate(data.source.rows())]
    con = connection(registry, source + extra)
    result = link(con)
    got = links(con)
    assert got[2][:2] == (1, "fuzzy") and got[2][4] == "证件号码为空"
    assert got[3][:2] == (2, "fuzzy") and got[3][4] == "校验位错误"
    assert got[4][:2] == (3, "fuzzy")
    assert got[5][:2] == (None, "none") and got[5][4] == "证件号码未登记" and got[5][3] == unknown
    assert got[6][0] != 4 and got[6][4] == "证件号码与姓名不符"
    assert result.fuzzy >= 3 and result.model is not None
    check_shape(con, result)


def test_harsh_share_of_damaged_rows_meets_the_goal():
    """A third of the rows carry a damaged ID (empty, mistyped, swapped, Excel, a relative's, re-checked)."""
    data = generate(4000, 5000, seed=11, damage=Damage(id_damaged=0.33), villages=VILLAGES)
    con = from_synthetic(data)
    progress = []
    result = link(con, progress=lambda phase, fraction: progress.append((phase, fraction)))
    check_shape(con, result)
    precision, recall, n = scores(con, "t.id_damage IS NOT NULL")
    assert n > 1400
    assert precision >= 0.999, precision
    assert recall >= 0.995, recall
    precision, recall, _ = scores(con)
    assert precision >= 0.999 and recall >= 0.995
    assert [f for _, f in progress] == sorted(f for _, f in progress) and progress[-1] == ("完成", 1.0)
    assert set(result.timings) >= {"规范化证件号码", "精确比对", "模糊比对", "总计"}


def test_empty_source():
    con = connection(REGISTRY, [])
    result = link(con)
    assert result.total == 0
    assert con.execute("SELECT count(*) FROM links").fetchone()[0] == 0
    assert [c[0] for c in con.execute("DESCRIBE links").fetchall()] == [
        "row_no", "person_id", "method", "probability", "id_normalised", "id_problem",
    ]  # fmt: skip


def test_empty_registry():
    con = connection(
        [], [(2, P1, "单雄信", "男", None, None, None), (3, "", "陈丽华", None, None, None, None)]
    )
    result = link(con)
    assert links(con) == {
        2: (None, "none", None, P1, "证件号码未登记"),
        3: (None, "none", None, None, "证件号码为空"),
    }
    check_shape(con, result)


def test_all_rows_damaged():
    """No exact link to learn from: nothing is linked fuzzily (no trained model), every row still out."""
    data = generate(500, 400, seed=3, damage=Damage(id_damaged=1.0, outsiders=0.0, second_records=0.0),
                    villages=VILLAGES)  # fmt: skip
    data.source = data.source.with_columns(id_number=pl.lit(""))
    con = from_synthetic(data)
    result = link(con)
    check_shape(con, result)
    assert result.exact == 0 and result.fuzzy == 0 and result.model is None
    assert con.execute("SELECT count(*) FROM links WHERE id_problem = '证件号码为空'").fetchone()[0] == 400


def test_a_person_linked_exactly_takes_a_fuzzy_row_only_on_strong_evidence():
    data = generate(3000, 3000, seed=7, damage=Damage(id_damaged=0.0), villages=VILLAGES)
    registry = [(100 + i, *row[1:]) for i, row in enumerate(data.registry.rows())]
    source = [(100 + i, *row[1:]) for i, row in enumerate(data.source.rows())]
    person = registry[0]
    # The same person twice more: a second record with no ID (everything else agrees) → linked; a
    # weak look-alike (same surname and county only) → not linked.
    source += [
        (9001, "", person[2], person[3], person[4], person[5], person[6]),
        (9002, "", person[2][0] + "某", person[3], None, None, person[6][:6]),
    ]
    con = connection(registry, source)
    link(con)
    got = links(con)
    assert got[9001][:2] == (person[0], "fuzzy") and got[9001][2] >= 0.99
    assert got[9002][:2] == (None, "none")


def test_fuzzy_links_are_deterministic():
    data = generate(2000, 2400, seed=13, damage=Damage(id_damaged=0.2), villages=VILLAGES)
    first, second = from_synthetic(data), from_synthetic(data)
    link(first)
    link(second)
    assert links(first) == links(second)


def _world(seed: int = 11):
    """Enough registry people (and exact pairs) for the model to learn from."""
    data = generate(3000, 3000, seed=seed, damage=Damage(id_damaged=0.0), villages=VILLAGES)
    registry = [(100 + i, *row[1:]) for i, row in enumerate(data.registry.rows())]
    source = [(100 + i, *row[1:]) for i, row in enumerate(data.source.rows())]
    return registry, source


def candidates(con) -> dict[int, list[tuple[int, float]]]:
    got: dict[int, list] = {}
    for row_no, person_id, probability in con.execute(
        "SELECT row_no, person_id, probability FROM link_candidates ORDER BY row_no, rank"
    ).fetchall():
        got.setdefault(row_no, []).append((person_id, probability))
    return got


BORN = date(1991, 4, 9)
TWIN_A = (1, make_id("433124", BORN, 611), "龙光明", "男", BORN, None, HUAYUAN)
TWIN_B = (2, make_id("433124", BORN, 633), "龙光明", "男", BORN, None, HUAYUAN)


def test_a_row_two_people_fit_alike_is_ambiguous_not_linked_by_chance():
    """No ID, no phone; name, sex, birth date and village fit two registry people equally: neither is
    chosen (not 模糊匹配 1.0000 to the lower id), the row is ambiguous with both as candidates, half each."""
    registry, source = _world()
    con = connection([*registry, TWIN_A, TWIN_B], [*source, (9001, "", "龙光明", "男", BORN, None, HUAYUAN)])
    result = link(con)
    got = links(con)
    assert got[9001][:2] == (None, "ambiguous") and got[9001][2] < 0.9
    assert [person for person, _ in candidates(con)[9001]] == [1, 2]
    assert all(abs(p - 0.5) < 0.01 for _, p in candidates(con)[9001])
    assert result.ambiguous == 1
    check_shape(con, result)


def test_two_rows_do_not_land_on_the_same_person_by_chance():
    """Two rows of that kind: before, both were linked to the same person (the lower id) at 1.0000."""
    registry, source = _world()
    rows = [
        (9001, "", "龙光明", "男", BORN, None, HUAYUAN),
        (9002, None, "龙光明", "男", BORN, None, HUAYUAN),
    ]
    con = connection([*registry, TWIN_A, TWIN_B], source + rows)
    link(con)
    got = links(con)
    assert got[9001][:2] == got[9002][:2] == (None, "ambiguous")
    assert {row for row, (person, *_) in got.items() if person == 1} == set()


def test_one_person_two_evidently_different_rows_is_ambiguous():
    """Many-to-one: one registry person, two rows that fit them alike but are two people (another sex
    each... the registry holds no sex here, so both fit): neither takes the person by chance."""
    registry, source = _world()
    person = (1, make_id("433124", BORN, 611), "龙光明", None, BORN, None, HUAYUAN)
    rows = [(9001, "", "龙光明", "男", BORN, None, HUAYUAN), (9002, "", "龙光明", "女", BORN, None, HUAYUAN)]
    con = connection([*registry, person], source + rows)
    link(con)
    got = links(con)
    assert got[9001][:2] == got[9002][:2] == (None, "ambiguous")
    assert candidates(con)[9001][0][0] == candidates(con)[9002][0][0] == 1


def test_a_clearly_better_candidate_still_links():
    """One of the two look-alikes has the row's phone: clearly better, linked as before; and the same
    person's second record (same values again) is no rival."""
    registry, source = _world()
    twin_b = (*TWIN_B[:5], "13912345678", HUAYUAN)
    rows = [(9001, "", "龙光明", "男", BORN, "13912345678", HUAYUAN),
            (9002, "", "龙光明", "男", BORN, "13912345678", HUAYUAN)]  # fmt: skip
    con = connection([*registry, TWIN_A, twin_b], source + rows)
    link(con)
    got = links(con)
    assert got[9001][:2] == got[9002][:2] == (2, "fuzzy") and got[9001][2] >= 0.9
