"""/api/v1/referrals/: list and retrieve in the user's area, the step action with the same rules."""

import json

from django.urls import reverse

from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Status


def test_api_list_retrieve_and_step(world, users, client_for):
    mine = create_referral(users["county_a"], world["long"], world["job"], score=88, reasons=["职业相符"])
    create_referral(users["county_b"], world["tian"], world["job"])
    client = client_for(users["county_a"])
    data = client.get(reverse("referral-list")).json()
    assert data["count"] == 1 and data["results"][0]["person_name"] == "龙春生"
    assert data["results"][0]["person_id_number"] == world["long"].masked_id
    assert client.get(reverse("referral-list"), {"status": "录用"}).json()["count"] == 0
    detail = client.get(reverse("referral-detail", args=[mine.pk])).json()
    assert detail["next_statuses"][:2] == ["已通知", "有意向"] and detail["steps"][0]["to_status"] == "推荐"
    url = reverse("referral-step", args=[mine.pk])
    bad = client.post(url, json.dumps({"status": "录用"}), content_type="application/json")
    assert bad.status_code == 400 and "不能从“推荐”改为“录用”" in json.dumps(bad.json(), ensure_ascii=False)
    ok = client.post(url, json.dumps({"status": "有意向", "note": "接口"}), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == Status.INTERESTED
    assert client.get(url).json() == {"status": "有意向", "next_statuses": ["面试", "录用", "未录用", "放弃"]}


def test_api_outsider_gets_404(world, users, client_for):
    mine = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_b"])
    assert client.get(reverse("referral-detail", args=[mine.pk])).status_code == 404
    response = client.post(
        reverse("referral-step", args=[mine.pk]),
        json.dumps({"status": "放弃"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.status == Status.REFERRED


def test_api_refuses_enterprise_accounts(world, client_for):
    assert client_for(world["boss"]).get(reverse("referral-list")).status_code == 403


def test_api_interview_and_withdrawal_need_their_details(world, users, client_for, meeting_service):
    mine = create_referral(users["county_a"], world["long"], world["job"])
    client = client_for(users["county_a"])
    url = reverse("referral-step", args=[mine.pk])

    def post(body):
        return client.post(url, json.dumps(body), content_type="application/json")

    no_time = post({"status": "面试", "online": True})
    assert no_time.status_code == 400 and "请填写面试时间" in json.dumps(no_time.json(), ensure_ascii=False)
    ok = post({"status": "面试", "interview_at": "2099-03-01T10:00:00+08:00", "online": True})
    assert ok.status_code == 200 and ok.json()["steps"][-1]["note"].startswith("面试时间 2099-03-01 10:00")
    assert mine.interviews.get().meeting_url
    no_reason = post({"status": "放弃"})
    assert no_reason.status_code == 400 and "放弃原因" in json.dumps(no_reason.json(), ensure_ascii=False)
    done = post({"status": "放弃", "reason": "身体原因"})
    assert done.status_code == 200 and done.json()["steps"][-1]["reason"] == "身体原因"
