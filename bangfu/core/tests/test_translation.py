"""Django 6's blank choice of every select ("- Select an option -") is not translated to zh-hans by
Django itself; the project's locale (bangfu/locale) supplies it."""

import pytest
from django.utils import translation

from bangfu.employment.forms import EmploymentForm


@pytest.mark.django_db
def test_selects_offer_a_chinese_blank_choice():
    with translation.override("zh-hans"):
        html = str(EmploymentForm()["channel"])
    assert "- 请选择 -" in html and "Select an option" not in html
