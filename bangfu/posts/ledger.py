"""公益性岗位台账: one row per holder's spell on a post (the post, its area and host unit, the holder and
the days held), from the ledger definition of bangfu/ledgers/base.py (its page, API and export)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from bangfu.ledgers.base import Column, Ledger, area_of, id_number, text


def _spells(user, area):
    from bangfu.posts.models import Spell

    return Spell.objects.for_user(user).for_area(area)


def _counts(spells):
    today = timezone.localdate()
    figures = spells.order_by().aggregate(
        total=Count("pk"),
        holding=Count(
            "pk", filter=Q(started_on__lte=today) & (Q(ended_on__isnull=True) | Q(ended_on__gte=today))
        ),
        posts=Count("post", distinct=True),
        people=Count("person", distinct=True),
    )
    return [
        ("在岗记录", figures["total"]),
        ("涉及岗位", figures["posts"]),
        ("涉及人员", figures["people"]),
        ("目前在岗", figures["holding"]),
    ]


def _status(value, ctx) -> str:
    return "在岗" if value is None else "已离岗"


def ledger() -> Ledger:
    from bangfu.posts.filters import SpellFilter

    return Ledger(
        key="welfare-posts",
        title="公益性岗位台账",
        noun="条",
        description="公益性岗位的在岗人员，每段在岗经历一行：岗位、所在村（乡镇）、用工单位、在岗人员和上岗、离岗日期。",
        records=_spells,
        filterset=SpellFilter,
        columns=(
            Column("county", "县(市、区)", "area_id", area_of(3), compact=True),
            Column("township", "乡(镇、街道)", "area_id", area_of(4)),
            Column("village", "行政村", "area_id", area_of(5)),
            Column("post_number", "岗位编号", "post__number", text),
            Column("post_kind", "岗位类型", "post__kind", text, compact=True),
            Column("post_title", "岗位名称", "post__title", text),
            Column("host_unit", "用工（管理）单位", "post__host_unit", text, compact=True),
            Column("name", "姓名", "person__name", text),
            Column("id_number", "证件号码", "person__id_number", id_number),
            Column("started_on", "上岗日期", "started_on", text),
            Column("ended_on", "离岗日期", "ended_on", text),
            Column("status", "状态", "ended_on", _status, compact=True),
        ),
        order=("area_id", "post__number", "started_on", "id"),
        counts=_counts,
        placeholders={"q": "姓名、首字母或证件号后几位", "area": "如 433124102"},
    )
