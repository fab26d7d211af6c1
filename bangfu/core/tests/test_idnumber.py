"""Tests for the citizen ID number engine (GB 11643-1999) and the masking helpers."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from bangfu.core.idnumber import (
    PROVINCE_CODES,
    IdNumber,
    IdNumberError,
    check_against,
    check_char,
    make_id,
    mask_id,
    mask_phone,
    normalise,
    parse_id_number,
)

TODAY = date(2025, 6, 1)
HUAYUAN = "433124"  # 湖南省湘西州花垣县

# The two worked examples printed in GB 11643-1999 itself: independent of our implementation.
STANDARD_FEMALE = "11010519491231002X"
STANDARD_MALE = "440524188001010014"

VALID = make_id(HUAYUAN, date(1990, 1, 1), 123)


def parse(raw):
    return parse_id_number(raw, today=TODAY)


def error_of(raw, **kwargs) -> IdNumberError:
    kwargs.setdefault("today", TODAY)
    with pytest.raises(IdNumberError) as info:
        parse_id_number(raw, **kwargs)
    return info.value


def to_full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


area_codes = st.one_of(
    st.sampled_from([HUAYUAN, "110105", "440305", "650102", "820000"]),
    st.builds(
        lambda p, rest: p + rest,
        st.sampled_from(sorted(PROVINCE_CODES)),
        st.from_regex(r"[0-9]{4}", fullmatch=True),
    ),
)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.integers(min_value=0, max_value=999)


@st.composite
def valid_ids(draw) -> str:
    return make_id(draw(area_codes), draw(birth_dates), draw(sequences))


# --- check character ------------------------------------------------------------------------------


def test_check_char_matches_the_examples_in_the_standard():
    assert check_char(STANDARD_FEMALE[:17]) == "X"
    assert check_char(STANDARD_MALE[:17]) == "4"


@pytest.mark.parametrize(
    "bad", ["", "1234567890123456", "123456789012345678", "1234567890123456X", "１" * 17]
)
def test_check_char_rejects_anything_but_17_ascii_digits(bad):
    with pytest.raises(ValueError):
        check_char(bad)


def test_make_id_reproduces_the_standard_example():
    assert make_id("110105", date(1949, 12, 31), 2) == STANDARD_FEMALE


@pytest.mark.parametrize(
    ("area", "birth", "seq"),
    [
        ("43312", date(1990, 1, 1), 1),
        ("43312a", date(1990, 1, 1), 1),
        (HUAYUAN, date(1990, 1, 1), 1000),
        (HUAYUAN, date(1990, 1, 1), -1),
        (HUAYUAN, date(999, 1, 1), 1),
    ],
)
def test_make_id_rejects_bad_arguments(area, birth, seq):
    with pytest.raises(ValueError):
        make_id(area, birth, seq)


# --- successful parsing ---------------------------------------------------------------------------


def test_parse_standard_examples():
    female = parse(STANDARD_FEMALE)
    assert female == IdNumber(STANDARD_FEMALE, date(1949, 12, 31), "女", "110105", False)
    # The standard's second example was born in 1880: its check digit is right, but we refuse pre-1900 births.
    err = error_of(STANDARD_MALE)
    assert err.code == "birth_date"
    assert "1880-01-01" in err.message


def test_parse_huayuan_fields():
    parsed = parse(VALID)
    assert parsed.value == VALID
    assert parsed.birth_date == date(1990, 1, 1)
    assert parsed.area_code == HUAYUAN
    assert parsed.sex == "男"  # sequence 123 is odd
    assert parsed.converted_from_15 is False
    assert parsed.province == "湖南省"


def test_even_sequence_is_female_odd_is_male():
    assert parse(make_id(HUAYUAN, date(2001, 5, 6), 124)).sex == "女"
    assert parse(make_id(HUAYUAN, date(2001, 5, 6), 125)).sex == "男"
    assert parse(make_id(HUAYUAN, date(2001, 5, 6), 0)).sex == "女"


def test_lower_case_x_is_accepted():
    assert parse(STANDARD_FEMALE.lower()).value == STANDARD_FEMALE


def test_valid_id_ending_in_000_is_accepted():
    # Verified by hand: the weighted sum of the first 17 digits is 210, 210 % 11 == 1 -> "0".
    parsed = parse("433124198501010000")
    assert parsed.value == "433124198501010000"
    assert parsed.sex == "女"


@pytest.mark.parametrize(
    "raw",
    [
        f" {VALID} ",
        f"\u3000{VALID}\u3000",
        f"\xa0{VALID}",
        f"'{VALID}",
        f"''{VALID}",
        f"‘{VALID}",
        f"\ufeff{VALID}",
        f"{VALID[:6]} {VALID[6:14]} {VALID[14:]}",
        to_full_width(VALID),
        f"\t{VALID}\n",
    ],
)
def test_input_is_normalised_before_parsing(raw):
    assert parse(raw).value == VALID


def test_born_today_is_accepted_and_1900_01_01_is_accepted():
    assert parse(make_id(HUAYUAN, TODAY, 1)).birth_date == TODAY
    assert parse(make_id(HUAYUAN, date(1900, 1, 1), 1)).birth_date == date(1900, 1, 1)


def test_every_listed_province_prefix_is_accepted():
    for prefix in PROVINCE_CODES:
        assert parse(make_id(prefix + "0102", date(1980, 2, 3), 5)).area_code == prefix + "0102"


def test_province_list_is_exactly_the_gb_list():
    expected = {"11", "12", "13", "14", "15", "21", "22", "23", "71", "81", "82"}
    expected |= {str(n) for n in range(31, 38)} | {str(n) for n in range(41, 47)}
    expected |= {str(n) for n in range(50, 55)} | {str(n) for n in range(61, 66)}
    assert set(PROVINCE_CODES) == expected


def test_default_today_is_the_real_today():
    with pytest.raises(IdNumberError) as info:
        parse_id_number(make_id(HUAYUAN, date(date.today().year + 1, 1, 1), 1))
    assert info.value.code == "birth_date"
    assert parse_id_number(VALID).value == VALID


def test_today_may_be_a_datetime():
    assert parse_id_number(make_id(HUAYUAN, TODAY, 1), today=datetime(2025, 6, 1, 8, 30)).birth_date == TODAY


# --- 15-digit legacy numbers ----------------------------------------------------------------------


def test_15_digit_number_is_converted():
    parsed = parse("110105491231002")
    assert parsed.value == STANDARD_FEMALE
    assert parsed.converted_from_15 is True
    assert parsed.birth_date == date(1949, 12, 31)
    assert parsed.sex == "女"


def test_15_digit_number_with_x_is_rejected():
    err = error_of("11010549123100X")
    assert err.code == "chars"
    assert "X" in err.message


def test_15_digit_number_with_bad_date_or_province():
    assert error_of("110105490230002").code == "birth_date"
    assert error_of("990105491231002").code == "province"


# --- rejections -----------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000\xa0", "'", "\ufeff"])
def test_empty(raw):
    err = error_of(raw)
    assert err.code == "empty"
    assert err.message == "证件号码为空"


@pytest.mark.parametrize("length", [1, 14, 16, 17, 19, 20])
def test_wrong_length(length):
    raw = (VALID * 2)[:length]
    err = error_of(raw)
    assert err.code == "length"
    assert f"{length} 位" in err.message


def test_17_digits_followed_by_x_is_a_length_problem():
    err = error_of(STANDARD_FEMALE[:16] + "X")
    assert err.code == "length"


@pytest.mark.parametrize(
    ("raw", "bad_char"),
    [
        (VALID[:10] + "A" + VALID[11:], "A"),
        (VALID[:6] + "-" + VALID[6:], "-"),
        ("张三", "张"),
        (VALID[:17] + "Y", "Y"),
        (VALID[:9] + "٣" + VALID[10:], "٣"),  # Arabic-Indic digit: isdigit() but not an ID digit
    ],
)
def test_non_digit_characters(raw, bad_char):
    err = error_of(raw)
    assert err.code == "chars"
    assert f"“{bad_char}”" in err.message


def test_unprintable_character_is_described_not_echoed():
    err = error_of(VALID[:5] + "\x00" + VALID[6:])
    assert err.code == "chars"
    assert "U+0000" in err.message


@pytest.mark.parametrize("position", [0, 6, 10, 16])
def test_x_anywhere_but_last_is_rejected(position):
    raw = VALID[:position] + "X" + VALID[position + 1 :]
    err = error_of(raw)
    assert err.code == "chars"
    assert "最后一位" in err.message


@pytest.mark.parametrize(
    "birth",
    ["19900230", "19901301", "19900001", "19900100", "00000101", "19000229"],
)
def test_impossible_birth_date(birth):
    first17 = HUAYUAN + birth + "123"
    err = error_of(first17 + check_char(first17))
    assert err.code == "birth_date"
    assert birth in err.message
    assert "不是有效日期" in err.message


def test_birth_before_1900():
    err = error_of(make_id(HUAYUAN, date(1899, 12, 31), 1))
    assert err.code == "birth_date"
    assert "1899-12-31" in err.message


def test_birth_after_today():
    err = error_of(make_id(HUAYUAN, date(2025, 6, 2), 1))
    assert err.code == "birth_date"
    assert "2025-06-02" in err.message and "2025-06-01" in err.message
    assert parse_id_number(make_id(HUAYUAN, date(2025, 6, 2), 1), today=date(2025, 6, 2))


def test_wrong_check_digit_names_expected_digit_and_is_not_repaired():
    assert VALID[17] == "9"
    err = error_of(VALID[:17] + "5")
    assert err.code == "check_digit"
    assert "应为“9”" in err.message
    assert "实际为“5”" in err.message


def test_wrong_check_x():
    err = error_of(VALID[:17] + "X")
    assert err.code == "check_digit"
    assert "实际为“X”" in err.message


@pytest.mark.parametrize(
    "prefix", ["00", "10", "16", "20", "24", "30", "38", "47", "55", "60", "66", "72", "83", "99"]
)
def test_invalid_province_prefix(prefix):
    err = error_of(make_id(prefix + "3124", date(1990, 1, 1), 1))
    assert err.code == "province"
    assert f"“{prefix}”" in err.message


# --- Excel number damage --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        4.33124199001011e17,
        433124199001011239,  # even an exact int: a numeric cell means the digits cannot be trusted
        int(VALID[:17]),
        Decimal("433124199001011239"),
        float("nan"),
        0,
    ],
)
def test_numeric_cells_are_rejected(raw):
    err = error_of(raw)
    assert err.code == "excel_number"
    assert "数字" in err.message and "“文本”" in err.message and "丢失" in err.message


@pytest.mark.parametrize(
    "raw",
    [
        "4.33124199001011E+17",
        "4.33124199001011e+17",
        "4.33124E+17",
        " 4.33124199001011E+17 ",
        "'4.33124199001011E+17",
        to_full_width("4.33124199001011E+17"),
        "433124199001011000.0",
        "433124199001011239.",
    ],
)
def test_scientific_notation_strings_are_rejected(raw):
    err = error_of(raw)
    assert err.code == "excel_number"
    assert "Excel" in err.message and "“文本”" in err.message


def test_trailing_000_with_bad_check_is_explained_as_excel_damage():
    damaged = VALID[:15] + "000"
    assert check_char(damaged[:17]) != "0"
    err = error_of(damaged)
    assert err.code == "excel_number"
    assert "000" in err.message and "“文本”" in err.message


def test_booleans_and_other_types_are_rejected():
    for raw in (True, False, b"433124199001011239", [VALID], object()):
        assert error_of(raw).code == "chars"


def test_error_is_a_value_error_whose_str_is_the_message():
    err = error_of("abc")
    assert isinstance(err, ValueError)
    assert str(err) == err.message


# --- masking and age ------------------------------------------------------------------------------


def test_masked():
    assert parse(VALID).masked() == "433124********1239"
    assert mask_id(VALID) == "433124********1239"


def test_repr_does_not_leak_the_number():
    text = repr(parse(VALID))
    assert VALID not in text
    assert "19900101" not in text
    assert "433124********1239" in text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", ""),
        ("1", "*"),
        ("123456", "******"),
        ("1234567", "12****7"),
        ("110105491231002", "110105******002"),
        (STANDARD_FEMALE.lower(), "110105********002X"),
        (None, ""),
    ],
)
def test_mask_id_short_and_odd_values(raw, expected):
    assert mask_id(raw) == expected


@pytest.mark.parametrize(
    ("day", "age"),
    [
        (date(1990, 1, 1), 0),
        (date(1990, 12, 31), 0),
        (date(2019, 12, 31), 29),
        (date(2020, 1, 1), 30),
        (datetime(2020, 1, 1, 0, 0), 30),
    ],
)
def test_age_on(day, age):
    assert parse(VALID).age_on(day) == age


def test_age_on_leap_day_birthday():
    leapling = parse(make_id(HUAYUAN, date(2000, 2, 29), 2))
    assert leapling.age_on(date(2018, 2, 28)) == 17
    assert leapling.age_on(date(2018, 3, 1)) == 18
    assert leapling.age_on(date(2020, 2, 29)) == 20


def test_age_on_before_birth_raises():
    with pytest.raises(ValueError):
        parse(VALID).age_on(date(1989, 12, 31))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("138-1234-5678", "138****5678"),
        ("+86 13812345678", "138****5678"),
        ("８６１３８１２３４５６７８", "138****5678"),
        ("0743-1234567", "0743-***4567"),
        ("07431234567", "0743-***4567"),
        ("(0743)1234567", "0743-***4567"),
        ("010-12345678", "010-****5678"),
        ("021 12345678", "021-****5678"),
        ("0743-1234567转123", "0743-***4567转123"),
        ("12345678", "******78"),
        ("95588", "*****"),
        ("110", "***"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(raw, expected):
    assert mask_phone(raw) == expected


# --- cross-checks with other columns --------------------------------------------------------------


def test_check_against_consistent():
    parsed = parse(VALID)
    assert check_against(parsed, sex="男", birth_date=date(1990, 1, 1)) == []
    assert check_against(parsed, sex=" 男性 ", birth_date=datetime(1990, 1, 1, 12)) == []
    assert check_against(parsed, sex=None, birth_date=None) == []
    assert check_against(parsed, sex="", birth_date=None) == []


def test_check_against_contradictions():
    parsed = parse(VALID)
    problems = check_against(parsed, sex="女", birth_date=date(1990, 1, 2))
    assert len(problems) == 2
    assert "性别“女”与证件号码不符" in problems[0] and "男" in problems[0]
    assert "1990-01-02" in problems[1] and "1990-01-01" in problems[1] and "不符" in problems[1]


def test_check_against_unrecognised_sex():
    problems = check_against(parse(VALID), sex="未知", birth_date=None)
    assert problems == ["性别“未知”无法识别，应填写“男”或“女”"]


# --- normalise ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (" 1 2\u30003\xa04 ", "1234"),
        ("'123", "123"),
        ("‘’123", "123"),
        ("１２３ｘ", "123X"),
        ("Ｘ", "X"),
        ("12x", "12X"),
        ("1'2", "1'2"),  # only a leading apostrophe is Excel's text marker
        ("\ufeff12\u200b3", "123"),
    ],
)
def test_normalise(raw, expected):
    assert normalise(raw) == expected


# --- properties -----------------------------------------------------------------------------------


@given(area_codes, birth_dates, sequences)
def test_make_id_round_trips(area, birth, seq):
    value = make_id(area, birth, seq)
    parsed = parse(value)
    assert parsed.value == value
    assert parsed.birth_date == birth
    assert parsed.area_code == area
    assert parsed.sex == ("男" if seq % 2 else "女")
    assert parsed.converted_from_15 is False


@given(valid_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
@example(STANDARD_FEMALE, 17, "0")
def test_any_single_substitution_is_detected(value, position, replacement):
    if value[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    mutated = value[:position] + replacement + value[position + 1 :]
    with pytest.raises(IdNumberError):
        parse(mutated)


@given(valid_ids(), st.integers(min_value=0, max_value=16))
def test_any_adjacent_transposition_is_detected(value, position):
    a, b = value[position], value[position + 1]
    if a == b:
        return
    swapped = value[:position] + b + a + value[position + 2 :]
    with pytest.raises(IdNumberError):
        parse(swapped)


@given(st.text())
@example(" '\u3000ｘ")
@example("e \u0301")
def test_normalise_is_idempotent(raw):
    once = normalise(raw)
    assert normalise(once) == once


@given(valid_ids(), st.lists(st.sampled_from([" ", "\u3000", "\xa0"]), max_size=3), st.booleans())
def test_full_width_parses_equal_to_half_width(value, padding, apostrophe):
    decorated = (
        ("'" if apostrophe else "") + "".join(padding) + to_full_width(value.lower()) + "".join(padding)
    )
    assert parse(decorated) == parse(value)


@given(area_codes, st.dates(min_value=date(1900, 1, 1), max_value=date(1999, 12, 31)), sequences)
def test_15_to_18_conversion_round_trips(area, birth, seq):
    value18 = make_id(area, birth, seq)
    value15 = value18[:6] + value18[8:17]
    legacy = parse(value15)
    modern = parse(value18)
    assert legacy.value == value18
    assert legacy.converted_from_15 is True
    assert (legacy.birth_date, legacy.sex, legacy.area_code) == (
        modern.birth_date,
        modern.sex,
        modern.area_code,
    )


@given(
    st.one_of(
        st.text(),
        st.from_regex(r"[0-9xX '\u3000.eE+]{13,20}", fullmatch=True),
        st.builds(lambda v, i, c: v[:i] + c + v[i:], valid_ids(), st.integers(0, 18), st.characters()),
    )
)
def test_parse_text_never_raises_anything_but_id_number_error(raw):
    try:
        parsed = parse(raw)
    except IdNumberError as err:
        assert err.code in {
            "empty",
            "length",
            "chars",
            "birth_date",
            "check_digit",
            "province",
            "excel_number",
        }
        assert err.message
    else:
        assert len(parsed.value) == 18
        assert check_char(parsed.value[:17]) == parsed.value[17]


@given(st.one_of(st.integers(), st.floats(allow_nan=True, allow_infinity=True)))
def test_numbers_are_always_excel_number(raw):
    assert error_of(raw).code == "excel_number"


@given(st.floats(min_value=1e14, max_value=1e18))
def test_scientific_notation_of_any_id_sized_float_is_rejected(number):
    assert error_of(f"{number:E}").code == "excel_number"
    assert error_of(f"{number:.14e}").code == "excel_number"


@given(st.text())
def test_mask_id_hides_at_least_40_percent(raw):
    masked = mask_id(raw)
    assert len(masked) == len(normalise(raw))
    assert masked.count("*") >= 0.4 * len(masked)


@given(st.text())
def test_mask_phone_never_raises_and_never_returns_long_input_unmasked(raw):
    masked = mask_phone(raw)
    if masked:
        assert "*" in masked


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_mask_phone_hides_the_middle_of_every_mobile(number):
    assert mask_phone(number) == number[:3] + "****" + number[-4:]


@given(valid_ids())
def test_check_character_satisfies_the_iso_7064_definition(value):
    # ISO 7064 MOD 11-2 stated independently of the lookup table: with position i counted from the right
    # (the check character is i = 1) and X = 10, the sum of a_i * 2^(i-1) is congruent to 1 modulo 11.
    total = sum((10 if ch == "X" else int(ch)) * pow(2, i, 11) for i, ch in enumerate(reversed(value)))
    assert total % 11 == 1
