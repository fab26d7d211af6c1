"""Names as toneless pinyin, computed in DuckDB from a per-character table.

Homophones (张伟/张维) and traditional characters (陳/陈) get the same pinyin, so they meet; surnames with a
special reading (单 shan, 曾 zeng, 仇 qiu, 解 xie …, `bangfu.registry.names.SURNAME_READINGS`) are read
that way, in simplified and traditional form. Pinyin is ASCII, so DuckDB's string distances (which count
UTF-8 bytes) see one letter as one unit instead of a Chinese character as three.

Only the distinct characters go through pypinyin (a few thousand per province); the names themselves are
put together in SQL, which keeps 4 million names to a few seconds.
"""

from __future__ import annotations

import sys

import duckdb
import pyarrow as pa

from bangfu.registry.names import SEPARATORS, SURNAME_READINGS, pinyin_syllables

_SPACES = "[" + "".join(f"\\x{{{c:X}}}" for c in range(sys.maxunicode + 1) if chr(c).isspace()) + "]"

__all__ = ["SURNAMES", "add_char_table", "char_pinyin", "name_pinyin", "name_pinyin_sql"]

# Traditional forms of the special-reading surnames whose characters differ.
_TRADITIONAL_SURNAMES = {
    "单": "單", "区": "區", "盖": "蓋", "乐": "樂", "缪": "繆", "员": "員", "万俟": "萬俟",
    "长孙": "長孫", "尉迟": "尉遲", "种": "種", "过": "過", "应": "應", "纪": "紀",
}  # fmt: skip
SURNAMES: dict[str, str] = dict(SURNAME_READINGS)
SURNAMES.update(
    {trad: SURNAME_READINGS[simp] for simp, trad in _TRADITIONAL_SURNAMES.items() if simp in SURNAME_READINGS}
)


def char_pinyin(char: str) -> str:
    """One character's toneless pinyin as `bangfu.registry.names` reads it; '' for separators."""
    if char in SEPARATORS:
        return ""
    return "".join(pinyin_syllables(char))


def name_pinyin(name: str | None) -> str:
    """Python reference for the SQL below: surname reading first, then one syllable per character."""
    text = (name or "").strip()
    for surname in (text[:2], text[:1]):
        if surname in SURNAMES and len(text) > len(surname):
            return SURNAMES[surname].replace(" ", "") + "".join(char_pinyin(c) for c in text[len(surname) :])
    return "".join(char_pinyin(c) for c in text)


def add_char_table(con: duckdb.DuckDBPyConnection, names_query: str, table: str = "_lk_chars") -> None:
    """Create `table`(c, py) for every character in the `name` column of `names_query`."""
    chars = [
        row[0]
        for row in con.execute(
            f"SELECT DISTINCT unnest(string_split(name, '')) FROM ({names_query}) WHERE name IS NOT NULL"
        ).fetchall()
    ]
    arrow = pa.table({"c": pa.array(chars, pa.string()), "py": pa.array([char_pinyin(c) for c in chars])})
    con.register("_lk_chars_arrow", arrow)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT * FROM _lk_chars_arrow")
    con.unregister("_lk_chars_arrow")
    surnames = pa.table(
        {"surname": list(SURNAMES), "reading": [r.replace(" ", "") for r in SURNAMES.values()],
         "parts": [r.split(" ") for r in SURNAMES.values()]}
    )  # fmt: skip
    con.register("_lk_surnames_arrow", surnames)
    con.execute("CREATE OR REPLACE TEMP TABLE _lk_surnames AS SELECT * FROM _lk_surnames_arrow")
    con.unregister("_lk_surnames_arrow")


def name_pinyin_sql(names_query: str, chars_table: str = "_lk_chars") -> str:
    """A query giving (name, name_py, surname_py) for each distinct `name` of `names_query`.

    Needs `add_char_table` for the same names first. surname_py is the pinyin of the surname (the
    special reading, else the first character)."""
    return f"""
WITH n AS (
    SELECT DISTINCT name, regexp_replace(name, '^{_SPACES}+|{_SPACES}+$', '', 'g') AS s
    FROM ({names_query}) WHERE name IS NOT NULL
), sur AS (
    SELECT n.name, n.s,
        coalesce(s2.reading, s1.reading) AS reading,
        CASE WHEN s2.reading IS NOT NULL THEN 2 WHEN s1.reading IS NOT NULL THEN 1 ELSE 0 END AS slen
    FROM n
    LEFT JOIN _lk_surnames s2 ON length(s2.surname) = 2 AND s2.surname = substr(n.s, 1, 2) AND length(n.s) > 2
    LEFT JOIN _lk_surnames s1 ON length(s1.surname) = 1 AND s1.surname = substr(n.s, 1, 1) AND length(n.s) > 1
), parts AS (
    SELECT name, reading, slen, string_split(substr(s, slen + 1), '') AS chars FROM sur
), ex AS (
    SELECT name, reading, slen, unnest(chars) AS c, unnest(range(1, len(chars) + 1)) AS pos FROM parts
), py AS (
    SELECT ex.name, any_value(ex.reading) AS reading, any_value(ex.slen) AS slen,
        string_agg(coalesce(ch.py, ''), '' ORDER BY ex.pos) AS rest_py,
        arg_min(coalesce(ch.py, ''), CASE WHEN coalesce(ch.py, '') = '' THEN 1000000 + ex.pos ELSE ex.pos END)
            AS first_py
    FROM ex LEFT JOIN {chars_table} ch ON ch.c = ex.c
    GROUP BY ex.name
)
SELECT p.name,
    coalesce(py.reading, '') || coalesce(py.rest_py, '') AS name_py,
    CASE WHEN py.slen > 0 THEN py.reading ELSE py.first_py END AS surname_py
FROM parts p LEFT JOIN py ON py.name = p.name
"""
