"""Employment-record pages: list with filters in the user's area, record and end a spell of work."""

import datetime as dt

from django.urls import reverse

from bangfu.audit.models import AuditEvent
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
        {"employer": world["workshop"].pk, "work_area_code": "433124", "channel": "扶贫车间",
         "started_on": "2026-02-01", "monthly_wage": "2800"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    record = EmploymentRecord.objects.get(person=person)
    assert record.employer_name == "花垣苗绣扶贫车间" and record.created_by == users["county_a"]
    person.refresh_from_db()
    assert person.employment_status == "县内务工"
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "花垣苗绣扶贫车间" in page and "在职" in page
    bad = client.post(
        reverse("employment:end", args=[record.pk]), {"ended_on": "2026-01-01", "reason": "其他"}
    )
    assert "不能早于入职日期" in bad.content.decode()
    response = client.post(reverse("employment:end", args=[record.pk]), {"ended_on": "2026-06-30"})
    assert response.context["form"].errors["reason"]  # 离职原因 is asked for
    client.post(reverse("employment:end", args=[record.pk]), {"ended_on": "2026-06-30", "reason": "合同到期"})
    record.refresh_from_db()
    person.refresh_from_db()
    assert record.ended_on == dt.date(2026, 6, 30) and record.end_reason == "合同到期"
    assert person.employment_status == "未务工"
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


def test_place_is_derived_from_the_work_area_and_the_channel_from_the_data(world, users, client_for):
    from bangfu.employers.models import Cooperation, EmployerKind

    client = client_for(users["county_a"])
    person = world["long"]

    def record(**values):
        data = {"employer_name": "某厂", "channel": "自主外出", "started_on": "2026-02-01", **values}
        response = client.post(reverse("employment:create", args=[person.pk]), data)
        assert response.status_code == 302, response.context["form"].errors
        return EmploymentRecord.objects.filter(person=person).latest("id")

    assert record(work_area_code="44").place == "省外"
    assert record(work_area_code="433123").place == "省内县外"
    assert record(work_area_code="433124102").place == "县内"
    bad = client.post(reverse("employment:create", args=[person.pk]), {"work_area_code": "449999"})
    assert "不存在" in bad.context["form"].errors["work_area_code"][0]
    # A hire at a workshop is 扶贫车间, work in the receiving area of a labor cooperation 有组织输出.
    world["workshop"].kind = EmployerKind.POVERTY_WORKSHOP
    world["workshop"].save()
    Cooperation.objects.create(sending_area=users["county_a"].area, receiving_area=world["factory"].area)
    from bangfu.referrals.actions import advance, create_referral

    for job, channel in ((world["local_job"], "扶贫车间"), (world["job"], "有组织输出")):
        referral = create_referral(users["county_a"], world["shi"], job)
        advance(users["county_a"], referral, "有意向")
        hired = advance(users["county_a"], referral, "录用", started_on=dt.date(2026, 3, 1))
        assert hired.employment.channel == channel
        actions_end(users["county_a"], hired.employment)


def actions_end(user, record):
    from bangfu.employment.actions import end_record

    end_record(user, record, dt.date(2026, 3, 31), reason="转岗")


FOUND = dt.date(2026, 5, 1)


def test_mismatches_are_settled_by_ending_or_keeping(world, users, client_for, django_assert_max_num_queries):
    from bangfu.employment.models import Mismatch

    client = client_for(users["county_a"])
    entries = []
    for name, person in (("long", world["long"]), ("shi", world["shi"])):
        record = _record(person, employer_name=f"{name}厂", place="省外")
        entries.append(
            Mismatch.objects.create(
                person=person, record=record, area_id=person.area_id, found_on=dt.date(2026, 5, 1)
            )
        )
    for i in range(5):  # the list's query count does not grow with its rows
        from bangfu.referrals.tests.factories import make_person

        other = make_person(f"人{i}")
        entries.append(
            Mismatch.objects.create(
                person=other, record=_record(other), area_id=other.area_id, found_on=dt.date(2026, 5, 1)
            )
        )
    with django_assert_max_num_queries(12):
        page = client.get(reverse("employment:mismatches"))
    assert page.status_code == 200 and len(page.context["object_list"]) == 7
    assert "龙春生" in page.content.decode() and "long厂" in page.content.decode()
    assert (
        "龙春生" not in client_for(users["county_b"]).get(reverse("employment:mismatches")).content.decode()
    )

    settle = reverse("employment:mismatch_settle", args=[entries[0].pk])
    missing = client.post(settle, {"decision": "end"})
    assert missing.context["form"].errors["ended_on"] and missing.context["form"].errors["reason"]
    assert (
        client.post(settle, {"decision": "end", "ended_on": "2026-04-30", "reason": "返乡"}).status_code
        == 302
    )
    entries[0].refresh_from_db()
    entries[0].record.refresh_from_db()
    assert entries[0].status == "ended" and entries[0].settled_by == users["county_a"]
    assert (entries[0].record.ended_on, entries[0].record.end_reason) == (dt.date(2026, 4, 30), "返乡")
    world["long"].refresh_from_db()
    assert world["long"].employment_status == "未务工"

    keep = reverse("employment:mismatch_settle", args=[entries[1].pk])
    assert client.post(keep, {"decision": "keep"}).context["form"].errors["note"]
    assert client.post(keep, {"decision": "keep", "note": "电话核实仍在岗"}).status_code == 302
    entries[1].refresh_from_db()
    entries[1].record.refresh_from_db()
    assert entries[1].status == "kept" and entries[1].record.ended_on is None
    assert AuditEvent.objects.filter(object_type="employment.mismatch", object_id=str(entries[1].pk)).exists()
    # Settled entries leave the default list; once settled, posting again changes nothing.
    names = {m.person.name for m in client.get(reverse("employment:mismatches")).context["object_list"]}
    assert "龙春生" not in names and "石秀英" not in names
    assert (
        client.post(keep, {"decision": "end", "ended_on": "2026-04-30", "reason": "返乡"}).status_code == 200
    )
    entries[1].record.refresh_from_db()
    assert entries[1].record.ended_on is None
