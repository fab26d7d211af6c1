"""A monthly round (调度) freezes the child areas' figures and progress as of the month's last day, ranks
them, publishes the bulletin (通报: xlsx and PDF) and sends a notice (通知) to each child area; a published
round never changes, whatever is edited later; rounds compare month to month."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.dispatch.actions import publish_round
from bangfu.dispatch.models import DispatchRound
from bangfu.dispatch.tasks import due_areas, publish_due
from bangfu.dispatch.tests.conftest import employ
from bangfu.notices.models import Notification
from bangfu.targets import actions as target_actions
from bangfu.targets.models import Target

APRIL_5 = dt.date(2026, 4, 5)


def _table(client, round_):
    html = client.get(reverse("dispatch:round_detail", args=[round_.pk])).content.decode()
    start = html.index('id="bulletin-table"')
    return html[start : html.index("</table>", start)]


def test_a_round_freezes_ranks_and_tells_each_child_area(
    users, world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        round_ = publish_round(users["county_a"], world["county"], year=2026, month=3, today=APRIL_5)
    key = world["key"]
    entries = {e.area_id: e for e in round_.entries.all()}
    longtan, other = entries[world["longtan"].code], entries[world["other"].code]
    assert round_.as_of == dt.date(2026, 3, 31) and round_.rank_figure == key
    assert (longtan.values[key], longtan.targets[key], longtan.scheduled[key], longtan.rates[key]) == (
        2,
        6,
        2,
        "33.3",
    )
    assert (other.values[key], other.targets[key], other.rates[key]) == (1, 4, "25.0")
    assert other.scheduled == {}  # no month given before December: no schedule to be behind
    assert (longtan.rank, other.rank) == (1, 2)
    total = entries[world["county"].code]
    assert (
        total.is_total and total.values[key] == 3 and total.rates[key] == "30.0" and total.scheduled[key] == 3
    )
    unranked = [
        e for e in entries.values() if not e.is_total and e.area_id not in (longtan.area_id, other.area_id)
    ]
    assert unranked and all(e.rank is None for e in unranked)

    assert round_.xlsx.read()[:2] == b"PK"
    pdf = round_.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF") and b"STSong-Light" in pdf
    assert hashlib.sha256(pdf).hexdigest() == round_.pdf_sha256

    notice = Notification.objects.get(recipient=users["township_a"])
    assert notice.title == "花垣县2026年3月就业帮扶工作调度通报已发布"
    assert "务工人数 2，完成率 33.3%，排名第 1 名" in notice.body
    assert notice.link == reverse("dispatch:round_detail", args=[round_.pk])
    # The township reads the bulletin it was sent; county B does not.
    assert client_for(users["township_a"]).get(notice.link).status_code == 200
    assert client_for(users["county_b"]).get(notice.link).status_code == 404


def test_a_published_round_never_changes_whatever_is_edited_later(users, world, client_for):
    round_ = publish_round(users["county_a"], world["county"], year=2026, month=3, today=APRIL_5)
    client = client_for(users["county_a"])
    xlsx, pdf = round_.xlsx.open("rb").read(), round_.pdf.open("rb").read()
    table = _table(client, round_)
    api = client.get(reverse("dispatch-round-detail", args=[round_.pk])).json()
    assert "33.3%" in table

    # Later edits: a record back-dated into March, a record ended in March, new targets and a new split.
    from bangfu.dispatch.tests.conftest import village_of
    from bangfu.referrals.tests.factories import make_person

    employ(make_person("补录", village_of(world["other"]).code), "2026-02-01")
    record = world["people"][0].employments.get()
    record.ended_on = dt.date(2026, 3, 15)
    record.save()
    county = Target.objects.get(area=world["county"])
    target_actions.set_target(users["city"], world["county"], year=2026, figure=world["key"], value=20)
    target_actions.split_target(
        users["county_a"],
        county,
        [target_actions.SplitPart(world["longtan"], 12), target_actions.SplitPart(world["other"], 8)],
    )

    round_ = DispatchRound.objects.get(pk=round_.pk)
    assert round_.xlsx.open("rb").read() == xlsx and round_.pdf.open("rb").read() == pdf
    assert _table(client, round_) == table
    assert client.get(reverse("dispatch-round-detail", args=[round_.pk])).json() == api
    assert client.get(reverse("dispatch:round_file", args=[round_.pk, "pdf"])).getvalue() == pdf

    # The next round sees the edits, and compares with this one.
    april = publish_round(users["county_a"], world["county"], year=2026, month=4, today=dt.date(2026, 5, 6))
    assert april.previous == round_
    entries = {e.area_id: e for e in april.entries.all()}
    longtan, other = entries[world["longtan"].code], entries[world["other"].code]
    # 龙潭镇: 龙甲 ended in March, 龙丁 started in April → 2, target 12; the other: 2, target 8
    assert (longtan.values[world["key"]], longtan.rates[world["key"]], longtan.changes[world["key"]]) == (
        2,
        "16.7",
        0,
    )
    assert (other.values[world["key"]], other.rates[world["key"]], other.changes[world["key"]]) == (
        2,
        "25.0",
        1,
    )
    assert (longtan.rank, longtan.previous_rank, longtan.rank_move) == (2, 1, -1)
    assert (other.rank, other.previous_rank, other.rank_move) == (1, 2, 1)
    assert "排名变化" in _table(client, april)


def test_a_round_is_refused_twice_for_a_month_before_its_end_and_outside_the_subtree(users, world):
    publish_round(users["county_a"], world["county"], year=2026, month=3, today=APRIL_5)
    with pytest.raises(ValidationError, match="已发布"):
        publish_round(users["county_a"], world["county"], year=2026, month=3, today=APRIL_5)
    with pytest.raises(ValidationError, match="尚未结束"):
        publish_round(users["county_a"], world["county"], year=2026, month=4, today=dt.date(2026, 4, 30))
    with pytest.raises(PermissionDenied):
        publish_round(users["county_b"], world["county"], year=2026, month=2, today=APRIL_5)
    assert DispatchRound.objects.count() == 1


def test_the_daily_task_publishes_on_the_rules_day_only(users, world):
    assert world["county"] not in due_areas(dt.date(2026, 4, 4))
    assert world["county"] in due_areas(APRIL_5)
    published = publish_due(APRIL_5)
    assert any(r.area == world["county"] and (r.year, r.month) == (2026, 3) for r in published)
    assert all(r.published_by is None for r in published)
    assert world["county"] not in due_areas(APRIL_5)  # published: not again


def test_the_pages_start_a_round_and_list_it(users, world, client_for):
    client = client_for(users["county_a"])
    response = client.post(reverse("dispatch:round_start"), {"year": 2026, "month": 3})
    round_ = DispatchRound.objects.get()
    assert response.status_code == 302 and response.url == reverse("dispatch:round_detail", args=[round_.pk])
    assert round_.title in client.get(reverse("dispatch:round_list")).content.decode()
    assert (
        round_.title in client_for(users["township_a"]).get(reverse("dispatch:round_list")).content.decode()
    )
    assert (
        round_.title not in client_for(users["county_b"]).get(reverse("dispatch:round_list")).content.decode()
    )
    response = client.post(reverse("dispatch:round_start"), {"year": 2026, "month": 3})
    assert response.status_code == 302 and DispatchRound.objects.count() == 1
