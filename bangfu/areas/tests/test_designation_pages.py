"""The designation pages: the list per area (filter by kind, in force on a day), adding, changing, ending
and voiding a listing with its history shown, who may do what, and the area page's listings."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bangfu.areas.actions import Listing, add_designation
from bangfu.areas.models import Area, Designation
from bangfu.conftest import area

VILLAGE_A, VILLAGE_A2 = "433124102201", "433124102202"


@pytest.fixture
def listed(users):
    poor = add_designation(users["county_a"], Listing(area(VILLAGE_A), "poor_village", dt.date(2014, 5, 1)))
    add_designation(users["county_a"], Listing(area(VILLAGE_A), "exited_village", dt.date(2019, 12, 20)))
    add_designation(users["province"], Listing(area("433124"), "key_county", dt.date(2021, 8, 27)))
    return poor


def test_the_list_filters_by_kind_and_day(client_for, users, listed):
    client = client_for(users["county_a"])
    page = client.get("/areas/433124/designations/").content.decode()
    assert page.count("/areas/designations/") >= 3 and "国家乡村振兴重点帮扶县" in page
    poor_then = client.get("/areas/433124/designations/?kind=poor_village&on=2019-12-19").content.decode()
    assert "2014-05-01 起，2019-12-20 终止" in poor_then
    poor_after = client.get("/areas/433124/designations/?kind=poor_village&on=2019-12-20").content.decode()
    assert "没有符合条件的区域认定" in poor_after
    # The village officer sees the listings of the village and cannot add any.
    village = client_for(users["village_a"]).get(f"/areas/{VILLAGE_A}/designations/").content.decode()
    assert "脱贫村" in village and "登记认定" not in village
    assert client_for(users["village_a"]).get(f"/areas/{VILLAGE_A}/designations/new/").status_code == 403


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(client_for, users, listed):
    client = client_for(users["county_a"])
    client.get("/areas/433124/designations/")
    with CaptureQueriesContext(connection) as few:
        client.get("/areas/433124/designations/")
    villages = Area.objects.filter(parent_id="433124102000", level=5).order_by("code")[:3]
    assert len(villages) == 3
    for village in villages:
        add_designation(users["county_a"], Listing(village, "relocation_site", dt.date(2018, 6, 30)))
    with CaptureQueriesContext(connection) as more:
        client.get("/areas/433124/designations/")
    assert len(more) == len(few)


def test_adding_changing_ending_and_voiding_from_the_pages(client_for, users, listed):
    client = client_for(users["county_a"])
    response = client.post(
        "/areas/433124102/designations/new/",
        {
            "code": VILLAGE_A2,
            "kind": "relocation_site",
            "starts_on": "2018-06-30",
            "basis": "湘发改〔2018〕1号",
        },
    )
    site = Designation.objects.get(kind="relocation_site")
    assert response.status_code == 302 and response["Location"] == f"/areas/designations/{site.pk}/"
    refused = client.post(
        "/areas/433124102/designations/new/",
        {"code": "433124102", "kind": "poor_village", "starts_on": "2014-01-01"},
    )
    assert "贫困村只能认定给村级区域" in refused.content.decode()
    url = f"/areas/designations/{site.pk}/"
    client.post(
        url + "edit/", {"starts_on": "2018-07-01", "ends_on": "", "basis": "改正", "reason": "核对原件"}
    )
    client.post(url + "end/", {"ends_on": "2024-01-01", "reason": "撤并"})
    site.refresh_from_db()
    assert (site.starts_on, site.ends_on, site.basis) == (dt.date(2018, 7, 1), dt.date(2024, 1, 1), "改正")
    page = client.get(url).content.decode()
    assert (
        "核对原件" in page
        and "起始日期：2018-06-30 → 2018-07-01" in page
        and "终止日期：（空） → 2024-01-01" in page
    )
    client.post(url + "void/", {"reason": "录入错误"})
    site.refresh_from_db()
    assert site.voided and "录入错误" in client.get(url).content.decode()
    # A county user cannot change the province's 重点帮扶县 listing of the county itself.
    key = Designation.objects.get(kind="key_county")
    client.post(f"/areas/designations/{key.pk}/end/", {"ends_on": "2024-01-01"})
    key.refresh_from_db()
    assert key.ends_on is None


def test_the_area_page_shows_its_listings_in_force(client_for, users, listed):
    page = client_for(users["county_a"]).get(f"/areas/{VILLAGE_A}/").content.decode()
    assert "脱贫村" in page and "2019-12-20 起" in page and "区域认定" in page
    county = client_for(users["county_a"]).get("/areas/433124/").content.decode()
    assert "国家乡村振兴重点帮扶县" in county


def test_the_list_finds_areas_by_code_or_name(client_for, users, listed):
    client = client_for(users["county_a"])

    def table(query):
        return (
            client.get(f"/areas/433124/designations/?q={query}")
            .content.decode()
            .split('id="designations"')[1]
        )

    by_code = table("433124102")
    assert "脱贫村" in by_code and "国家乡村振兴重点帮扶县" not in by_code
    by_name = table("花垣")
    assert "国家乡村振兴重点帮扶县" in by_name and "脱贫村" not in by_name
    assert client.get("/areas/433124/designations/?q=¹²").status_code == 200
