"""Matching pages: a laborer's 推荐岗位 with reasons and a 推荐 button posting to the referrals app, a job's
candidates within the user's subtree (masked), area runs in the background with their file; outsiders 404."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import make_user
from bangfu.matching.actions import execute_run
from bangfu.matching.models import MatchRun, RunStatus
from bangfu.referrals.models import Referral


def designed_job(world, key):
    job = next(j for j in world["jobs"] if j.designed_for == key)
    return world["saved"][job.key]


def test_person_page_lists_the_best_jobs_with_reasons(world, users, client_for):
    person = world["people"][0]  # county A (433124)
    best = designed_job(world, 0)
    response = client_for(users["county_a"]).get(reverse("matching:person", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    text = response.content.decode()
    assert best.title in text and "岗位职业与就业意向一致" in text
    rows = response.context["rows"]
    assert rows[0][1].pk == best.pk and rows[0][0].rank == 1
    # the 推荐 button posts person, job, score and reasons to the referrals app
    assert f'action="{reverse("referrals:create")}"' in text
    assert f'name="job" value="{best.pk}"' in text and 'name="reasons"' in text


def test_refer_from_the_person_page(world, users, client_for):
    person, best = world["people"][0], designed_job(world, 0)
    client = client_for(users["county_a"])
    match = client.get(reverse("matching:person", kwargs={"pk": person.pk})).context["rows"][0][0]
    response = client.post(
        reverse("referrals:create"),
        {"person": person.pk, "job": best.pk, "score": match.score, "reasons": match.reasons},
    )
    assert response.status_code == 302
    referral = Referral.objects.get(person=person, job=best)
    assert float(referral.score) == pytest.approx(match.score)


def test_county_b_gets_404_on_county_a_person(world, users, client_for):
    person = world["people"][0]
    assert person.area_id.startswith("433124")
    response = client_for(users["county_b"]).get(reverse("matching:person", kwargs={"pk": person.pk}))
    assert response.status_code == 404


def test_job_page_lists_candidates_of_the_users_subtree_only_masked(world, users, client_for):
    best = designed_job(world, 0)
    person = world["people"][0]
    seen_by_a = client_for(users["county_a"]).get(reverse("matching:job", kwargs={"pk": best.pk}))
    assert seen_by_a.status_code == 200
    text = seen_by_a.content.decode()
    assert person.masked_id in text and person.id_number not in text
    assert all(p.area_id.startswith("433124") for _, p in seen_by_a.context["rows"])
    # county B may open the open posting, but sees only its own laborers
    seen_by_b = client_for(users["county_b"]).get(reverse("matching:job", kwargs={"pk": best.pk}))
    assert seen_by_b.status_code == 200
    assert person.masked_id not in seen_by_b.content.decode()
    assert all(p.area_id.startswith("433123") for _, p in seen_by_b.context["rows"])


def test_area_run_in_the_background_and_its_file(
    world, users, client_for, django_capture_on_commit_callbacks
):
    client = client_for(users["county_a"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("matching:run_list"), {"top": "5"})
    run = MatchRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "matching:run_detail", kwargs={"pk": run.pk}
    )
    assert len(callbacks) == 1  # the task is queued once the run is saved
    assert run.status == RunStatus.PENDING and run.area == users["county_a"].area
    poll = client.get(reverse("matching:run_detail", kwargs={"pk": run.pk}), HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 2s"' in poll.content.decode()
    execute_run(run)  # what the worker does
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.laborers == 20 and run.pairs > 0
    page = client.get(reverse("matching:run_detail", kwargs={"pk": run.pk})).content.decode()
    assert "下载结果" in page and "every 2s" not in page
    download = client.get(reverse("matching:run_file", kwargs={"pk": run.pk}))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"  # an .xlsx
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__startswith="下载人岗匹配结果").exists()


def test_without_sensitive_rights_no_run_and_no_file(world, users, client_for, areas):
    viewer = make_user("u_viewer_a", areas["county_a"], can_view_sensitive=False)
    client = client_for(viewer)
    assert client.post(reverse("matching:run_list"), {"top": "5"}).status_code == 403
    assert not MatchRun.objects.exists()
    run = MatchRun.objects.create(area=areas["county_a"], user=users["county_a"], status=RunStatus.DONE)
    run.file.save("r.csv", ContentFile(b"x"))
    assert client.get(reverse("matching:run_file", kwargs={"pk": run.pk})).status_code == 403
    page = client.get(reverse("matching:run_list")).content.decode()
    assert "只有有敏感信息查看权限的用户可以发起区域匹配" in page and "开始匹配" not in page
