"""社保扶贫 pages: the roster with its shares and file, 确认代缴 through the payout core, the 60+ ledger with
its needs, due days, officer and overdue filter, the people about to reach the age, the rates against
their targets and the list behind each; an area outside the user's subtree is not found."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A
from bangfu.payouts.models import PayoutList
from bangfu.pension import ageing
from bangfu.pension.models import PremiumShareRule, RateTargetRule
from bangfu.pension.tests.factories import person
from bangfu.registry.models import years_before

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def world(users):
    PremiumShareRule.objects.create(
        region_prefix=COUNTY_A, effective_from=dt.date(2020, 1, 1), province_pct=80, city_pct=0, county_pct=20
    )
    return {
        "paid": person("龙代缴"),
        "unenrolled": person("龙未保", pension_insurance="", pension_status="", medical_status="参保",
                             medical_insured_year=YEAR),
        "b": person("凤代缴", "433123109225"),
    }  # fmt: skip


def test_the_roster_page_shows_the_people_and_each_levels_share(world, client_for, users):
    page = client_for(users["county_a"]).get(reverse("pension:roster"), {"year": YEAR})
    text = page.content.decode()
    assert page.status_code == 200 and "龙代缴" in text and "凤代缴" not in text and "龙未保" not in text
    assert "省级 80.00 元，市级 0.00 元，县级 20.00 元" in text


def test_an_area_outside_the_users_subtree_is_not_found(world, client_for, users):
    county_b = client_for(users["county_b"])
    for name in ("pension:roster", "pension:ageing", "pension:rates", "pension:roster_export"):
        assert county_b.get(reverse(name), {"area": COUNTY_A}).status_code == 404
    assert (
        county_b.post(reverse("pension:roster_confirm"), {"area": COUNTY_A, "year": YEAR}).status_code == 404
    )
    assert not PayoutList.objects.exists()


def test_the_roster_file_is_masked_for_users_who_may_not_see_ids_and_audited(world, client_for, users):
    users["county_a"].can_view_sensitive = False
    users["county_a"].save()
    answer = client_for(users["county_a"]).get(
        reverse("pension:roster_export"), {"year": YEAR, "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["证件号码", "姓名", "代缴类别", "代缴金额", "省级承担", "市级承担", "县级承担"]
    assert rows[1][1:] == ["龙代缴", "脱贫人口", "100.00", "80.00", "0.00", "20.00"]
    assert rows[1][0] != world["paid"].id_number and "*" in rows[1][0]
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__contains="养老保险代缴名单 1 行").exists()


def test_confirming_builds_and_checks_the_payout_list(world, client_for, users):
    answer = client_for(users["county_a"]).post(reverse("pension:roster_confirm"), {"year": YEAR})
    payout_list = PayoutList.objects.get()
    assert answer.status_code == 302 and answer["Location"] == reverse(
        "payouts:list_detail", args=[payout_list.pk]
    )
    assert (payout_list.kind, payout_list.passed_count, payout_list.total) == (
        "pension-premium",
        1,
        Decimal("100"),
    )
    assert payout_list.failed_count == 1  # 龙未保: 不符合条件


@pytest.fixture
def elders(users):
    from bangfu.tracking.models import Responsibility, Visit

    made = {
        "drawing": person("龙领取", birth="1950-01-01", pension_status="领取待遇"),
        "claim": person("龙申领", birth=years_before(TODAY, 60).isoformat()),
        "claim_late": person("龙逾期", birth=years_before(TODAY - dt.timedelta(days=40), 60).isoformat()),
        "catch_up": person("龙补缴", birth=years_before(TODAY, 62).isoformat(), pension_status="终止参保"),
        "soon": person("龙将到龄", birth=years_before(TODAY + dt.timedelta(days=45), 60).isoformat()),
        "young": person("龙年轻", birth="1990-01-01"),
    }
    Responsibility.objects.create(
        person=made["claim_late"], area=made["claim_late"].area, user=users["village_a"], since=TODAY
    )
    Visit.objects.create(
        person=made["claim_late"],
        area=made["claim_late"].area,
        visited_on=TODAY,
        method="电话",
        result="在岗",
    )
    return made


def test_the_ledger_says_what_each_person_needs_and_by_when(elders, areas):
    people = ageing.ledger(areas["county_a"], YEAR, TODAY)
    needs = dict(people.values_list("name", "need"))
    assert {k: v for k, v in needs.items() if k != "龙将到龄"} == {
        "龙领取": "已领取", "龙申领": "待遇申领", "龙逾期": "待遇申领", "龙补缴": "一次性补缴",
    }  # fmt: skip
    assert set(ageing.overdue(people, TODAY, areas["county_a"]).values_list("name", flat=True)) == {
        "龙逾期",
        "龙补缴",
    }
    assert list(ageing.upcoming(areas["county_a"], TODAY).values_list("name", flat=True)) == ["龙将到龄"]
    entries = {e.person.name: e for e in ageing.entries(ageing.with_follow_up(people), TODAY)}
    assert entries["龙申领"].due_on == TODAY + dt.timedelta(days=30) and not entries["龙申领"].overdue
    assert entries["龙补缴"].due_on == years_before(TODAY, 2) and entries["龙补缴"].overdue
    assert entries["龙领取"].due_on is None
    assert entries["龙逾期"].person.officer == users_name(entries["龙逾期"].person)
    assert entries["龙逾期"].person.visited_on == TODAY


def users_name(person):
    from bangfu.tracking.models import Responsibility

    user = Responsibility.objects.get(person=person).user
    return user.name or user.username


def test_the_ledger_page_filters_overdue_and_lists_who_turns_60_soon(elders, client_for, users):
    client = client_for(users["county_a"])
    text = client.get(reverse("pension:ageing"), {"overdue": "1"}).content.decode()
    assert "龙逾期" in text and "龙补缴" in text and "龙申领" not in text and "u_village_a" in text
    text = client.get(reverse("pension:ageing"), {"tab": "upcoming"}).content.decode()
    assert "龙将到龄" in text and "龙领取" not in text


def test_the_rates_against_targets_and_the_list_behind(world, client_for, users):
    RateTargetRule.objects.create(
        region_prefix="43",
        effective_from=dt.date(2020, 1, 1),
        pension_rate=99,
        medical_rate=99,
        payment_rate=100,
    )
    from bangfu.pension import rates

    rows, total = rates.table(users["county_a"].area, TODAY)
    township = next(row for row in rows if row.area.code.startswith("433124102"))
    assert township["pension_enrolment"].base == 2  # both live in 土地村, 龙潭镇
    cell = total["pension_enrolment"]
    assert (cell.base, cell.count, cell.rate, cell.met) == (2, 1, Decimal("50.0"), False)
    medical = total["medical_enrolment"]
    assert (medical.base, medical.count) == (2, 1)
    client = client_for(users["county_a"])
    text = client.get(reverse("pension:rates")).content.decode()
    assert "50.0%" in text and "目标 99%" in text
    text = client.get(reverse("pension:rate_people"), {"rate": "pension_enrolment"}).content.decode()
    assert "龙未保" in text and "龙代缴" not in text
    assert client.get(reverse("pension:rate_people"), {"rate": "nope"}).status_code == 404
    answer = client.get(reverse("pension:rate_people"), {"rate": "medical_enrolment", "format": "csv"})
    body = b"".join(answer.streaming_content).decode("utf-8-sig")
    assert "龙代缴" in body and "龙未保" not in body
