"""The shipped 统计用区划代码 and its plain-Python reader (no database needed)."""

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field

import pytest

from bangfu.areas import dataset
from bangfu.areas.dataset import (
    LEVEL_DIGITS,
    CodeChange,
    Division,
    iter_code_changes,
    iter_divisions,
    pad_code,
)

ROOT = dataset.DATA_DIR.parents[2]
EXPECTED_COUNTS = {1: 31, 2: 342, 3: 2975, 4: 41351, 5: 620572}


@dataclass
class Country:
    """What one pass over the whole country found (the full list would cost ~150 MB to keep)."""

    counts: Counter = field(default_factory=Counter)
    codes: set[str] = field(default_factory=set)
    province_counts: Counter = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)
    picked: dict[str, Division] = field(default_factory=dict)


PICK = {
    *("430000000000", "433100000000", "433123000000", "433124000000", "433124105000", "433124105208"),
    *("441900000000", "441900003000", "441900003001", "620201000000", "620201100000", "110000000000"),
    "350527000000",
}


@pytest.fixture(scope="module")
def country() -> Country:
    result = Country()
    previous = ""
    seen_natural: set[str] = set()
    for division in iter_divisions():
        code, level = division.code, division.level
        natural = code[: LEVEL_DIGITS[level]]
        result.counts[level] += 1
        result.province_counts[code[:2]] += 1
        if code in result.codes:
            result.problems.append(f"duplicate {code}")
        result.codes.add(code)
        if len(code) != 12 or not code.isdigit() or code != pad_code(natural):
            result.problems.append(f"bad code {code} at level {level}")
        if code < previous:
            result.problems.append(f"out of order: {code} after {previous}")
        previous = code
        # The parent is the longest proper prefix (2, 4, 6 or 9 digits) already seen.
        expected = next(
            (natural[:d] for d in (9, 6, 4, 2) if d < len(natural) and natural[:d] in seen_natural), None
        )
        if (expected and pad_code(expected)) != division.parent_code or (expected is None) != (level == 1):
            result.problems.append(f"{code}: parent {division.parent_code}, expected {expected}")
        seen_natural.add(natural)
        if code in PICK:
            result.picked[code] = division
    return result


def test_counts_per_level(country):
    assert dict(country.counts) == EXPECTED_COUNTS
    assert len(country.codes) == sum(EXPECTED_COUNTS.values())


def test_codes_parents_and_order(country):
    assert country.problems == []


def test_known_divisions(country):
    got = country.picked
    assert got["430000000000"] == Division("430000000000", "湖南省", 1, None)
    assert got["433100000000"] == Division("433100000000", "湘西土家族苗族自治州", 2, "430000000000")
    assert got["433123000000"] == Division("433123000000", "凤凰县", 3, "433100000000")
    assert got["433124000000"] == Division("433124000000", "花垣县", 3, "433100000000")
    assert got["433124105000"] == Division("433124105000", "吉卫镇", 4, "433124000000")
    assert got["433124105208"] == Division("433124105208", "机司村", 5, "433124105000")


def test_city_without_counties(country):
    got = country.picked
    # 东莞市 has no county level: its townships hang under the city, and no placeholder county 441900 exists.
    assert got["441900000000"] == Division("441900000000", "东莞市", 2, "440000000000")
    assert got["441900003000"] == Division("441900003000", "东城街道", 4, "441900000000")
    assert got["441900003001"].parent_code == "441900003000"
    # 嘉峪关市 has one county-level unit, which keeps its townships.
    assert got["620201000000"].level == 3
    assert got["620201100000"].parent_code == "620201000000"
    # 金门县 is kept, without the package's placeholder township and village.
    assert got["350527000000"] == Division("350527000000", "金门县", 3, "350500000000")


def test_divisions_are_frozen():
    division = next(iter_divisions("11"))
    with pytest.raises(AttributeError):
        division.name = "x"  # type: ignore[misc]


def test_provinces():
    provinces = dataset.provinces()
    assert len(provinces) == 31
    assert provinces[0] == Division("110000000000", "北京市", 1, None)
    assert all(p.level == 1 and p.parent_code is None for p in provinces)
    assert [p.code for p in provinces] == sorted(p.code for p in provinces)


@pytest.mark.parametrize("province", ["43", "430000000000"])
def test_province_filter(country, province):
    divisions = list(iter_divisions(province))
    assert divisions[0] == country.picked["430000000000"]
    assert all(d.code.startswith("43") for d in divisions)
    assert len(divisions) == country.province_counts["43"]
    assert [d.code for d in divisions] == sorted(d.code for d in divisions)


def test_province_filter_first_and_last():
    assert [d.code for d in iter_divisions("11")][:2] == ["110000000000", "110100000000"]
    last = list(iter_divisions("65"))
    assert last[0].code == "650000000000"
    assert all(d.code.startswith("65") for d in last)


@pytest.mark.parametrize("province", ["99", "71", "00", "4331", "433100000000", "4", "ab", "", "４３"])
def test_province_filter_rejects(province):
    with pytest.raises(ValueError, match="省级区划"):
        iter_divisions(province)  # raised at the call, before iterating


@pytest.mark.parametrize(
    ("code", "padded"),
    [
        ("43", "430000000000"),
        ("4331", "433100000000"),
        ("433124", "433124000000"),
        ("433124105", "433124105000"),
        ("433124105208", "433124105208"),
        ("430000000000", "430000000000"),
    ],
)
def test_pad_code(code, padded):
    assert pad_code(code) == padded


@pytest.mark.parametrize(
    "code", ["", "4", "433", "43312", "4331241", "1234567890123", "43a1", " 43", "４３", "-43", "43\n"]
)
def test_pad_code_rejects(code):
    with pytest.raises(ValueError, match="区划代码"):
        pad_code(code)


def test_pad_code_rejects_non_strings():
    with pytest.raises(ValueError, match="区划代码"):
        pad_code(4331)  # type: ignore[arg-type]


def test_code_changes(country):
    changes = list(iter_code_changes())
    assert len(changes) > 1000
    assert all(isinstance(c, CodeChange) for c in changes)
    assert len({c.old_code for c in changes}) == len(changes)
    for change in changes:
        assert change.new_code in country.codes, change
        assert change.old_code not in country.codes, change
        assert len(change.old_code) == len(change.new_code) == 12
        assert change.old_code[:2] == change.new_code[:2], change  # same province
        assert 2016 <= change.last_year < dataset.DATASET_YEAR
        assert change.note
    levels = Counter(c.new_code.endswith("000000") for c in changes)
    assert levels[True] > 50 and levels[False] > 1000  # counties and townships


def test_known_code_changes():
    changes = {c.old_code: c for c in iter_code_changes()}
    # 宁乡县 became 宁乡市 in 2017.
    assert changes["430124000000"] == CodeChange("430124000000", "430182000000", 2016, "宁乡县→宁乡市")
    # 定州市 moved from 省直辖 (1390) to 保定市 (1306).
    assert changes["139001000000"].new_code == "130682000000"
    # 芦台镇 became 芦台街道 (code 100 → 001).
    assert changes["120117100000"].new_code == "120117001000"


def test_reader_does_not_import_django():
    code = "import sys, bangfu.areas.dataset as d; next(d.iter_divisions('11')); print(sorted(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=ROOT)
    assert "'django'" not in out.stdout
