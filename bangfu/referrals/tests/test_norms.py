"""Service norms: counts per sub-area with known answers, norms as data per region, who is behind, export."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.models import Action, AuditEvent
from bangfu.referrals.actions import create_referral, record_services
from bangfu.referrals.models import Referral, ServiceKind, ServiceNorm
from bangfu.referrals.norms import NO_LABORERS, behind, norm_table, sort_rows
from bangfu.referrals.tests.factories import VILLAGE_B, make_employer, make_job, make_person


@pytest.fixture
def served(users, sms_file):
    actor = users["county_a"]
    other_village = (
        Area.objects.filter(level=5, code__startswith="433124")
        .exclude(code__startswith="433124102")
        .order_by("code")
        .first()
    )
    employer = make_employer("达标测试厂", "440105", 401)
    jobs = [make_job(employer, f"N{i}", f"岗位{i}", "440105", openings=9) for i in range(3)]
    people = {
        "complete": make_person("全达标"),
        "offered": make_person("只推荐"),
        "few": make_person("推荐少", other_village.code),
        "employed": make_person("已务工", employment_status="省外务工"),
        "last_year": make_person("去年达标"),
        "county_b": make_person("凤凰人", VILLAGE_B),
    }
    today = timezone.localdate()
    for key in ("complete", "offered", "employed", "last_year"):
        for job in jobs:
            create_referral(actor, people[key], job)
    create_referral(actor, people["few"], jobs[0])
    create_referral(users["county_b"], people["county_b"], jobs[0])
    record_services(actor, [people["complete"]], kind=ServiceKind.GUIDANCE, on=today)
    record_services(actor, [people["complete"]], kind=ServiceKind.TRAINING, on=today)
    last_year = today.replace(year=today.year - 1, month=6, day=1)
    Referral.objects.filter(person=people["last_year"]).update(
        created_at=timezone.make_aware(dt.datetime.combine(last_year, dt.time(10)))
    )
    record_services(actor, [people["last_year"]], kind=ServiceKind.TRAINING, on=last_year)
    record_services(actor, [people["last_year"]], kind=ServiceKind.GUIDANCE, on=last_year)
    return {"people": people, "other_village": other_village}


def test_norm_table_counts(served, areas):
    year = timezone.localdate().year
    rows, total, norm = norm_table(areas["county_a"], year)
    by_name = {r.area.name: r for r in rows}
    longtan = by_name["龙潭镇"]
    assert (longtan.seekers, longtan.offered, longtan.complete, longtan.behind) == (3, 2, 1, 2)
    other = next(r for r in rows if r.area.code[:9] == served["other_village"].code[:9])
    assert (other.seekers, other.offered, other.complete) == (1, 0, 0)
    assert (total.seekers, total.offered, total.complete) == (4, 2, 1)
    assert sum(r.seekers for r in rows if r.seekers) == 4 and norm.referrals_per_year == 3


def test_norms_are_data_per_region(served, areas):
    township = served["other_village"].code[:9]
    ServiceNorm.objects.create(
        region_prefix=township, effective_from=dt.date(2020, 1, 1), offers_per_year=1, referrals_per_year=1,
        guidance_per_year=0, training_per_year=0,
    )  # fmt: skip
    ServiceNorm.objects.create(
        region_prefix=township,
        effective_from=dt.date(2099, 1, 1),
        offers_per_year=9,
        referrals_per_year=9,
    )  # fmt: skip  (not yet in force)
    rows, _, _ = norm_table(areas["county_a"], timezone.localdate().year)
    other = next(r for r in rows if r.area.code[:9] == township)
    assert (other.seekers, other.offered, other.complete) == (1, 1, 1)
    assert next(r for r in rows if r.area.name == "龙潭镇").complete == 1  # the national norm still applies


def test_behind_lists_who_and_why(served, areas):
    people, _ = behind(areas["county_a"], timezone.localdate().year)
    rows = {p.name: (p.n_referrals, p.n_guidance, p.n_training) for p in people}
    assert rows == {"只推荐": (3, 0, 0), "推荐少": (1, 0, 0), "去年达标": (0, 0, 0)}
    last, _ = behind(areas["county_a"], timezone.localdate().year - 1)
    assert "去年达标" not in {p.name for p in last}


def test_pages_and_export(served, users, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("referrals:norms")).content.decode()
    assert "龙潭镇" in page and "服务达标" in page
    drill = client.get(reverse("referrals:norms_behind"), {"area": "433124102"}).content.decode()
    assert "只推荐" in drill and "去年达标" in drill and "全达标" not in drill and "推荐少" not in drill
    csv_text = client.get(reverse("referrals:norms_export"), {"format": "csv"}).content.decode("utf-8-sig")
    assert "龙潭镇" in csv_text and "求职劳动力" in csv_text
    xlsx = client.get(reverse("referrals:norms_export"), {"what": "behind"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    assert client.get(reverse("referrals:norms"), {"area": "433123"}).status_code == 404


def test_bulk_service_records(served, users, client_for):
    people = served["people"]
    client = client_for(users["county_a"])
    client.post(
        reverse("referrals:services_bulk"),
        {
            "person": [people["offered"].pk, people["few"].pk],
            "kind": "职业指导",
            "date": timezone.localdate().isoformat(),
        },
    )
    _, total, _ = norm_table(Area.objects.get(code="433124000000"), timezone.localdate().year)
    assert people["offered"].services.count() == 1 and people["few"].services.count() == 1
    assert total.complete == 1  # still no training notice for them
    outsider = client_for(users["county_b"]).post(
        reverse("referrals:services_bulk"),
        {"person": [people["offered"].pk], "kind": "培训信息", "date": "2026-01-01"},
    )
    assert outsider.status_code == 404 and people["offered"].services.count() == 1


def test_norm_page_query_count_is_fixed(served, users, client_for, django_assert_max_num_queries):
    client = client_for(users["county_a"])
    client.get(reverse("referrals:norms"))
    with django_assert_max_num_queries(14):
        client.get(reverse("referrals:norms"))


def test_drill_down_to_the_village_and_export_who_is_behind(served, users, client_for):
    """County → township → village, each level's table linking to the next and to its list of who is
    behind; the list's export holds the same people, masked, with their counts."""
    client = client_for(users["county_a"])
    county = client.get(reverse("referrals:norms")).content.decode()
    assert 'href="?area=433124102000' in county  # the township row links one level down
    township = client.get(reverse("referrals:norms"), {"area": "433124102000"})
    rows = {r.area.name: (r.seekers, r.complete, r.behind) for r in township.context["rows"]}
    assert rows["土地村"] == (3, 1, 2) and all(
        r.area.code.startswith("433124102") for r in township.context["rows"]
    )
    assert [a.name for a in township.context["trail"]] == ["花垣县", "龙潭镇"]
    village = client.get(reverse("referrals:norms"), {"area": "433124102201"})
    assert [(r.area.name, r.behind) for r in village.context["rows"]] == [("土地村", 2)]
    assert "norms/behind/?area=433124102201" in village.content.decode()
    listed = client.get(reverse("referrals:norms_behind"), {"area": "433124102201"})
    assert {p.name for p in listed.context["object_list"]} == {"只推荐", "去年达标"}
    export = client.get(
        reverse("referrals:norms_export"), {"what": "behind", "area": "433124102201", "format": "csv"}
    )
    lines = export.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("区划代码,所在村,姓名,证件号码,联系电话,推荐次数")
    by_name = {line.split(",")[2]: line.split(",") for line in lines[1:]}
    assert set(by_name) == {"只推荐", "去年达标"}
    assert by_name["只推荐"][5:] == ["3", "0", "0"] and "*" in by_name["只推荐"][3]
    assert served["people"]["offered"].id_number not in export.content.decode("utf-8-sig")
    assert AuditEvent.objects.filter(action=Action.EXPORT, actor=users["county_a"]).exists()
    # Another county's user cannot drill into county A.
    assert (
        client_for(users["county_b"])
        .get(reverse("referrals:norms_behind"), {"area": "433124102"})
        .status_code
        == 404
    )


def test_an_area_without_laborers_has_no_rate_not_full_marks(served, areas, users, client_for):
    """0 of 0 is nobody to serve: the rate is none (—（无劳动力）on the page and in the export, null in the
    API), never 100 %, and ordering by rate puts such areas last, not first."""
    year = timezone.localdate().year
    rows, total, _ = norm_table(areas["county_a"], year)
    empty = [r for r in rows if not r.seekers]
    longtan = next(r for r in rows if r.area.name == "龙潭镇")
    assert empty and all(r.rate is None and r.percent is None for r in empty)
    assert (longtan.percent, total.percent) == (33, 25)

    client = client_for(users["county_a"])
    page = client.get(reverse("referrals:norms"), {"sort": "rate"}).content.decode()
    assert NO_LABORERS in page and "100%" not in page
    table = page[page.index('id="norm-table"') :]
    served_rows = [r.area.name for r in sort_rows(rows, "rate") if r.seekers]
    assert served_rows[-1] == "龙潭镇"  # 33 % after 0 %
    assert table.index("龙潭镇") < min(table.index(r.area.name) for r in empty)

    csv_text = client.get(reverse("referrals:norms_export"), {"format": "csv"}).content.decode("utf-8-sig")
    lines = {line.split(",")[1]: line.split(",") for line in csv_text.splitlines()[1:]}
    assert lines[empty[0].area.name][-1] == NO_LABORERS and lines["龙潭镇"][-1] == "33"

    api = client.get(reverse("service-norm-list"), {"year": year, "sort": "rate"}).json()
    by_name = {r["area_name"]: r for r in api["rows"]}
    assert by_name[empty[0].area.name]["rate"] is None and by_name["龙潭镇"]["rate"] == pytest.approx(1 / 3)
    assert api["total"]["rate"] == pytest.approx(0.25)
    assert [r["rate"] is None for r in api["rows"]] == sorted(r["rate"] is None for r in api["rows"])

    # An area where nobody wants work: its total has no rate either.
    nobody = client.get(reverse("service-norm-list"), {"area": empty[0].area.code}).json()
    assert nobody["total"]["seekers"] == 0 and nobody["total"]["rate"] is None
    village_page = client.get(reverse("referrals:norms"), {"area": empty[0].area.code})
    assert NO_LABORERS in village_page.content.decode()


def test_the_api_schema_says_the_rate_may_be_null(users, client_for):
    schema = client_for(users["county_a"]).get(reverse("api-schema"), {"format": "json"}).json()
    rate = schema["components"]["schemas"]["NormRow"]["properties"]["rate"]
    assert rate["nullable"] is True and "null" in rate["description"]
    assert "/api/v1/service-norms/" in schema["paths"]
