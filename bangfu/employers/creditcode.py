"""统一社会信用代码 (unified social credit code, GB 32100-2015): parse, check and make.

18 characters: 登记管理部门代码 (1), 机构类别代码 (1), 登记管理机关行政区划码 (6 digits), 主体标识码 (9) and a
check character. The alphabet is the digits and the capital letters without I, O, S, V and Z; the check
character is chosen so that the weighted sum of all 18 values is 0 mod 31. Plain Python, no Django.
"""

from __future__ import annotations

import unicodedata

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: index for index, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


class CreditCodeError(ValueError):
    """The text is not a valid credit code; the message is Chinese, for the user."""


def check_character(body: str) -> str:
    """The 18th character for the first 17."""
    total = sum(VALUES[ch] * weight for ch, weight in zip(body, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalize(raw: object) -> str:
    """Full-width to half-width, spaces and dashes removed, upper case: how people type and paste codes."""
    text = unicodedata.normalize("NFKC", str(raw or ""))
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_").upper()


def parse_credit_code(raw: object) -> str:
    """The code in its canonical form, or CreditCodeError saying what is wrong."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CreditCodeError("单元格被存成了数字，请把该列设为“文本”后重新填写。")
    code = normalize(raw)
    if not code:
        raise CreditCodeError("不能为空。")
    if len(code) != LENGTH:
        raise CreditCodeError(f"应为 18 位，实际 {len(code)} 位。")
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        shown = "、".join(bad)
        raise CreditCodeError(f"含有不允许的字符 {shown}（只能是数字和除 I、O、S、V、Z 以外的大写字母）。")
    if not code[2:8].isdigit():
        raise CreditCodeError("第 3–8 位应为登记管理机关的行政区划代码（6 位数字）。")
    expected = check_character(code[:17])
    if code[17] != expected:
        raise CreditCodeError("校验位不正确，请核对是否抄错。")
    return code


def is_valid(raw: object) -> bool:
    try:
        parse_credit_code(raw)
    except CreditCodeError:
        return False
    return True


def make_credit_code(area: str, serial: int, *, department: str = "9", category: str = "1") -> str:
    """A valid code for test and demo data: registered by `department` in the 6-digit `area`."""
    body = f"{department}{category}{area[:6]}"
    tail = ""
    for _ in range(9):
        serial, rest = divmod(serial, 31)
        tail = ALPHABET[rest] + tail
    body += tail
    return body + check_character(body)
