"""The SQL normalisation of ID numbers and names agrees with the Python engines it mirrors."""

from datetime import date

import duckdb
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from bangfu.compare.linkage.idsql import id_normalisation_sql
from bangfu.compare.linkage.pinyin import add_char_table, name_pinyin, name_pinyin_sql
from bangfu.core.idnumber import IdNumberError, make_id, parse_id_number
from bangfu.registry.names import full_pinyin

TODAY = date(2026, 1, 1)


@pytest.fixture(scope="module")
def con():
    con = duckdb.connect()
    yield con
    con.close()


def sql_ids(con, values: list[str | None]) -> list[tuple[str | None, str | None]]:
    con.execute("CREATE OR REPLACE TABLE ids (row_no BIGINT, id_number VARCHAR)")
    con.executemany("INSERT INTO ids VALUES (?, ?)", list(enumerate(values)))
    rows = con.execute(
        f"SELECT * FROM ({id_normalisation_sql('ids', today=TODAY)}) ORDER BY row_no"
    ).fetchall()
    return [(code, value) for _row, _text, code, value in rows]


def python_id(raw: str | None) -> tuple[str | None, str | None]:
    try:
        parsed = parse_id_number(raw, today=TODAY)
    except IdNumberError as error:
        return error.code, None
    return ("converted" if parsed.converted_from_15 else None), parsed.value


VALID = make_id("433124", date(1990, 1, 1), 123)
VALID_X = next(
    make_id("433124", date(1990, 1, 2), s)
    for s in range(1000)
    if make_id("433124", date(1990, 1, 2), s)[-1] == "X"
)


def test_known_forms(con):
    values = [
        None, "", "  ", VALID, VALID_X, VALID_X.lower(), " " + VALID + "\u3000", "'" + VALID, "‘" + VALID,
        VALID.translate({c: c + 0xFEE0 for c in range(0x30, 0x3A)}), VALID[:6] + VALID[8:17],
        VALID[:17] + str((int(VALID[17]) + 1) % 10) if VALID[17] != "X" else VALID[:17] + "0",
        "4.33124199001011E+17", "433124199001011000", "433124199001011234.0", "12345", "abc",
        "991124199001011234", "433124199002301234", "433124189912311234", "433124203001011234",
        "X" + VALID[1:],
        VALID[:6] + VALID[8:16] + "X", "\u200b" + VALID,
    ]  # fmt: skip
    assert sql_ids(con, values) == [python_id(v) for v in values]


def test_converted_15_digit_gets_its_check_digit(con):
    [(code, value)] = sql_ids(con, [VALID[:6] + VALID[8:17]])
    assert code == "converted"
    assert value == VALID


_ALPHABET = st.sampled_from(
    [*"0123456789Xx +-.eE'‘’`", "１", "Ｘ", "ｘ", "\u3000", "\u200b", "\t", "a", "中"]
)


def _perturbed_ids():
    def build(area, born, seq, how):
        value = make_id(area, born, seq)
        return {
            0: value,
            1: value.lower(),
            2: value[:6] + value[8:17],
            3: value[:10] + value[11] + value[10] + value[12:],
            4: value[:5] + "7" + value[6:],
            5: f"{int(value[:17]) / 10**16:.14f}"[:16] + "E+17",
            6: value[:15] + "000",
            7: "  " + value,
        }[how]

    return st.builds(
        build,
        st.sampled_from(["433124", "110105", "433123", "990101", "430000"]),
        st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31)),
        st.integers(0, 999),
        st.integers(0, 7),
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.one_of(_perturbed_ids(), st.text(_ALPHABET, max_size=20), st.none()), min_size=1, max_size=30)
)
@example([VALID, VALID_X.lower(), ""])
def test_sql_agrees_with_parse_id_number(con, values):
    assert sql_ids(con, values) == [python_id(v) for v in values]


def sql_names(con, names: list[str]) -> dict[str, tuple[str, str]]:
    con.execute("CREATE OR REPLACE TABLE names (name VARCHAR)")
    con.executemany("INSERT INTO names VALUES (?)", [(n,) for n in names])
    add_char_table(con, "SELECT name FROM names")
    rows = con.execute(name_pinyin_sql("SELECT name FROM names")).fetchall()
    return {name: (py, surname) for name, py, surname in rows}


def test_surname_readings_and_traditional_characters(con):
    got = sql_names(
        con, ["单雄信", "單雄信", "曾国藩", "仇大龙", "解放", "陈伟", "陳偉", "張維", "尉迟恭", "单"]
    )
    assert got["单雄信"] == ("shanxiongxin", "shan")
    assert got["單雄信"] == ("shanxiongxin", "shan")
    assert got["曾国藩"][0] == "zengguofan"
    assert got["仇大龙"][0] == "qiudalong"
    assert got["解放"][0] == "xiefang"
    assert got["陈伟"][0] == got["陳偉"][0] == "chenwei"
    assert got["張維"][0] == "zhangwei"
    assert got["尉迟恭"] == ("yuchigong", "yuchi")
    assert got["单"][0] == "dan"  # a lone character is not a surname


_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(_CJK, min_size=1, max_size=4), min_size=1, max_size=20))
def test_sql_pinyin_agrees_with_python(con, names):
    got = sql_names(con, names)
    for name in names:
        assert got[name][0] == name_pinyin(name)
        if not any(c in "單區蓋樂繆員萬長尉種過應紀" for c in name[:2]):
            assert got[name][0] == full_pinyin(name)
