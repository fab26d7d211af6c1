"""Reference data of the jobs app: the occupational classification and the default suitability rule.

Both are loaded after every `migrate` (and after the test database is flushed) by `apps.JobsConfig`, and
the loads are idempotent. Rules are data: the default rule is only created when there is none at all;
staff add regional rules with their own effective dates.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from django.db import transaction

from bangfu.jobs.occupations import read_rows

DEFAULT_RULE = {
    "effective_from": dt.date(2021, 1, 1),
    "max_education": "初中",
    # 批发零售销售, 交通运输仓储邮政, 住宿餐饮, 物业, 保安, 环境卫生与绿化, 居民服务, 农林牧渔, 生产制造, 其他
    "occupation_groups": ["4-01-02", "4-02", "4-03", "4-06", "4-07-05", "4-09", "4-10", "5", "6", "8"],
    "max_skills_chars": 30,
    "demanding_words": ["证", "资格", "经验", "熟练", "精通", "熟悉", "本科", "大专", "英语", "执照"],
    "easy_words": [
        "无经验",
        "无需经验",
        "经验不限",
        "可培训",
        "带薪培训",
        "包教",
        "有培训",
        "不限",
        "无要求",
    ],
    "note": "默认规则：学历要求不高于初中、技能要求简单、职业属于生产制造和一般服务类。",
}


@cache
def _rows():
    return read_rows()


def load_occupations() -> int:
    """Insert the classification unless it is already complete; returns the number of rows inserted."""
    from bangfu.jobs.models import Occupation

    rows = _rows()
    if Occupation.objects.count() >= len(rows):
        return 0
    existing = set(Occupation.objects.values_list("code", flat=True))
    new = [
        Occupation(code=r.code, name=r.name, level=r.level, parent_id=r.parent_code or None)
        for r in rows
        if r.code not in existing
    ]
    with transaction.atomic():
        # Parents come before children in the file; batch order keeps the foreign keys valid.
        Occupation.objects.bulk_create(new, batch_size=1000)
    return len(new)


def ensure_default_rule() -> None:
    from bangfu.jobs.models import SuitabilityRule

    if not SuitabilityRule.objects.exists():
        SuitabilityRule.objects.create(region_prefix="", **DEFAULT_RULE)


def load_reference_data(**kwargs) -> None:
    load_occupations()
    ensure_default_rule()
