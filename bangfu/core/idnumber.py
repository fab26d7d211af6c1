"""Parse, validate and mask Chinese citizen ID numbers (公民身份号码, GB 11643-1999) and phone numbers."""

from __future__ import annotations

import numbers
import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "PROVINCE_CODES",
    "IdNumber",
    "IdNumberError",
    "check_against",
    "check_char",
    "make_id",
    "mask_id",
    "mask_phone",
    "normalise",
    "parse_id_number",
]

# First two digits of the administrative-division code: province-level units (GB/T 2260).
PROVINCE_CODES: dict[str, str] = {
    "11": "北京市",
    "12": "天津市",
    "13": "河北省",
    "14": "山西省",
    "15": "内蒙古自治区",
    "21": "辽宁省",
    "22": "吉林省",
    "23": "黑龙江省",
    "31": "上海市",
    "32": "江苏省",
    "33": "浙江省",
    "34": "安徽省",
    "35": "福建省",
    "36": "江西省",
    "37": "山东省",
    "41": "河南省",
    "42": "湖北省",
    "43": "湖南省",
    "44": "广东省",
    "45": "广西壮族自治区",
    "46": "海南省",
    "50": "重庆市",
    "51": "四川省",
    "52": "贵州省",
    "53": "云南省",
    "54": "西藏自治区",
    "61": "陕西省",
    "62": "甘肃省",
    "63": "青海省",
    "64": "宁夏回族自治区",
    "65": "新疆维吾尔自治区",
    "71": "台湾省",
    "81": "香港特别行政区",
    "82": "澳门特别行政区",
}

# ISO 7064 MOD 11-2 as specified by GB 11643-1999.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def _group_sums() -> list[dict[str, int]]:
    """For each group of positions (0-2, 3-5, …, 15-16), every digit string → its weighted sum."""
    from itertools import product

    groups = []
    for start in range(0, 17, 3):
        weights = _WEIGHTS[start : start + 3]
        groups.append(
            {
                "".join(map(str, digits)): sum(d * w for d, w in zip(digits, weights, strict=True))
                for digits in product(range(10), repeat=len(weights))
            }
        )
    return groups


_GROUP_SUMS = _group_sums()

_ASCII_DIGITS = frozenset("0123456789")
_EARLIEST_BIRTH = date(1900, 1, 1)

# Full-width ASCII block (U+FF01..U+FF5E) to half-width; any x becomes X.
_HALF_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({ord("x"): "X", ord("ｘ"): "X"})
# Characters that are invisible in a spreadsheet cell but not str.isspace().
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# Apostrophes typed in front of a number to force Excel to keep it as text
# (a Chinese IME turns ' into ‘ or ’).
_LEADING_QUOTES = "'‘’`"

# "4.33124199001011E+17", "4.33124E+17", "-1e5": a number in scientific notation.
_SCIENTIFIC = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)E[+-]?\d+", re.IGNORECASE)
# "433124199001011000.0": a float rendered as text.
_FLOAT_TEXT = re.compile(r"[+-]?\d{12,}\.\d*")

_MSG_EXCEL_NUMBER = (
    "证件号码在 Excel 中被存成了数字，末尾几位已经丢失，无法从表格中恢复。"
    "请把该列的单元格格式设置为“文本”，再对照原始证件重新录入完整号码。"
)
_MSG_EXCEL_SCIENTIFIC = (
    "证件号码显示为科学计数法（例如 4.33124199001011E+17），说明 Excel 把它存成了数字，"
    "末尾几位已经丢失，无法从表格中恢复。请把该列的单元格格式设置为“文本”，再对照原始证件重新录入完整号码。"
)
_MSG_EXCEL_ZEROS = (
    "证件号码末三位为 000 且校验码不正确，很可能是 Excel 把它存成了数字，末尾几位已经丢失，"
    "无法从表格中恢复。请把该列的单元格格式设置为“文本”，再对照原始证件重新录入完整号码。"
)


class IdNumberError(ValueError):
    """An ID number was rejected; ``message`` is shown to the user, ``code`` is a stable slug."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class IdNumber:
    value: str
    birth_date: date
    sex: str
    area_code: str
    converted_from_15: bool

    def __repr__(self) -> str:
        # Never put the full number into logs or tracebacks.
        return f"IdNumber({self.masked()!r})"

    def masked(self) -> str:
        return mask_id(self.value)

    @property
    def province(self) -> str:
        return PROVINCE_CODES[self.value[:2]]

    def age_on(self, day: date) -> int:
        """Age in completed years on ``day``; raises ValueError if ``day`` is before birth."""
        day = _as_date(day)
        if day < self.birth_date:
            raise ValueError("day is before the birth date")
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _as_date(value: date) -> date:
    # datetime is a subclass of date; compare calendar days only.
    return value.date() if isinstance(value, datetime) else value


def normalise(raw: str) -> str:
    """Remove spaces and leading apostrophes, convert full-width characters, upper-case x."""
    if not isinstance(raw, str):
        raise TypeError(f"normalise() expects str, got {type(raw).__name__}")
    if raw.isascii() and raw.isalnum():  # the usual case: nothing to convert or strip
        return raw.replace("x", "X")
    text = raw.translate(_HALF_WIDTH)
    text = "".join(ch for ch in text if not ch.isspace() and ch not in _INVISIBLE)
    return text.lstrip(_LEADING_QUOTES)


def check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):
        raise ValueError("check_char() needs exactly 17 ASCII digits")
    g = _GROUP_SUMS  # weighted sums of each 3-digit group, precomputed: six lookups instead of 17 products
    total = g[0][first17[0:3]] + g[1][first17[3:6]] + g[2][first17[6:9]] + g[3][first17[9:12]]
    return _CHECK_CHARS[(total + g[4][first17[12:15]] + g[5][first17[15:17]]) % 11]


def make_id(area6: str, birth: date, seq: int) -> str:
    """Build a valid 18-character ID number (for demo data and tests)."""
    if len(area6) != 6 or not set(area6) <= _ASCII_DIGITS:
        raise ValueError("area6 must be 6 ASCII digits")
    if not 0 <= seq <= 999:
        raise ValueError("seq must be between 0 and 999")
    if not 1000 <= birth.year <= 9999:
        raise ValueError("birth year must have four digits")
    first17 = f"{area6}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def _describe_char(ch: str) -> str:
    return ch if ch.isprintable() else f"U+{ord(ch):04X}"


def parse_id_number(raw: object, *, today: date | None = None) -> IdNumber:
    """Validate one cell value; return the parsed ID or raise IdNumberError (message in Chinese)."""
    if raw is None:
        raise IdNumberError("证件号码为空", "empty")
    if isinstance(raw, bool):
        raise IdNumberError("证件号码格式无法识别，应为 18 位文本", "chars")
    if isinstance(raw, numbers.Number):
        # A numeric cell: Excel keeps only 15 significant digits, so the digits cannot be trusted.
        raise IdNumberError(_MSG_EXCEL_NUMBER, "excel_number")
    if not isinstance(raw, str):
        raise IdNumberError("证件号码格式无法识别，应为 18 位文本", "chars")

    text = normalise(raw)
    if not text:
        raise IdNumberError("证件号码为空", "empty")
    plain = text.isascii() and (
        text.isdigit() or (len(text) == 18 and text[:-1].isdigit() and text[-1] == "X")
    )
    if not plain and _SCIENTIFIC.fullmatch(text):
        raise IdNumberError(_MSG_EXCEL_SCIENTIFIC, "excel_number")
    if not plain and _FLOAT_TEXT.fullmatch(text):
        raise IdNumberError(_MSG_EXCEL_NUMBER, "excel_number")

    for position, ch in enumerate("" if plain else text):
        if ch in _ASCII_DIGITS:
            continue
        if ch == "X":
            if position == len(text) - 1 and len(text) != 15:
                continue  # a wrong length is reported below
            raise IdNumberError("证件号码中的 X 只能出现在 18 位号码的最后一位（校验码）", "chars")
        raise IdNumberError(
            f"证件号码只能包含数字（最后一位可以是 X），发现非法字符“{_describe_char(ch)}”", "chars"
        )

    if len(text) == 18:
        value, converted = text, False
    elif len(text) == 15:
        first17 = text[:6] + "19" + text[6:]
        value, converted = first17 + check_char(first17), True
    else:
        raise IdNumberError(f"证件号码应为 18 位（旧版为 15 位），当前为 {len(text)} 位", "length")

    if value[:2] not in PROVINCE_CODES:
        raise IdNumberError(f"证件号码前两位“{value[:2]}”不是有效的省级行政区划代码", "province")

    birth_digits = value[6:14]
    try:
        birth = date(int(birth_digits[:4]), int(birth_digits[4:6]), int(birth_digits[6:]))
    except ValueError:
        raise IdNumberError(f"证件号码中的出生日期“{birth_digits}”不是有效日期", "birth_date") from None
    if birth < _EARLIEST_BIRTH:
        raise IdNumberError(f"证件号码中的出生日期 {birth.isoformat()} 早于 1900-01-01", "birth_date")
    today = _as_date(today) if today is not None else date.today()
    if birth > today:
        raise IdNumberError(
            f"证件号码中的出生日期 {birth.isoformat()} 晚于今天（{today.isoformat()}）", "birth_date"
        )

    if not converted:
        expected = check_char(value[:17])
        if value[17] != expected:
            if value.endswith("000"):
                raise IdNumberError(_MSG_EXCEL_ZEROS, "excel_number")
            raise IdNumberError(
                f"证件号码校验码错误：按前 17 位计算，最后一位应为“{expected}”，实际为“{value[17]}”。"
                "错误可能出在任何一位，请对照原始证件核对整个号码，不要只改最后一位。",
                "check_digit",
            )

    return IdNumber(
        value=value,
        birth_date=birth,
        sex="男" if int(value[16]) % 2 else "女",
        area_code=value[:6],
        converted_from_15=converted,
    )


_SEX_ALIASES = {"男": "男", "男性": "男", "女": "女", "女性": "女"}


def check_against(id: IdNumber, *, sex: str | None, birth_date: date | None) -> list[str]:
    """Messages for other columns that contradict the ID number; empty when consistent."""
    problems: list[str] = []
    if sex is not None:
        given = sex if sex in _SEX_ALIASES else normalise(str(sex))
        if given:
            canonical = _SEX_ALIASES.get(given)
            if canonical is None:
                problems.append(f"性别“{given}”无法识别，应填写“男”或“女”")
            elif canonical != id.sex:
                problems.append(f"性别“{given}”与证件号码不符（证件号码显示为{id.sex}）")
    if birth_date is not None:
        given_date = _as_date(birth_date)
        if given_date != id.birth_date:
            problems.append(
                f"出生日期 {given_date.isoformat()} 与证件号码不符"
                f"（证件号码显示为 {id.birth_date.isoformat()}）"
            )
    return problems


def mask_id(value: str) -> str:
    """Mask an ID for display: 18 characters -> first 6, 8 asterisks, last 4; never raises."""
    if value is None:
        return ""
    text = normalise(value if isinstance(value, str) else str(value))
    n = len(text)
    if n <= 6:
        return "*" * n
    if n == 15:
        # Legacy number: keep the area code and the last sequence digits, hide the birth date.
        head, tail = 6, 3
    else:
        head, tail = min(6, n // 3), min(4, n // 4)
    return text[:head] + "*" * (n - head - tail) + text[-tail:]


def mask_name(name: str) -> str:
    """龙春生 → 龙*生, 石英 → 石*: enough to recognise someone one already knows, no more."""
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


_MOBILE = re.compile(r"(?:\+?86|0086)?-?(1[3-9]\d{9})")
_LANDLINE = re.compile(r"\(?(0(?:10|2\d|[3-9]\d{2}))\)?-?(\d{7,8})(?:(?:-|转|#|EXT\.?|X)(\d{1,6}))?")


def mask_phone(value: str) -> str:
    """Mask a phone number for display: 138****5678, 0743-***4567; short or odd strings masked wholly."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = normalise(text).upper()
    # Spaces are already gone; dashes and dots between digit groups carry no meaning for mobiles.
    compact = text.replace("(", "").replace(")", "").replace(".", "")
    mobile = _MOBILE.fullmatch(compact.replace("-", ""))
    if mobile:
        digits = mobile.group(1)
        return f"{digits[:3]}****{digits[-4:]}"
    landline = _LANDLINE.fullmatch(text.replace(".", ""))
    if landline:
        area, local, extension = landline.groups()
        masked = area + "-" + "*" * (len(local) - 4) + local[-4:]
        return masked + (f"转{extension}" if extension else "")
    n = len(text)
    if n >= 11:
        return text[:3] + "*" * (n - 7) + text[-4:]
    if n >= 7:
        return "*" * (n - 2) + text[-2:]
    return "*" * n
