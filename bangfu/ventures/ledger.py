"""自主创业台账: one row per venture (the founder, what and when, jobs created, the guarantee loan and the
incubator), from the ledger definition of bangfu/ledgers/base.py (its page, API and export)."""

from __future__ import annotations

from django.db.models import Count, Q, Sum

from bangfu.ledgers.base import Column, Ledger, area_of, id_number, text


def _ventures(user, area):
    from bangfu.ventures.models import Venture

    return Venture.objects.for_user(user).for_area(area)


def _counts(ventures):
    figures = ventures.order_by().aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(closed_on__isnull=True)),
        people=Count("person", distinct=True),
        jobs=Sum("jobs"),
        employers=Count("employer", distinct=True),
    )
    return [
        ("创业实体", figures["total"]),
        ("创业人数", figures["people"]),
        ("正常经营", figures["open"]),
        ("带动就业人数", figures["jobs"] or 0),
        ("已入企业台账", figures["employers"]),
    ]


def _status(value, ctx) -> str:
    return "正常经营" if value is None else f"{value} 停业"


def ledger() -> Ledger:
    from bangfu.ventures.filters import VentureFilter

    return Ledger(
        key="ventures",
        title="自主创业台账",
        noun="户",
        description="创业人员及其经营实体，每个实体一行：创业人、类型、行业、创业日期、带动就业人数、经营状态。",
        records=_ventures,
        filterset=VentureFilter,
        columns=(
            Column("county", "县(市、区)", "area_id", area_of(3), compact=True),
            Column("township", "乡(镇、街道)", "area_id", area_of(4)),
            Column("village", "行政村", "area_id", area_of(5)),
            Column("name", "创业人", "person__name", text),
            Column("id_number", "证件号码", "person__id_number", id_number),
            Column("venture", "经营实体名称", "name", text),
            Column("kind", "类型", "kind", text, compact=True),
            Column("industry", "行业", "industry", text, compact=True),
            Column("credit_code", "统一社会信用代码", "credit_code", text, compact=True),
            Column("started_on", "创业日期", "started_on", text),
            Column("jobs", "带动就业人数", "jobs", text),
            Column("status", "经营状态", "closed_on", _status, compact=True),
        ),
        order=("area_id", "started_on", "id"),
        counts=_counts,
        placeholders={"q": "创业人姓名、首字母或证件号后几位", "area": "如 433124102"},
    )
