"""社保扶贫 in the area-scope tests (core/tests/test_area_scope_everywhere.py): a 脱贫户 member of 土地村
(county A), marked in the name, on the roster, in the 60+ ledger and on the rates' lists."""

OBJECT_VIEWS = {}
LIST_VIEWS = {
    "pension:roster": "",
    "pension:roster_export": "?format=csv",
    "pension:ageing": "",
    "pension:rates": "",
    "pension:rate_people": "?rate=pension_enrolment",
    "pension:burden": "",
    "pension:burden_export": "?format=csv",
}
# Posting 确认代缴 builds a list of the user's own area only (an area outside it is not found).
OWN_OR_PUBLIC = {"pension:roster_confirm"}
A_MARKERS = {"marker-pension-A", "marker-ageing-A", "marker-unenrolled-A", "marker-burden-A"}


def objects(users, base):
    import datetime as dt

    from django.utils import timezone

    from bangfu.pension.models import BurdenRule, Settlement
    from bangfu.pension.tests.factories import person

    person("marker-pension-A 龙代缴")
    person("marker-ageing-A 龙老", birth="1960-03-01", pension_status="领取待遇")
    person("marker-unenrolled-A 龙未保", pension_insurance="", pension_status="")
    heavy = person("marker-burden-A 龙病重")
    BurdenRule.objects.get_or_create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), defaults={"yearly_personal": 5000}
    )
    for day in (dt.date(timezone.localdate().year, 1, 2), dt.date(timezone.localdate().year, 1, 3)):
        Settlement.objects.create(
            person=heavy, area_id=heavy.area_id, settled_on=day, total=20000, basic=14000, personal=4000,
            care_kind="住院", hospital_level="二级",
        )  # fmt: skip
    return {}
