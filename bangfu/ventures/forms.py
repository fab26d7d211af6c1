"""Forms of the entrepreneurship pages."""

from decimal import Decimal

from django import forms
from django.utils import timezone

from bangfu.core.forms import StyledFormMixin
from bangfu.ventures.models import IncubatorKind, LoanStatus, VentureKind

DATE = forms.DateInput(attrs={"type": "date"})


class VentureForm(StyledFormMixin, forms.Form):
    id_number = forms.CharField(label="创业人证件号码", max_length=18, help_text="须在您管辖区域的名册中")
    name = forms.CharField(label="经营实体名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=VentureKind.choices)
    industry = forms.CharField(label="行业", max_length=50, required=False)
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    started_on = forms.DateField(label="创业日期", widget=DATE, initial=timezone.localdate)
    jobs = forms.IntegerField(label="带动就业人数", min_value=0, max_value=100000, initial=0)


class JobsForm(StyledFormMixin, forms.Form):
    jobs = forms.IntegerField(label="带动就业人数", min_value=0, max_value=100000)
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=18,
        required=False,
        help_text="已在企业台账登记的单位，填写后关联",
    )


class CloseForm(StyledFormMixin, forms.Form):
    closed_on = forms.DateField(label="停业日期", widget=DATE, initial=timezone.localdate)


class LoanForm(StyledFormMixin, forms.Form):
    bank = forms.CharField(label="贷款银行", max_length=100)
    contract = forms.CharField(label="合同编号", max_length=40)
    amount = forms.DecimalField(
        label="贷款金额（元）", min_value=Decimal("1"), max_digits=12, decimal_places=2
    )
    rate = forms.DecimalField(
        label="年利率（%）", min_value=Decimal("0"), max_value=Decimal("30"), decimal_places=2
    )
    term_months = forms.IntegerField(label="期限（月）", min_value=1, max_value=360)
    granted_on = forms.DateField(label="放款日期", widget=DATE, initial=timezone.localdate)


class RepaymentForm(StyledFormMixin, forms.Form):
    paid_on = forms.DateField(label="还款日期", widget=DATE, initial=timezone.localdate)
    principal = forms.DecimalField(
        label="归还本金（元）", min_value=Decimal("0"), max_digits=12, decimal_places=2
    )
    interest = forms.DecimalField(
        label="支付利息（元）", min_value=Decimal("0"), max_digits=12, decimal_places=2
    )


class StatusForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(label="状态", choices=LoanStatus.choices)
    status_on = forms.DateField(label="状态日期", widget=DATE, initial=timezone.localdate)


class IncubatorForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=IncubatorKind.choices)
    places = forms.IntegerField(label="入驻容量（户）", min_value=0, max_value=100000, initial=0)


class ResidencyForm(StyledFormMixin, forms.Form):
    venture = forms.IntegerField(label="创业实体编号", min_value=1, max_value=2**31 - 1)
    moved_in = forms.DateField(label="入驻日期", widget=DATE, initial=timezone.localdate)
    free_rent = forms.DecimalField(
        label="免租金额（元/月）", min_value=Decimal("0"), max_digits=12, decimal_places=2, initial=0
    )
    free_until = forms.DateField(label="免租截止日期", widget=DATE, required=False)


class MoveOutForm(StyledFormMixin, forms.Form):
    moved_out = forms.DateField(label="退出日期", widget=DATE, initial=timezone.localdate)
