"""Employment-record pages: list with filters in the user's area, record and end a spell of work."""

import datetime as dt

from django.urls import reverse

from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Change


def _record(person, **fields):
    values = {
        "employer_name": "某单位",
        "place": "县内",
        "channel": "灵活就业",
        "started_on": dt.date(2026, 1, 1),
    }
    values.update(fields)
    return EmploymentRecord.objects.create(person=person, area_id=person.area_id, **values)


def test_list_filters_and_scope(world, users, client_for):
    _record(world["long"], place="省外", channel="自主外出")
    _record(world["shi"], ended_on=dt.date(2026, 5, 1))
    _record(world["tian"])
    client = client_for(users["county_a"])

    def names(**params):
        return {r.person.name for r in client.get(reverse("employment:list"), params).context["object_list"]}

    assert names() == {"龙春生", "石秀英"}
    assert names(place="省外") == {"龙春生"}
    assert names(channel="灵活就业") == {"石秀英"}
    assert names(current="1") == {"龙春生"} and names(current="0") == {"石秀英"}
    assert "龙春生" not in client_for(users["county_b"]).get(reverse("employment:list")).content.decode()


def test_create_and_end_record_update_status(world, users, client_for):
    client = client_for(users["county_a"])
    person = world["long"]
    response = client.post(
        reverse("employment:create", args=[person.pk]),
        {"employer": world["workshop"].pk, "place": "县内", "channel": "扶贫车间", "started_on": "2026-02-01",
         "monthly_wage": "2800"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    record = EmploymentRecord.objects.get(person=person)
    assert record.employer_name == "花垣苗绣扶贫车间" and record.created_by == users["county_a"]
    person.refresh_from_db()
    assert person.employment_status == "县内务工"
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "花垣苗绣扶贫车间" in page and "在职" in page
    bad = client.post(reverse("employment:end", args=[record.pk]), {"ended_on": "2026-01-01"})
    assert "不能早于入职日期" in bad.content.decode()
    client.post(reverse("employment:end", args=[record.pk]), {"ended_on": "2026-06-30", "note": "合同到期"})
    record.refresh_from_db()
    person.refresh_from_db()
    assert record.ended_on == dt.date(2026, 6, 30) and person.employment_status == "未务工"
    changes = Change.objects.filter(person=person, field="务工状态")
    assert list(changes.values_list("after", flat=True).order_by("id")) == [
        "县内务工",
        "未务工",
    ]


def test_create_requires_an_employer(world, users, client_for):
    response = client_for(users["county_a"]).post(
        reverse("employment:create", args=[world["long"].pk]),
        {"place": "县内", "channel": "灵活就业", "started_on": "2026-02-01"},
    )
    assert response.status_code == 200 and "请选择台帐中的用人单位" in response.content.decode()
    assert not EmploymentRecord.objects.exists()


def test_a_hire_links_back_to_its_referral(world, users, client_for):
    from bangfu.referrals.actions import advance, create_referral

    referral = create_referral(users["county_a"], world["long"], world["job"])
    advance(users["county_a"], referral, "有意向")
    advance(users["county_a"], referral, "录用")
    client = client_for(users["county_a"])
    link = f'href="{reverse("referrals:detail", args=[referral.pk])}">推荐录用</a>'
    assert link in client.get(reverse("employment:list")).content.decode()
    assert link in client.get(reverse("registry:person_detail", args=[world["long"].pk])).content.decode()
