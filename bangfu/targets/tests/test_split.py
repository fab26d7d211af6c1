"""Setting and splitting targets by hand (targets/actions.py): an area only for itself and its subtree; a
split whose children add up to less than the parent is refused, naming the shortfall; months checked; every
write audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.audit.models import AuditEvent
from bangfu.targets import actions
from bangfu.targets.actions import SplitPart
from bangfu.targets.models import Target


def test_a_split_short_of_the_parent_is_refused_and_one_that_covers_it_is_saved(users, townships, employed):
    county = actions.set_target(
        users["county_a"], users["county_a"].area, year=2026, figure=employed, value=100
    )
    t1, t2, t3 = townships[:3]
    with pytest.raises(ValidationError) as short:
        actions.split_target(
            users["county_a"], county, [SplitPart(t1, 50), SplitPart(t2, 30), SplitPart(t3, 10)]
        )
    assert short.value.messages == [
        "2026年花垣县“务工人数”目标为 100，下级目标合计 90，还差 10，分解不能少于上级目标"
    ]
    assert not Target.objects.filter(area__parent=county.area).exists()

    actions.split_target(users["county_a"], county, [SplitPart(t1, 50), SplitPart(t2, 40), SplitPart(t3, 15)])
    assert dict(Target.objects.filter(area__parent=county.area).values_list("area_id", "value")) == {
        t1.code: 50, t2.code: 40, t3.code: 15,
    }  # fmt: skip
    status = actions.split_status([county])[county.pk]
    assert status.total == 105 and status.count == 3 and status.shortfall(county.value) == 0
    assert AuditEvent.objects.filter(message__startswith="分解目标：2026年 花垣县").count() == 1

    # Lowering one child below the parent's target afterwards is refused the same way.
    with pytest.raises(ValidationError, match="还差 5"):
        actions.set_target(users["county_a"], t1, year=2026, figure=employed, value=40)
    assert Target.objects.get(area=t1).value == 50
    # Raising the parent is the level above's decision: allowed, and the split shows the shortfall.
    county = actions.set_target(users["city"], county.area, year=2026, figure=employed, value=120)
    assert actions.split_status([county])[county.pk].shortfall(county.value) == 15


def test_an_area_sets_targets_only_within_its_subtree(users, areas, townships, employed):
    with pytest.raises(PermissionDenied):
        actions.set_target(users["county_b"], townships[0], year=2026, figure=employed, value=5)
    with pytest.raises(PermissionDenied):
        actions.set_target(users["township_a"], users["county_a"].area, year=2026, figure=employed, value=5)
    parent = actions.set_target(
        users["county_a"], users["county_a"].area, year=2026, figure=employed, value=5
    )
    with pytest.raises(PermissionDenied):
        actions.split_target(users["county_b"], parent, [SplitPart(townships[0], 5)])
    with pytest.raises(ValidationError, match="不是花垣县的下级区域"):
        actions.split_target(users["county_a"], parent, [SplitPart(areas["village_a"], 5)])
    assert Target.objects.count() == 1


def test_months_are_checked_on_every_write(users, employed):
    with pytest.raises(ValidationError, match="12月：12月累计目标应等于年度目标 100"):
        actions.set_target(
            users["county_a"], users["county_a"].area, year=2026, figure=employed, value=100,
            monthly=[10, 20] + [None] * 9 + [90],
        )  # fmt: skip


def test_the_split_page_sums_and_refuses_a_shortfall(users, townships, employed, client_for):
    county = actions.set_target(
        users["county_a"], users["county_a"].area, year=2026, figure=employed, value=30
    )
    client = client_for(users["county_a"])
    url = reverse("targets:split", args=[county.pk])
    page = client.get(url).content.decode()
    assert 'id="split-sum" data-parent="30"' in page and townships[0].name in page
    data = {f"c_{t.code}": 1 for t in townships}
    response = client.post(url, data)
    assert response.status_code == 200 and "还差" in response.content.decode()
    data[f"c_{townships[0].code}"] = 30
    response = client.post(url, data)
    assert response.status_code == 302
    assert Target.objects.filter(area__parent=county.area).count() == len(townships)


def test_the_set_form_saves_a_target_with_months(users, employed, client_for):
    client = client_for(users["county_a"])
    data = {"area": "433124000000", "year": 2026, "figure": employed, "value": 120, "m6": 60, "m12": 120}
    response = client.post(reverse("targets:set"), data)
    assert response.status_code == 302
    target = Target.objects.get()
    assert target.value == 120 and target.months[5] == 60 and target.set_by == users["county_a"]
    data["m7"] = 50
    response = client.post(reverse("targets:set"), data)
    assert "月度目标为累计数，不能小于6月的 60" in response.content.decode()
