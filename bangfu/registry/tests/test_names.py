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
