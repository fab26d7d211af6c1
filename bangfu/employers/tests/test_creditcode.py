"""统一社会信用代码 (GB 32100-2015): real codes pass, every single-character change is caught."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bangfu.employers.creditcode import (
    ALPHABET,
    CreditCodeError,
    check_character,
    is_valid,
    make_credit_code,
    parse_credit_code,
)

REAL = ["91350100M000100Y43", "91440300708461136T", "911100001000079554", "91110000802100433B"]

bodies = st.builds(
    lambda head, area, tail: head + area + tail,
    st.text(alphabet=ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=ALPHABET, min_size=9, max_size=9),
)


@pytest.mark.parametrize("code", REAL)
def test_it_accepts_real_codes(code):
    assert parse_credit_code(code) == code


def test_it_folds_how_people_type_codes():
    assert parse_credit_code(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert parse_credit_code("91350100-M000100Y43") == "91350100M000100Y43"


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ("", "不能为空"),
        ("91350100M000100Y4", "18 位"),
        ("91350100M000100I43", "不允许的字符 I"),
        ("91350100M000100Y44", "校验位"),
        ("9135A100M000100Y43", "行政区划代码"),
        (913501001000100143.0, "数字"),
    ],
)
def test_it_says_what_is_wrong(raw, word):
    with pytest.raises(CreditCodeError) as info:
        parse_credit_code(raw)
    assert word in str(info.value)


@given(bodies)
def test_a_body_with_its_check_character_is_valid(body):
    code = body + check_character(body)
    assert parse_credit_code(code) == code


@given(bodies, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_any_single_character_change_is_caught(body, position, replacement):
    code = body + check_character(body)
    changed = code[:position] + replacement + code[position + 1 :]
    if changed != code and changed[2:8].isdigit():
        assert not is_valid(changed)


@given(bodies, st.integers(min_value=0, max_value=15))
def test_swapping_two_neighbours_is_caught(body, position):
    code = body + check_character(body)
    swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    if swapped != code and swapped[2:8].isdigit():
        assert not is_valid(swapped)


@given(st.text(max_size=25))
def test_any_text_is_either_parsed_or_refused_in_chinese(text):
    try:
        code = parse_credit_code(text)
    except CreditCodeError as exc:
        assert str(exc)
    else:
        assert len(code) == 18 and is_valid(code)


@given(st.integers(min_value=0, max_value=31**9 - 1))
def test_made_codes_are_valid(serial):
    assert is_valid(make_credit_code("433124", serial))
