"""/api/v1/targets/: the targets of the user's subtree with their figure and completion computed when asked;
POST sets one through targets.actions.set_target (the split rule and the area's reach hold there too)."""

from django.urls import reverse

from bangfu.targets.models import Target


def test_post_sets_a_target_and_the_list_shows_its_progress(users, townships, employed, client_for):
    client = client_for(users["county_a"])
    url = reverse("target-list")
    response = client.post(
        url,
        {"area_code": "433124000000", "year": 2026, "figure": employed, "value": 10},
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["figure_name"] == "务工人数" and body["actual"] == 0 and body["rate"] == "0.0"
    short = client.post(
        url,
        {"area_code": townships[0].code, "year": 2026, "figure": employed, "value": 3},
        content_type="application/json",
    )
    assert short.status_code == 400 and "还差 7" in str(short.json())
    outside = client.post(
        url,
        {"area_code": "433123000000", "year": 2026, "figure": employed, "value": 3},
        content_type="application/json",
    )
    assert outside.status_code == 400 and Target.objects.count() == 1
    listed = client.get(url, {"year": 2026}).json()
    assert [row["area_code"] for row in listed["results"]] == ["433124000000"]
    assert client_for(users["county_b"]).get(url).json()["results"] == []
    target = Target.objects.get()
    assert client_for(users["county_b"]).get(reverse("target-detail", args=[target.pk])).status_code == 404
