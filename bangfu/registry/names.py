"""Pinyin forms of Chinese names for search ("zs" finds 张三), with surname readings that differ from
the common reading of the character (单 shan, 曾 zeng, 仇 qiu, 解 xie …)."""

from functools import lru_cache

from pypinyin import lazy_pinyin

# Surnames read differently from their characters' common reading; applied at the start of a name.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "仇": "qiu",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "查": "zha",
    "盖": "ge",
    "尉": "yu",
    "乐": "yue",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "繁": "po",
    "员": "yun",
    "万俟": "mo qi",
    "长孙": "zhang sun",
    "尉迟": "yu chi",
    "种": "chong",
    "秘": "bi",
    "召": "shao",
    "句": "gou",
    "柏": "bai",
    "宓": "fu",
    "黑": "he",
    "褚": "chu",
    "隗": "wei",
    "纪": "ji",
    "郇": "xun",
    "应": "ying",
    "过": "guo",
}
SEPARATORS = "·•．. "


@lru_cache(maxsize=65536)
def _char_pinyin(char: str) -> str:
    # A character pypinyin has no reading for (e.g. 嗧) comes back as nothing at all: it adds no syllable.
    readings = lazy_pinyin(char, errors=lambda ch: "") if char.strip() else []
    return readings[0] if readings else ""


def pinyin_syllables(name: str) -> list[str]:
    """One syllable per character, surname reading first; separators such as · are dropped."""
    name = (name or "").strip()
    syllables: list[str] = []
    rest = name
    for surname in (name[:2], name[:1]):
        if surname in SURNAME_READINGS and len(name) > len(surname):
            syllables.extend(SURNAME_READINGS[surname].split())
            rest = name[len(surname) :]
            break
    for char in rest:
        if char in SEPARATORS:
            continue
        syllable = _char_pinyin(char) if not char.isascii() else char.lower()
        if syllable:
            syllables.append(syllable)
    return syllables


_SURNAME_INITIALS = {
    surname: "".join(s[0] for s in reading.split()) for surname, reading in SURNAME_READINGS.items()
}
_INITIALS: dict[str, str] = {}  # character → its initial, "" for a separator or a character without reading


def _initial(char: str) -> str:
    if char in SEPARATORS:
        return ""
    return (_char_pinyin(char) if not char.isascii() else char.lower())[:1]


def initials(name: str) -> str:
    """张三 → zs; 单雄信 → sxx; 阿依古丽·买买提 → ayglmmt. The first letters of `pinyin_syllables(name)`,
    one table lookup per character: a million-row import computes this for every new person."""
    name = (name or "").strip()
    head, rest = "", name
    for surname in (name[:2], name[:1]):
        if surname in _SURNAME_INITIALS and len(name) > len(surname):
            head, rest = _SURNAME_INITIALS[surname], name[len(surname) :]
            break
    table = _INITIALS
    try:
        return head + "".join([table[char] for char in rest])
    except KeyError:
        for char in rest:
            if char not in table:
                table[char] = _initial(char)
        return head + "".join([table[char] for char in rest])


def full_pinyin(name: str) -> str:
    return "".join(pinyin_syllables(name))
