import django_filters

from bangfu.core.params import IdFilter
from bangfu.employment.models import Channel, EmploymentRecord, Mismatch, MismatchStatus, Place, Source
from bangfu.referrals.filters import ReferralFilter
from bangfu.registry.filters import AreaCodeFilter


class EmploymentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    place = django_filters.ChoiceFilter(label="务工地域", choices=Place.choices)
    channel = django_filters.ChoiceFilter(label="就业渠道", choices=Channel.choices)
    source = django_filters.ChoiceFilter(label="来源", choices=Source.choices)
    current = django_filters.ChoiceFilter(
        label="在职", choices=[("1", "在职"), ("0", "已离职")], method="filter_current"
    )
    person = IdFilter(field_name="person_id", label="人员")

    class Meta:
        model = EmploymentRecord
        fields = ["q", "area", "place", "channel", "source", "current", "person"]

    filter_q = ReferralFilter.filter_q

    def filter_current(self, qs, name, value):
        if value == "1":
            return qs.filter(ended_on__isnull=True)
        if value == "0":
            return qs.filter(ended_on__isnull=False)
        return qs


class MismatchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="姓名/拼音首字母/证件号码后几位", method="filter_q")
    area = AreaCodeFilter(label="区域代码")
    status = django_filters.ChoiceFilter(label="处理状态", choices=MismatchStatus.choices, empty_label="全部")

    class Meta:
        model = Mismatch
        fields = ["q", "area", "status"]

    filter_q = ReferralFilter.filter_q
