"""The standard ledgers (标准台账) from the one database: 贫困劳动力台账 (the registry's laborers),
转移就业台账 (employment records), 企业台账 (employers with their hires) and 招聘会台账 (fairs with their
outcomes). Each reuses its app's FilterSet, so a ledger filters as the app's own list does."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from bangfu.ledgers.base import Column, Ledger, area_of, id_number, phone, register, text, yes_no


def _local_time(value, ctx) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _label(choices) -> callable:
    labels = dict(choices)
    return lambda value, ctx: labels.get(value, value or "")


AREA_COLUMNS = (
    Column("county", "县(市、区)", "area_id", area_of(3), compact=True),
    Column("township", "乡(镇、街道)", "area_id", area_of(4)),
    Column("village", "行政村", "area_id", area_of(5)),
)


# 贫困劳动力台账 ---------------------------------------------------------------------------------------


def _laborers(user, area):
    from bangfu.registry.models import Person

    return Person.objects.for_user(user).for_area(area).laborers()


def _laborer_counts(people):
    from bangfu.registry.vocab import EMPLOYED

    figures = people.order_by().aggregate(
        total=Count("pk"),
        working=Count("pk", filter=Q(employment_status__in=EMPLOYED)),
        county=Count("pk", filter=Q(employment_status="县内务工")),
        province=Count("pk", filter=Q(employment_status="省内县外务工")),
        outside=Count("pk", filter=Q(employment_status="省外务工")),
    )
    return [
        ("劳动力", figures["total"]),
        ("已务工", figures["working"]),
        ("县内务工", figures["county"]),
        ("省内县外务工", figures["province"]),
        ("省外务工", figures["outside"]),
        ("未务工", figures["total"] - figures["working"]),
    ]


def laborers_ledger() -> Ledger:
    from bangfu.registry.filters import PersonFilter

    return Ledger(
        key="laborers",
        title="贫困劳动力台账",
        noun="人",
        description="名册中的劳动力（劳动年龄内、有劳动能力、健在），一人一行，务工状态由就业记录得出。",
        records=_laborers,
        filterset=PersonFilter,
        columns=(
            *AREA_COLUMNS,
            Column("household_number", "户编号", "household__number", text, compact=True),
            Column("name", "姓名", "name", text),
            Column("sex", "性别", "sex", text),
            Column("id_number", "证件号码", "id_number", id_number),
            Column("birth_date", "出生日期", "birth_date", text, compact=True),
            Column("relation", "与户主关系", "relation", text, compact=True),
            Column("education", "文化程度", "education", text, compact=True),
            Column("labor_skill", "劳动技能", "labor_skill", text),
            Column("household_type", "户类型", "household__household_type", text),
            Column("monitoring_type", "监测对象类型", "household__monitoring_type", text, compact=True),
            Column("employment_status", "务工状态", "employment_status", text),
            Column("work_months", "务工时间(月)", "work_months", number=True, compact=True),
            Column("job_wish", "就业意向", "job_wish", text, compact=True),
            Column("training_wish", "培训意愿", "training_wish", text, compact=True),
            Column("phone", "联系电话", "phone", phone),
        ),
        order=("area_id", "household__number", "id"),
        counts=_laborer_counts,
        placeholders={"q": "姓名、拼音、证件号码或电话尾号", "area": "如 433124102"},
    )


# 转移就业台账 ---------------------------------------------------------------------------------------


def _records(user, area):
    from bangfu.employment.models import EmploymentRecord

    return EmploymentRecord.objects.for_user(user).for_area(area)


def _record_counts(records):
    from bangfu.employment.models import EmploymentRecord

    figures = records.order_by().aggregate(
        total=Count("pk"),
        people=Count("person", distinct=True),
        current=Count("pk", filter=EmploymentRecord.receiving_now()),
        organised=Count("pk", filter=Q(channel="有组织输出")),
    )
    return [
        ("就业记录", figures["total"]),
        ("涉及人数", figures["people"]),
        ("当前在岗", figures["current"]),
        ("已离职或未开始", figures["total"] - figures["current"]),
        ("有组织输出", figures["organised"]),
    ]


def employment_ledger() -> Ledger:
    from bangfu.employment.filters import EmploymentFilter
    from bangfu.employment.models import Source

    return Ledger(
        key="employment",
        title="转移就业台账",
        noun="条",
        description="每段务工经历一行：人员、就业单位、务工地、就业渠道、入职与离职。",
        records=_records,
        filterset=EmploymentFilter,
        columns=(
            *AREA_COLUMNS,
            Column("name", "姓名", "person__name", text),
            Column("sex", "性别", "person__sex", text, compact=True),
            Column("id_number", "证件号码", "person__id_number", id_number),
            Column("phone", "联系电话", "person__phone", phone, compact=True),
            Column("employer", "就业单位", "employer_name", text),
            Column("credit_code", "统一社会信用代码", "credit_code", text, compact=True),
            Column("work_area", "务工地", "work_area__full_name", text, compact=True),
            Column("place", "务工地域", "place", text),
            Column("channel", "就业渠道", "channel", text),
            Column("started_on", "入职日期", "started_on", text),
            Column("ended_on", "离职日期", "ended_on", text),
            Column("end_reason", "离职原因", "end_reason", text, compact=True),
            Column("monthly_wage", "月工资(元)", "monthly_wage", number=True, compact=True),
            Column("source", "信息来源", "source", _label(Source.choices), compact=True),
        ),
        order=("area_id", "person_id", "started_on", "id"),
        counts=_record_counts,
        placeholders={"q": "姓名、首字母或证件号后几位", "area": "如 433124102"},
    )


# 企业台账 ------------------------------------------------------------------------------------------


def _hires(*condition):
    """Poor laborers (registry people) an employer has taken on: distinct people among its records (those
    in force today with `EmploymentRecord.receiving_now()`)."""
    from bangfu.employment.models import EmploymentRecord

    people = (
        EmploymentRecord.objects.filter(*condition, employer=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(n=Count("person", distinct=True))
        .values("n")[:1]
    )
    return Coalesce(Subquery(people, output_field=IntegerField()), 0)


def _employers(user, area):
    from bangfu.employers.models import Employer
    from bangfu.employment.models import EmploymentRecord

    return (
        Employer.objects.for_user(user)
        .for_area(area)
        .annotate(hired=_hires(), in_work=_hires(EmploymentRecord.receiving_now()))
    )


def _employer_counts(employers):
    from bangfu.employment.models import EmploymentRecord

    figures = employers.order_by().aggregate(
        total=Count("pk"), workshops=Count("pk", filter=Q(kind__in=("扶贫车间", "就业帮扶车间")))
    )
    # The sums of the rows' two columns: (employer, person) pairs, all and in force today.
    hires = EmploymentRecord.objects.filter(employer__in=employers.order_by().values("pk"))
    pairs = hires.order_by().values("employer", "person").distinct()
    return [
        ("用人单位", figures["total"]),
        ("其中扶贫车间、就业帮扶车间", figures["workshops"]),
        ("累计吸纳贫困劳动力", pairs.count()),
        ("当前在岗", pairs.filter(EmploymentRecord.receiving_now()).count()),
    ]


def employers_ledger() -> Ledger:
    from bangfu.employers.filters import EmployerFilter

    return Ledger(
        key="employers",
        title="企业台账",
        noun="家",
        description="吸纳贫困劳动力就业的用人单位（在本区域登记），及其吸纳人数：累计与当前在岗（按就业记录）。",
        records=_employers,
        filterset=EmployerFilter,
        columns=(
            Column("name", "单位名称", "name", text),
            Column("credit_code", "统一社会信用代码", "credit_code", text),
            Column("kind", "类型", "kind", text),
            Column("area", "所在地", "area__full_name", text, compact=True),
            Column("address", "地址", "address", text, compact=True),
            Column("industry", "行业", "industry", text, compact=True),
            Column("contact_name", "联系人", "contact_name", text, compact=True),
            Column("contact_phone", "联系电话", "contact_phone", phone, compact=True),
            Column("hired", "累计吸纳贫困劳动力(人)", "hired", number=True),
            Column("in_work", "当前在岗(人)", "in_work", number=True),
            Column("active", "有效", "is_active", yes_no, compact=True),
        ),
        order=("area_id", "name", "id"),
        counts=_employer_counts,
        placeholders={"q": "单位名称或统一社会信用代码", "area": "如 433124"},
    )


# 招聘会台账 ----------------------------------------------------------------------------------------


def _fairs(user, area):
    from bangfu.fairs.models import JobFair
    from bangfu.fairs.outcomes import outcome_annotations

    return (
        JobFair.objects.for_user(user)
        .for_area(area)
        .annotate(
            n_employers=Count("employers", distinct=True),
            n_jobs=Count("jobs", distinct=True),
            **outcome_annotations(),
        )
    )


def _fair_counts(fairs):
    # The sums of the rows' outcome columns, as the rows define them (a county holds some dozens of fairs).
    from bangfu.fairs.models import JobFair
    from bangfu.fairs.outcomes import outcome_annotations

    outcomes = (
        JobFair.objects.filter(pk__in=fairs.order_by().values("pk"))
        .annotate(**outcome_annotations())
        .values_list("invited", "attended", "hired")
    )
    invited = attended = hired = total = 0
    for fair_invited, fair_attended, fair_hired in outcomes:
        total += 1
        invited, attended, hired = invited + fair_invited, attended + fair_attended, hired + fair_hired
    return [("招聘会", total), ("邀请人数", invited), ("到场人数", attended), ("录用人数", hired)]


def fairs_ledger() -> Ledger:
    from bangfu.fairs.filters import FairFilter
    from bangfu.fairs.models import FairKind, FairStatus

    return Ledger(
        key="fairs",
        title="招聘会台账",
        noun="场",
        description="本区域举办的招聘会（专场招聘会、送岗下乡、招聘大篷车、线上招聘会）及其成效。",
        records=_fairs,
        filterset=FairFilter,
        columns=(
            Column("title", "名称", "title", text),
            Column("kind", "类型", "kind", _label(FairKind.choices)),
            Column("area", "举办地", "area__full_name", text, compact=True),
            Column("venue", "地点", "venue", text, compact=True),
            Column("starts_at", "开始时间", "starts_at", _local_time),
            Column("ends_at", "结束时间", "ends_at", _local_time, compact=True),
            Column("status", "状态", "status", _label(FairStatus.choices)),
            Column("employers", "参会单位数", "n_employers", number=True, compact=True),
            Column("jobs", "岗位数", "n_jobs", number=True, compact=True),
            Column("invited", "邀请人数", "invited", number=True),
            Column("attended", "到场人数", "attended", number=True),
            Column("referred", "现场推荐人数", "referred", number=True, compact=True),
            Column("interviewed", "面试人数", "interviewed", number=True, compact=True),
            Column("hired", "录用人数", "hired", number=True),
        ),
        order=("-starts_at", "-id"),
        counts=_fair_counts,
        placeholders={"q": "招聘会名称", "area": "如 433124"},
    )


def register_standard() -> None:
    for make in (laborers_ledger, employment_ledger, employers_ledger, fairs_ledger):
        register(make())
