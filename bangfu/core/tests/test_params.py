"""Numbers from URLs and forms (core/params.py): a record id is ASCII digits within the column's range; what
is not names no record — a filter by it is a Chinese 400 on the API and finds nothing on a page."""

import pytest
from django.urls import reverse

from bangfu.core.params import MAX_ID, as_id, as_ids, as_int

HUGE = "99999999999999999999"


@pytest.mark.parametrize("raw", ["¹", "١٢", HUGE, "0", "-3", "", " ", "1e3", "3.0", None, str(MAX_ID + 1)])
def test_what_names_no_record(raw):
    assert as_id(raw) is None


def test_ids_and_bounded_numbers():
    assert as_id(" 42 ") == 42 and as_id(str(MAX_ID)) == MAX_ID
    assert as_ids(["3", "¹", HUGE, "x", "7"]) == [3, 7]
    assert as_int("2020", 2015, 2026) == 2020 and as_int("2014", 2015, 2026) is None
    assert as_int("-1", -5, 5) == -1 and as_int("٣", 0, 9) is None


@pytest.mark.parametrize("name", ["comparison-finding-list", "job-list", "referral-list"])
@pytest.mark.parametrize("value", [HUGE, "¹", "0"])
def test_an_id_filter_past_any_record_is_a_chinese_400_on_the_api(name, value, users, client_for):
    field = {"comparison-finding-list": "run", "job-list": "employer", "referral-list": "person"}[name]
    response = client_for(users["county_a"]).get(reverse(name), {field: value})
    assert response.status_code == 400
    assert response.json()["errors"][field][0] in ("应为记录编号（正整数）。", "编号过大，没有这样的记录。")


@pytest.mark.parametrize(
    "name, query",
    [
        ("compare:finding_list", {"run": HUGE}),
        ("compare:finding_list", {"run": "¹"}),
        ("jobs:list", {"employer": HUGE}),
        ("employment:list", {"person": HUGE}),
        ("referrals:list", {"person": HUGE, "job": "¹"}),
        ("referrals:norms", {"year": "¹"}),
        ("fairs:job_search", {"q": "工", "jobs": ["¹", HUGE]}),
    ],
)
def test_pages_take_them_as_no_record(name, query, users, client_for):
    assert client_for(users["county_a"]).get(reverse(name), query).status_code == 200
