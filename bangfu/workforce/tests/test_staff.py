"""Staff see what employers reported about the people of their own area — the 企业报送 list, the person page,
the employer page of their area (names of people from elsewhere masked, ID numbers always masked) — and
nothing of other areas. List pages cost the same queries however many reports there are."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.conftest import make_user
from bangfu.referrals.tests.factories import make_person
from bangfu.workforce import actions
from bangfu.workforce.rows import HireRow
from bangfu.workforce.tests.conftest import outsider_id

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=100)
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def report(world, person=None, *, id_number=None, name=None):
    row = HireRow(id_number or person.id_number, name or person.name, START, "装配工", 4200)
    hire = actions.report_hire(world["boss"], world["factory"], row)
    actions.report_month(world["boss"], world["factory"], MONTH, [(hire, 4500, True)])
    return hire


def test_the_areas_list_shows_its_own_people_only(world, users, client_for, apply):
    report(world, world["long"])
    report(world, world["tian"])
    report(world, id_number=outsider_id(), name="陈明")
    apply()
    text = client_for(users["county_a"]).get(reverse("workforce:list")).content.decode()
    assert "龙春生" in text and "田大山" not in text and "陈明" not in text
    assert world["long"].masked_id in text and world["long"].id_number not in text
    assert "4500 元" in text and "参保" in text and "广州海珠电子厂" in text
    other = client_for(users["county_b"]).get(reverse("workforce:list")).content.decode()
    assert "田大山" in other and "龙春生" not in other


def test_the_list_costs_the_same_queries_for_one_report_or_many(world, users, client_for, apply):
    client = client_for(users["county_a"])
    report(world, world["long"])
    apply()
    client.get(reverse("workforce:list"))  # session, warm caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workforce:list"))
    for index in range(5):
        report(world, make_person(f"龙{'一二三四五'[index]}"))
    apply()
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("workforce:list"))
    assert response.content.decode().count('data-label="用人单位"') == 6
    assert len(six) == len(one)


def test_the_person_page_shows_the_reports_with_their_months(world, users, client_for, apply):
    report(world, world["long"])
    apply()
    text = (
        client_for(users["county_a"])
        .get(reverse("registry:person_detail", args=[world["long"].pk]))
        .content.decode()
    )
    assert 'id="person-hires"' in text and "企业报送" in text and f"{MONTH:%Y-%m}：4500 元·参保" in text
    assert "广州海珠电子厂" in text


def test_the_employer_page_lists_every_report_masking_people_from_elsewhere(
    world, users, areas, client_for, apply
):
    report(world, world["long"])
    report(world, id_number=outsider_id(), name="陈明山")
    apply()
    guangzhou = make_user("u_haizhu", areas["guangzhou_haizhu"])
    client = client_for(guangzhou)
    with CaptureQueriesContext(connection) as two:
        text = client.get(reverse("employers:detail", args=[world["factory"].pk])).content.decode()
    assert 'id="employer-hires"' in text and "共 2 人次，在职 2 人" in text
    assert "龙*生" in text and "陈*山" in text and "龙春生" not in text and "陈明山" not in text
    assert world["long"].id_number not in text and world["long"].masked_id in text
    for seq in (11, 13, 15):
        report(world, id_number=outsider_id(seq), name="王五")
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("employers:detail", args=[world["factory"].pk]))
    assert len(five) == len(two)
    # County A cannot open a Guangzhou employer's page at all.
    assert (
        client_for(users["county_a"]).get(reverse("employers:detail", args=[world["factory"].pk])).status_code
        == 404
    )
