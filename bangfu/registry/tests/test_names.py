"""Name initials and pinyin for search and linkage: every character either reads or is skipped."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bangfu.registry.names import initials, pinyin_syllables


def test_a_character_without_a_reading_is_skipped():
    # pypinyin has no reading for 嗧: it must neither crash an import nor take a letter.
    assert initials("龙嗧生") == "ls"
    assert pinyin_syllables("嗧") == []


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(min_codepoint=0x3400, max_codepoint=0x9FFF), min_size=1, max_size=6))
def test_any_cjk_name_gives_lowercase_initials(name):
    letters = initials(name)
    assert len(letters) <= len(name) and letters == letters.lower()


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        st.one_of(
            st.sampled_from("单曾仇解万俟长孙尉迟张三李四龙石·•．. aZ9\t"),
            st.characters(min_codepoint=0x20, max_codepoint=0x9FFF),
        ),
        max_size=8,
    )
)
def test_initials_are_the_first_letters_of_the_syllables(name):
    # initials() reads one table per character; it must say exactly what the syllables say.
    assert initials(name) == "".join(s[0] for s in pinyin_syllables(name))


def test_surname_readings_and_separators():
    assert initials("单雄信") == "sxx" and initials("万俟卨") == "mqx" and initials("单") == "d"
    assert initials("阿依古丽·买买提") == "ayglmmt" and initials(" 张三 ") == "zs"
