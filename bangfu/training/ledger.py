"""就业培训台账: one row per trainee on a course (the course, its provider and kind, the trainee, attendance,
result, certificate), from the ledger definition of bangfu/ledgers/base.py (its page, API and export)."""

from __future__ import annotations

from django.db.models import Count, Q

from bangfu.ledgers.base import Column, Ledger, area_of, id_number, text


def _enrolments(user, area):
    from bangfu.training.models import Enrolment

    return Enrolment.objects.for_user(user).for_area(area)


def _counts(enrolments):
    figures = enrolments.order_by().aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(status="结业")),
        certified=Count("pk", filter=~Q(certificate_kind="")),
        people=Count("person", distinct=True),
        courses=Count("course", distinct=True),
    )
    return [
        ("学员记录", figures["total"]),
        ("涉及人员", figures["people"]),
        ("培训班", figures["courses"]),
        ("结业", figures["completed"]),
        ("取得证书", figures["certified"]),
    ]


def ledger() -> Ledger:
    from bangfu.training.filters import EnrolmentFilter

    return Ledger(
        key="training",
        title="就业培训台账",
        noun="条",
        description="培训学员，每人每个培训班一行：培训班、培训机构、培训类型、学员、出勤、结业和证书。",
        records=_enrolments,
        filterset=EnrolmentFilter,
        columns=(
            Column("county", "县(市、区)", "area_id", area_of(3), compact=True),
            Column("township", "乡(镇、街道)", "area_id", area_of(4)),
            Column("village", "行政村", "area_id", area_of(5)),
            Column("name", "姓名", "person__name", text),
            Column("id_number", "证件号码", "person__id_number", id_number),
            Column("course_number", "班级编号", "course__number", text),
            Column("course_title", "班级名称", "course__title", text),
            Column("course_kind", "培训类型", "course__kind", text, compact=True),
            Column("provider", "培训机构", "course__provider__name", text, compact=True),
            Column("occupation", "职业（工种）", "course__occupation__name", text, compact=True),
            Column("starts_on", "开班日期", "course__starts_on", text),
            Column("days", "培训天数", "course__days", text, compact=True),
            Column("days_attended", "出勤天数", "days_attended", text),
            Column("status", "状态", "status", text),
            Column("completed_on", "结业日期", "completed_on", text),
            Column("certificate_kind", "证书类型", "certificate_kind", text, compact=True),
            Column("certificate_number", "证书编号", "certificate_number", text, compact=True),
        ),
        order=("area_id", "course__number", "id"),
        counts=_counts,
        placeholders={"q": "姓名、首字母或证件号后几位", "area": "如 433124102"},
    )
