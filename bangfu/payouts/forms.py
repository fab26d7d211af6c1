"""The forms of the payout pages: building a list, returning one, a payee's account."""

from django import forms

from bangfu.core.forms import StyledFormMixin
from bangfu.payouts.kinds import kinds
from bangfu.payouts.models import Card


class BuildForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label="补贴项目")
    area = forms.CharField(
        label="区划代码", max_length=12, help_text="名单包括该区域及其下所有地区；默认本人管辖区域。"
    )
    period = forms.CharField(
        label="期间", max_length=7, help_text="按月的项目填年月（如 2026-03），按年的填年度（如 2025）。"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.key, f"{k.item}（{k.period_label}）") for k in kinds()]


class ReturnForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label="退回原因", max_length=200)


class AccountForm(StyledFormMixin, forms.Form):
    card = forms.ChoiceField(label="账户类型", choices=Card.choices)
    bank = forms.CharField(label="开户银行", max_length=60)
    number = forms.CharField(
        label="账号", max_length=40, help_text="12 至 32 位数字；保存后列表中只显示前后各 4 位。"
    )
