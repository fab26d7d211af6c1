"""Password rules beyond Django's: letters and digits both, and not mostly repeats or runs."""

from django.core.exceptions import ValidationError

# Rows of the keyboard, read both ways: qwer, asdf and 7890 are runs as much as abcd and 1234 are.
KEYBOARD_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")
MIN_PIECES = 6  # what is left when each repeat or run counts once (aaaaaaaaaa1 → 2, abcd1234efgh → 3)
MIN_DISTINCT = 5  # Ab1Ab1Ab1Ab1 has many pieces and three characters


class CharacterClassValidator:
    def validate(self, password, user=None):
        has_letter = any(ch.isalpha() for ch in password)
        has_digit = any(ch.isdigit() for ch in password)
        if not (has_letter and has_digit):
            raise ValidationError("密码必须同时包含字母和数字。", code="password_character_classes")

    def get_help_text(self):
        return "密码必须同时包含字母和数字。"


def _follows(previous: str, ch: str) -> bool:
    """`ch` repeats `previous` or steps on from it (alphabet, digits, keyboard row; either way)."""
    a, b = previous.lower(), ch.lower()
    if a == b:
        return True
    if a.isalnum() and b.isalnum() and a.isdigit() == b.isdigit() and abs(ord(a) - ord(b)) == 1:
        return True
    return any(a + b in row or b + a in row for row in KEYBOARD_ROWS)


def pieces(password: str) -> int:
    """How many pieces the password is made of, a repeat or a run (aaaa, 1234, dcba, qwer) being one."""
    count = 0
    for i, ch in enumerate(password):
        if i == 0 or not _follows(password[i - 1], ch):
            count += 1
    return count


class VarietyValidator:
    """Refuses passwords such as aaaaaaaaaa1, abcdefgh123 or qwerty12345 that pass the length rule by
    repeating a character or running along the alphabet, the digits or a keyboard row."""

    def validate(self, password, user=None):
        if pieces(password) < MIN_PIECES or len(set(password)) < MIN_DISTINCT:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return "密码不能主要由重复或连续的字符组成（如 aaaa、1234、abcd、qwer）。"
