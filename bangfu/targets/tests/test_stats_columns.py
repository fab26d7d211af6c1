"""`bangfu stats` (EXCHANGE §8) gains `<figure>目标` and `<figure>完成率` where a target exists for the day's
year: the target of each row's area, and the row's figure ÷ it as a percentage with one decimal."""

import csv
import io

from django.core.management import call_command

from bangfu.dispatch.tests.conftest import employ
from bangfu.targets import actions


def _table(path):
    with open(path, encoding="utf-8-sig") as fh:
        return {row["区划名称"]: row for row in csv.DictReader(fh)}


def test_stats_adds_target_and_completion_columns_for_the_years_targets(users, townships, employed, tmp_path):
    from bangfu.referrals.tests.factories import make_person

    longtan = next(t for t in townships if t.code == "433124102000")
    village = longtan.children.order_by("code").first()
    for name in ("甲", "乙", "丙"):
        employ(make_person(f"龙{name}", village.code), "2026-01-10")
    county = actions.set_target(
        users["county_a"], users["county_a"].area, year=2026, figure=employed, value=8
    )
    actions.split_target(users["county_a"], county, [actions.SplitPart(longtan, 8)])
    actions.set_target(users["county_a"], users["county_a"].area, year=2025, figure="laborers", value=5)

    out = tmp_path / "stats.csv"
    call_command("stats", "--area", "433124", "--date", "2026-06-30", "--out", str(out), stdout=io.StringIO())
    rows = _table(out)
    assert rows["龙潭镇"]["务工人数"] == "3"
    assert rows["龙潭镇"]["务工人数目标"] == "8" and rows["龙潭镇"]["务工人数完成率"] == "37.5%"
    assert rows["合计"]["务工人数目标"] == "8" and rows["合计"]["务工人数完成率"] == "37.5%"
    other = next(name for name in rows if name not in ("龙潭镇", "合计"))
    assert rows[other]["务工人数目标"] == "" and rows[other]["务工人数完成率"] == ""
    assert "劳动力人数目标" not in rows["合计"]  # 2025's target is not 2026's

    call_command("stats", "--area", "433124", "--date", "2025-06-30", "--out", str(out), stdout=io.StringIO())
    assert "务工人数目标" not in _table(out)["合计"] and "劳动力人数目标" in _table(out)["合计"]
