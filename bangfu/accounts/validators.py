"""Password rule beyond Django's: letters and digits both required."""

from django.core.exceptions import ValidationError


class CharacterClassValidator:
    def validate(self, password, user=None):
        has_letter = any(ch.isalpha() for ch in password)
        has_digit = any(ch.isdigit() for ch in password)
        if not (has_letter and has_digit):
            raise ValidationError("密码必须同时包含字母和数字。", code="password_character_classes")

    def get_help_text(self):
        return "密码必须同时包含字母和数字。"
