"""The targets page and the 工作台's panel: figures against targets, completion, the month's schedule and
how far behind it, the rank among siblings — computed when shown, so an edited record shows at once."""

from django.urls import reverse
from django.utils import timezone

from bangfu.dispatch.tests.conftest import employ
from bangfu.targets import actions


def test_the_page_and_the_panel_show_progress_computed_from_the_records(
    users, townships, employed, client_for
):
    from bangfu.referrals.tests.factories import make_person

    year = timezone.localdate().year
    longtan = next(t for t in townships if t.code == "433124102000")
    village = longtan.children.order_by("code").first()
    people = [make_person(f"龙{n}", village.code) for n in "甲乙"]
    employ(people[0], f"{year}-01-10")
    county = actions.set_target(
        users["county_a"], users["county_a"].area, year=year, figure=employed, value=4, monthly=[1] * 11 + [4]
    )
    actions.split_target(users["county_a"], county, [actions.SplitPart(longtan, 4, (2,) * 11 + (4,))])
    due = 2 if timezone.localdate().month < 12 else 4  # 龙潭镇's cumulative target of this month

    page = client_for(users["county_a"]).get(reverse("targets:index")).content.decode()
    assert "本区域目标 4，下级合计 4" in page and "龙潭镇" in page and "25.0%" in page
    assert f"落后 {due - 1}" in page  # 龙潭镇: 1 at work
    panel = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    assert f"{year}年目标完成情况" in panel and "25.0%" in panel

    employ(people[1], f"{year}-02-01")  # one more at work: shown at once, nothing stored to refresh
    page = client_for(users["county_a"]).get(reverse("targets:index")).content.decode()
    assert "50.0%" in page
    assert (f"落后 {due - 2}" in page) if due > 2 else ("落后" not in page)
    township = client_for(users["township_a"]).get(reverse("dashboard:home")).content.decode()
    assert "50.0%" in township  # 龙潭镇's own target, ranked first among 花垣县's townships
