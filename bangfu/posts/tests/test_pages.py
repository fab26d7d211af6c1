"""The posts pages and API as staff use them: the area's figures and posts, a vacancy's candidates from the
registry, putting a holder on and taking them off from the post page, the poor villages against the rule,
uploading a file, and the API's masked ID numbers."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bangfu.areas.models import Designation
from bangfu.conftest import make_user
from bangfu.core.idnumber import mask_id
from bangfu.exchange.report import write_table
from bangfu.posts.models import Post, PostImport, Spell
from bangfu.posts.tests.factories import hold, post, quota
from bangfu.referrals.tests.factories import VILLAGE_A, make_person


def test_the_index_counts_open_held_and_vacant_posts(users, client_for):
    held = post(VILLAGE_A, title="保洁员")
    post(VILLAGE_A, title="护林员")
    hold(make_person("在岗者"), held, started=dt.date(2025, 1, 1))
    page = client_for(users["county_a"]).get("/posts/")
    summary = page.context["summary"]
    assert (summary.open, summary.held, summary.vacant, summary.holders) == (2, 1, 1, 1)
    assert "护林员" in page.content.decode() and "空缺" in page.content.decode()


def test_a_vacancy_lists_candidates_with_their_reasons_and_a_holder_is_put_on_from_the_page(
    users, client_for
):
    quota(low=2, high=3)
    place = post(VILLAGE_A)
    weak = make_person("弱劳力", labor_skill="弱劳动力或半劳动力")
    older = make_person("老把式", birth="1970-01-01")
    working = make_person("在外打工", labor_skill="弱劳动力或半劳动力", employment_status="省外务工")
    make_person("壮劳力", birth="1995-01-01")  # in a household of his own with nobody working: 零就业户
    client = client_for(users["county_a"])
    page = client.get(f"/posts/{place.pk}/")
    found = {c.person.name: c.reasons for c in page.context["candidates"]}
    assert "弱劳动力或半劳动力" in found["弱劳力"] and "大龄" in found["老把式"]
    assert "零就业户" in found["壮劳力"] and working.name not in found

    answer = client.post(
        f"/posts/{place.pk}/holders/new/", {"id_number": weak.id_number, "started_on": "2026-01-05"}
    )
    assert answer.status_code == 302
    spell = Spell.objects.get(post=place)
    assert spell.person == weak and spell.record.channel == "公益性岗位"
    assert not client.get(f"/posts/{place.pk}/").context["candidates"]  # not vacant any more
    client.post(f"/posts/holders/{spell.pk}/end/", {"ended_on": "2026-03-31"})
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2026, 3, 31) and older.pk


def test_poor_villages_are_judged_against_the_rule_of_their_area(users, client_for):
    Designation.objects.create(area_id=VILLAGE_A, kind="poor_village", starts_on=dt.date(2014, 1, 1))
    post(VILLAGE_A)
    client = client_for(users["county_a"])
    rows = client.get("/posts/villages/").context["rows"]
    assert [(r.area.code, r.posts, r.verdict) for r in rows] == [(VILLAGE_A, 1, "无规则")]
    quota(low=2, high=3)
    rows = client.get("/posts/villages/").context["rows"]
    assert [(r.posts, r.min_posts, r.max_posts, r.verdict) for r in rows] == [(1, 2, 3, "不足")]
    post(VILLAGE_A)
    assert client.get("/posts/villages/").context["rows"][0].verdict == "达标"


def test_a_posts_file_uploaded_on_the_page_is_imported(users, client_for, tmp_path):
    person = make_person("上传者")
    path = tmp_path / "岗位.xlsx"
    header = ["岗位编号", "行政区划代码", "岗位类型", "岗位名称", "证件号码", "姓名", "上岗日期", "离岗日期"]
    write_table(
        path, header, [["UP-1", VILLAGE_A, "其他", "护路员", person.id_number, "上传者", "2026-02-01", ""]]
    )
    client = client_for(users["county_a"])
    upload = SimpleUploadedFile("岗位.xlsx", path.read_bytes())
    answer = client.post("/posts/imports/new/", {"kind": "posts", "file": upload})
    assert answer.status_code == 302
    assert Post.objects.get(number="UP-1").created_by == users["county_a"]
    assert "新增 2" in client.get(answer.url).content.decode()


def test_the_api_masks_id_numbers_and_a_new_post_is_made_on_the_page(users, client_for):
    person = make_person("接口")
    hold(person, post(VILLAGE_A))
    client = client_for(users["county_a"])
    holders = client.get("/api/v1/welfare-post-holders/").json()["results"]
    assert holders[0]["name"] == "接口" and holders[0]["id_number"] != person.id_number
    assert "*" in holders[0]["id_number"]
    form = {"area": VILLAGE_A, "number": "NEW-1", "kind": "其他", "title": "护河员"}
    answer = client.post("/posts/new/", form | {"opened_on": timezone.localdate().isoformat()})
    assert answer.status_code == 302 and Post.objects.filter(number="NEW-1").exists()
    outside = form | {"area": "433123", "number": "NEW-2", "opened_on": "2026-01-01"}
    assert client.post("/posts/new/", outside).status_code == 200
    assert not Post.objects.filter(number="NEW-2").exists()


def test_a_posts_file_s_rejected_id_numbers_are_for_its_uploader_and_those_who_may_see_them(
    users, client_for, tmp_path
):
    path = tmp_path / "岗位.xlsx"
    header = ["岗位编号", "行政区划代码", "岗位类型", "岗位名称", "证件号码", "姓名", "上岗日期", "离岗日期"]
    stranger = "433124199001011234"  # not in the registry: the row is rejected with its ID number
    write_table(path, header, [["UP-2", VILLAGE_A, "其他", "护路员", stranger, "无名", "2026-02-01", ""]])
    uploader = client_for(users["county_a"])
    answer = uploader.post(
        "/posts/imports/new/", {"kind": "posts", "file": SimpleUploadedFile("岗位.xlsx", path.read_bytes())}
    )
    batch = PostImport.objects.get()
    assert answer.status_code == 302 and batch.error_rows == 1
    assert stranger in uploader.get(answer.url).content.decode()
    assert uploader.get(f"/posts/imports/{batch.pk}/report/").status_code == 200
    plain = client_for(make_user("posts_plain", users["county_a"].area, can_view_sensitive=False))
    page = plain.get(answer.url).content.decode()
    assert "第 2 行" in page and stranger not in page and mask_id(stranger) in page
    assert plain.get(f"/posts/imports/{batch.pk}/report/").status_code == 403
    sensitive = client_for(make_user("posts_sensitive", users["county_a"].area, can_view_sensitive=True))
    assert sensitive.get(f"/posts/imports/{batch.pk}/report/").status_code == 200
