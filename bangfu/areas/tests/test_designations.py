"""Area designations (认定): dated listings, the level each kind is given to, a 脱贫村 ending its village's
贫困村 the day it exits, no overlaps, nothing overwritten silently (audited, voided not deleted), and the
query API other apps use (areas/designations.py)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.areas import designations
from bangfu.areas.actions import (
    Listing,
    add_designation,
    change_designation,
    end_designation,
    void_designation,
)
from bangfu.areas.models import Designation
from bangfu.audit.models import AuditEvent
from bangfu.conftest import area

VILLAGE_A2 = "433124102202"
D = dt.date


@pytest.fixture
def county_a(users):
    return users["county_a"]


def test_kinds_are_named_in_chinese_and_by_slug():
    assert designations.KINDS["key_county"] == "国家乡村振兴重点帮扶县"
    assert designations.KINDS["exited_village"] == "脱贫村"
    assert designations.kind_of("重点帮扶县") == designations.kind_of("key_county") == "key_county"
    with pytest.raises(ValueError, match="没有这种认定类别"):
        designations.kind_of("示范村")


def test_a_poor_village_becomes_an_exited_village_on_the_day_it_exits(county_a, areas):
    village = areas["village_a"]
    poor = add_designation(
        county_a, Listing(village, "poor_village", D(2014, 5, 1), basis="湘扶办〔2014〕1号")
    )
    exited = add_designation(county_a, Listing(village, "exited_village", D(2019, 12, 20)))
    poor.refresh_from_db()
    assert poor.ends_on == D(2019, 12, 20) and exited.ends_on is None
    assert designations.codes_on("贫困村", D(2019, 12, 19)) == {village.code}
    assert designations.codes_on("poor_village", D(2019, 12, 20)) == set()
    assert designations.codes_on("脱贫村", D(2019, 12, 20)) == {village.code}
    assert designations.codes_on("脱贫村", D(2019, 12, 19)) == set()
    assert [d.kind for d in designations.designations_on(village, D(2025, 1, 1))] == ["exited_village"]
    assert designations.designations_on(village, D(2014, 4, 30)) == []
    # Both writes audited, the 贫困村's end with what it was before.
    ended = AuditEvent.objects.filter(
        object_type="areas.designation", object_id=str(poor.pk), action="update"
    )
    assert ended.get().before["ends_on"] is None and ended.get().after["ends_on"] == "2019-12-20"


def test_a_poor_village_entered_after_its_exit_ends_where_the_exit_starts(county_a, areas):
    village = areas["village_a"]
    add_designation(county_a, Listing(village, "exited_village", D(2019, 12, 20)))
    poor = add_designation(county_a, Listing(village, "poor_village", D(2014, 5, 1)))
    assert poor.ends_on == D(2019, 12, 20)


def test_each_kind_goes_to_its_level_of_area(county_a, areas, users):
    with pytest.raises(ValidationError, match="贫困村只能认定给村级区域"):
        add_designation(county_a, Listing(areas["township_a"], "poor_village", D(2014, 1, 1)))
    with pytest.raises(ValidationError, match="只能认定给县级区域"):
        add_designation(users["province"], Listing(areas["village_a"], "key_county", D(2021, 8, 1)))
    add_designation(users["province"], Listing(areas["county_a"], "key_county", D(2021, 8, 1)))
    add_designation(county_a, Listing(areas["village_a"], "relocation_site", D(2018, 1, 1)))
    assert Designation.objects.count() == 2


def test_periods_of_one_kind_never_overlap(county_a, areas):
    village = areas["village_a"]
    add_designation(county_a, Listing(village, "relocation_site", D(2018, 1, 1), D(2020, 1, 1)))
    with pytest.raises(ValidationError, match="时间重叠"):
        add_designation(county_a, Listing(village, "relocation_site", D(2019, 6, 1)))
    later = add_designation(county_a, Listing(village, "relocation_site", D(2020, 1, 1)))  # the next day on
    assert later.pk
    with pytest.raises(ValidationError, match="应晚于起始日期"):
        add_designation(county_a, Listing(village, "poor_village", D(2014, 1, 1), D(2014, 1, 1)))


def test_only_the_levels_above_may_list_an_area(users, areas):
    with pytest.raises(PermissionDenied):  # a county does not list itself
        add_designation(users["county_a"], Listing(areas["county_a"], "key_county", D(2021, 8, 1)))
    with pytest.raises(PermissionDenied):  # nor another county's villages
        add_designation(users["county_b"], Listing(areas["village_a"], "poor_village", D(2014, 1, 1)))
    with pytest.raises(PermissionDenied):  # a village officer lists nothing
        add_designation(users["village_a"], Listing(areas["village_a"], "poor_village", D(2014, 1, 1)))
    assert not Designation.objects.exists()


def test_changes_keep_what_was_before_and_voiding_keeps_the_row(county_a, areas):
    village = areas["village_a"]
    site = add_designation(county_a, Listing(village, "relocation_site", D(2018, 1, 1)))
    with pytest.raises(ValidationError, match="修改原因"):
        change_designation(county_a, site, starts_on=D(2018, 3, 1), ends_on=None, basis="", reason=" ")
    change_designation(
        county_a, site, starts_on=D(2018, 3, 1), ends_on=None, basis="新文号", reason="核对原文件"
    )
    end_designation(county_a, site, D(2024, 1, 1))
    events = AuditEvent.objects.filter(object_type="areas.designation", object_id=str(site.pk)).order_by(
        "at", "id"
    )
    assert [(e.before or {}).get("starts_on") for e in events] == [None, "2018-01-01", "2018-03-01"]
    assert "核对原文件" in events[1].message
    assert designations.codes_on("relocation_site", D(2023, 12, 31)) == {village.code}
    assert designations.codes_on("relocation_site", D(2024, 1, 1)) == set()
    void_designation(county_a, site, "录入错误")
    assert Designation.objects.filter(pk=site.pk).exists()
    assert designations.codes_on("relocation_site", D(2023, 12, 31)) == set()
    with pytest.raises(ValidationError, match="已作废"):
        change_designation(county_a, site, starts_on=D(2018, 3, 1), ends_on=None, basis="", reason="再改")
    # Voided, the same listing may be entered again.
    add_designation(county_a, Listing(village, "relocation_site", D(2018, 3, 1)))


def test_codes_on_within_an_area_and_covering_kinds(users, areas):
    add_designation(users["province"], Listing(areas["county_a"], "key_county", D(2021, 8, 1)))
    add_designation(users["county_a"], Listing(areas["village_a"], "exited_village", D(2019, 12, 20)))
    add_designation(users["county_b"], Listing(area("433123109225"), "exited_village", D(2018, 12, 1)))
    day = D(2025, 1, 1)
    assert designations.codes_on("exited_village", day) == {areas["village_a"].code, "433123109225"}
    assert designations.codes_on("exited_village", day, within=areas["county_a"]) == {areas["village_a"].code}
    assert designations.codes_on("key_county", day, within=areas["village_a"]) == set()  # the subtree only
    assert designations.kinds_covering(VILLAGE_A2, day) == {"key_county"}
    assert designations.kinds_covering(areas["village_a"].code, day) == {"key_county", "exited_village"}
    assert designations.kinds_covering("433123109225", day) == {"exited_village"}
    assert designations.kinds_covering(VILLAGE_A2, D(2021, 7, 31)) == set()


def test_the_demo_lists_villages_and_counties_once(db, areas):
    from bangfu.areas.demo import build_designations_demo

    made = build_designations_demo(("433124",))
    assert made > 3 and build_designations_demo(("433124",)) == 0
    today = dt.date(2026, 1, 1)
    exited = designations.codes_on("脱贫村", today, within=areas["county_a"])
    assert exited and designations.codes_on("贫困村", today) == set()
    assert designations.codes_on("贫困村", D(2015, 1, 1)) == exited  # each was poor before its exit
    assert designations.codes_on("重点帮扶县", today) == {areas["county_a"].code}
    assert designations.codes_on("深度贫困县", D(2019, 1, 1)) == {areas["county_a"].code}
    assert designations.codes_on("深度贫困县", D(2021, 1, 1)) == set()
