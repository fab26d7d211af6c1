"""The comparison pages and API: upload a run, see its counts, review findings one by one and in bulk,
exports masked unless the user may see whole ID numbers, the 联系不上 list."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.compare.models import ChangeKind, ComparisonRun, Finding, Kind, RunStatus, Status
from bangfu.compare.tests.conftest import LONG, MA, SHI, WU, compare, fresh, write_source
from bangfu.conftest import make_user
from bangfu.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def medical_run(users, people, tmp_path):
    # The registry already holds last year's status: the file's changes are findings of their own (a
    # value the registry never held is filled by village instead; test_fills.py).
    Person.objects.filter(pk__in=[people["long"].pk, people["shi"].pk]).update(
        medical_insured_year=2024, medical_status="未参保"
    )
    path = write_source(
        tmp_path / "医保.xlsx",
        [
            {"姓名": "龙春生", "证件号码": LONG, "参保年度": "2025", "参保状态": "参保"},
            {"姓名": "石秀英", "证件号码": SHI, "参保年度": "2025", "参保状态": "参保"},
        ],
    )
    return compare(users["county_a"], "medical-insurance", path)


def test_upload_a_run_and_see_its_counts(users, people, client_for, tmp_path):
    client = client_for(users["county_a"])
    assert client.get(reverse("compare:run_new")).status_code == 200
    path = write_source(
        tmp_path / "死亡.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )
    response = client.post(
        reverse("compare:run_new"),
        {
            "source_type": "death",
            "threshold": "0.9",
            "auto_apply": [],
            "file": SimpleUploadedFile("死亡.xlsx", path.read_bytes()),
        },
    )
    run = ComparisonRun.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "compare:run_detail", kwargs={"pk": run.pk}
    )
    assert run.status == RunStatus.DONE and run.user == users["county_a"] and run.auto_apply == []
    page = client.get(response.url).content.decode()
    assert "精确匹配" in page and "死亡（标记已故）" in page and "下载 results.csv" in page
    # The exact match is counted with a pointer to results.csv, not a link to an empty list.
    assert 'id="exact-matches"' in page and f"?run={run.pk}&amp;kind=exact" not in page
    assert "不逐条列出" in client.get(reverse("compare:finding_list") + "?kind=exact").content.decode()
    assert (
        "龙春生"
        in client.get(reverse("compare:finding_list") + f"?run={run.pk}&kind=conflict").content.decode()
    )
    assert "死亡.xlsx" in client.get(reverse("compare:run_list")).content.decode()


def test_upload_form_errors_are_chinese(users, client_for):
    response = client_for(users["county_a"]).post(
        reverse("compare:run_new"),
        {"source_type": "", "threshold": "2", "file": SimpleUploadedFile("a.pdf", b"x")},
    )
    page = response.content.decode()
    assert "请选择比对数据类型" in page and "阈值应小于 1" in page and "只能上传" in page
    assert not ComparisonRun.objects.exists()


def test_progress_fragment_for_htmx(users, people, medical_run, client_for):
    response = client_for(users["county_a"]).get(
        reverse("compare:run_detail", kwargs={"pk": medical_run.pk}), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert 'id="run-progress"' in text and "<html" not in text


def test_finding_detail_shows_source_beside_registry_masked(users, people, medical_run, client_for):
    finding = Finding.objects.get(run=medical_run, person=people["long"], kind=Kind.CONFLICT)
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    page = (
        client_for(plain).get(reverse("compare:finding_detail", kwargs={"pk": finding.pk})).content.decode()
    )
    assert "来源记录与名册对照" in page and "参保年度" in page and "医保参保状态" in page
    assert LONG not in page and LONG[:6] + "********" + LONG[-4:] in page
    assert not AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE).exists()
    page = client_for(users["county_a"]).get(reverse("compare:finding_detail", kwargs={"pk": finding.pk}))
    assert LONG in page.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE, object_type="compare.finding").count() == 1


def test_a_finding_flags_its_person_on_trackings_unreachable_list(users, people, medical_run, client_for):
    from bangfu.tracking.models import Unreachable

    finding = Finding.objects.get(run=medical_run, person=people["long"], kind=Kind.CONFLICT)
    client = client_for(users["county_a"])
    url = reverse("compare:finding_detail", kwargs={"pk": finding.pk})
    flag_url = reverse("tracking:unreachable_flag", kwargs={"person_pk": people["long"].pk})
    assert flag_url in client.get(url).content.decode()
    response = client.post(flag_url, {"note": "电话停机", "next": url})
    assert response.status_code == 302 and response.url == url
    assert Unreachable.objects.get(cleared_at__isnull=True).person == people["long"]
    page = client.get(url).content.decode()
    assert "联系不上</span>" in page and flag_url not in page


def test_registry_side_reads_who_the_person_is_from_the_person(users, people, medical_run, client_for):
    """A finding keeps only the registry values it compares; name, ID number … come from the person."""
    finding = Finding.objects.get(run=medical_run, person=people["long"], kind=Kind.CONFLICT)
    assert "证件号码" not in finding.registry and "医保参保状态" in finding.registry
    assert (
        finding.registry_shown["证件号码"] == LONG and finding.registry_shown["姓名"] == people["long"].name
    )
    finding.row_no = None  # no source row: the ID shown must come from the person
    finding.save(update_fields=["row_no"])
    page = client_for(users["county_a"]).get(reverse("compare:finding_detail", kwargs={"pk": finding.pk}))
    text = page.content.decode()
    assert LONG in text and people["long"].name in text and "医保参保状态" in text
    data = client_for(users["county_a"]).get(reverse("comparison-finding-detail", kwargs={"pk": finding.pk}))
    registry = data.json()["registry"]
    assert registry["证件号码"] == LONG[:6] + "********" + LONG[-4:] and "医保参保状态" in registry


def test_accept_and_reject_on_the_detail_page(users, people, medical_run, client_for):
    client = client_for(users["county_a"])
    long = Finding.objects.get(run=medical_run, person=people["long"], kind=Kind.CONFLICT)
    shi = Finding.objects.get(run=medical_run, person=people["shi"], kind=Kind.CONFLICT)
    url = reverse("compare:finding_decide", kwargs={"pk": long.pk})
    assert client.post(url, {"decision": "accept"}).status_code == 302
    client.post(
        reverse("compare:finding_decide", kwargs={"pk": shi.pk}), {"decision": "reject", "note": "已核实"}
    )
    assert fresh(people["long"]).medical_status == "参保" and fresh(people["shi"]).medical_status == "未参保"
    assert Finding.objects.get(pk=shi.pk).outcome == "驳回：已核实"
    person_page = client.get(
        reverse("registry:person_detail", kwargs={"pk": people["long"].pk})
    ).content.decode()
    assert "医保参保状态" in person_page and "比对" in person_page


def test_bulk_selected_and_all_matching(users, people, medical_run, client_for):
    client = client_for(users["county_a"])
    missing = list(Finding.objects.filter(run=medical_run, kind=Kind.MISSING).order_by("id"))
    assert {f.person_id for f in missing} == {people["wu"].pk, people["ma"].pk}
    response = client.post(
        reverse("compare:finding_bulk"),
        {"do": "reject:selected", "ids": [missing[0].pk], "next": "status=open"},
    )
    assert response.status_code == 302 and response.url.endswith("?status=open")
    assert Finding.objects.get(pk=missing[0].pk).status == Status.REJECTED
    client.post(
        reverse("compare:finding_bulk"), {"do": "accept:all", "run": medical_run.pk, "kind": "missing"}
    )
    assert Finding.objects.get(pk=missing[1].pk).status == Status.ACCEPTED
    assert Finding.objects.filter(run=medical_run, kind=Kind.CONFLICT, status=Status.OPEN).count() == 2
    assert fresh(missing[1].person).medical_status == "未参保"


def test_bulk_from_another_county_changes_nothing(users, people, medical_run, client_for):
    ids = list(Finding.objects.filter(run=medical_run).values_list("pk", flat=True))
    client = client_for(users["county_b"])
    client.post(reverse("compare:finding_bulk"), {"do": "accept:selected", "ids": ids})
    client.post(reverse("compare:finding_bulk"), {"do": "accept:all", "run": medical_run.pk})
    assert not Finding.objects.filter(status=Status.ACCEPTED).exists()
    assert fresh(people["long"]).medical_status == "未参保"


def test_export_findings_masked_unless_sensitive_and_audited(users, people, medical_run, client_for):
    url = reverse("compare:finding_export") + f"?run={medical_run.pk}&kind=conflict"
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    for user, shown in ((plain, LONG[:6] + "********" + LONG[-4:]), (users["county_a"], LONG)):
        response = client_for(user).get(url)
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(response.streaming_content)))
        rows = book.get_sheet_by_index(0).to_python()
        assert rows[0][:3] == ["批次", "比对数据类型", "类型"] and len(rows) == 3
        assert shown in [r[7] for r in rows[1:]]
    events = AuditEvent.objects.filter(action=Action.EXPORT, message__startswith="导出比对结果")
    assert events.count() == 2 and any("已脱敏" in e.message for e in events)


def test_export_beyond_an_excel_sheet_counts_the_people_of_fills(
    users, people, client_for, tmp_path, monkeypatch
):
    from bangfu.exchange import report

    path = write_source(
        tmp_path / "社保.xlsx",
        [
            {"姓名": name, "证件号码": number, "险种": "城乡居民养老保险", "参保状态": "参保缴费"}
            for name, number in (("龙春生", LONG), ("石秀英", SHI), ("吴建国", WU))
        ],
    )
    run = compare(users["county_a"], "social-insurance", path)
    client = client_for(users["county_a"])
    url = reverse("compare:finding_export")
    monkeypatch.setattr(report, "EXCEL_MAX_ROWS", 5)  # 4 lines fit: the fill's 3 people and 麻老三's 未参保
    rows = (
        CalamineWorkbook.from_filelike(
            io.BytesIO(b"".join(client.get(url, {"run": run.pk}).streaming_content))
        )
        .get_sheet_by_index(0)
        .to_python()
    )
    assert len(rows) == 5
    monkeypatch.setattr(report, "EXCEL_MAX_ROWS", 4)
    response = client.get(url, {"run": run.pk}, follow=True)
    assert "共 4 行，超过 Excel 工作表的行数上限（3 行）" in response.content.decode()
    assert response.redirect_chain[0][0] == reverse("compare:finding_list") + f"?run={run.pk}"
    csv_lines = b"".join(client.get(url, {"run": run.pk, "format": "csv"}).streaming_content)
    assert len(csv_lines.decode("utf-8-sig").splitlines()) == 5
    assert AuditEvent.objects.filter(action=Action.EXPORT).count() == 2  # the refused one is not an export


def test_results_csv_download_is_restricted_and_audited(users, people, medical_run, client_for):
    url = reverse("compare:run_results", kwargs={"pk": medical_run.pk})
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    assert client_for(plain).get(url).status_code == 403
    response = client_for(users["county_a"]).get(url)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.startswith("源行号,源姓名,源证件号码,匹配结果,匹配证件号码,匹配概率,差异")
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__contains="results.csv").count() == 1


def test_api_lists_masked_and_decides(users, people, medical_run, client_for):
    client = client_for(users["county_a"])
    data = client.get(reverse("comparison-finding-list") + f"?run={medical_run.pk}&kind=conflict").json()
    assert data["count"] == 2 and all(LONG not in str(r) and SHI not in str(r) for r in data["results"])
    finding = Finding.objects.get(run=medical_run, person=people["long"], kind=Kind.CONFLICT)
    body = client.post(reverse("comparison-finding-accept", kwargs={"pk": finding.pk})).json()
    assert body["status"] == "accepted" and fresh(people["long"]).medical_status == "参保"
    other = Finding.objects.get(run=medical_run, person=people["shi"], kind=Kind.CONFLICT)
    body = client.post(
        reverse("comparison-finding-reject", kwargs={"pk": other.pk}),
        {"note": "不实"},
        content_type="application/json",
    ).json()
    assert body["status"] == "rejected" and body["outcome"] == "驳回：不实"
    runs = client.get(reverse("comparison-run-list")).json()
    assert runs["results"][0]["source_type"] == "medical-insurance"
    assert client_for(users["county_b"]).get(reverse("comparison-run-list")).json()["count"] == 0


def test_list_query_count_does_not_grow(
    users, people, medical_run, client_for, django_assert_max_num_queries
):
    client = client_for(users["county_a"])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("compare:finding_list") + f"?run={medical_run.pk}").status_code == 200
    assert (
        ChangeKind.MEDICAL.label
        in client.get(reverse("compare:run_detail", kwargs={"pk": medical_run.pk})).content.decode()
    )
    assert MA  # 麻老三 is among the 未参保


def test_disability_findings_hide_health_data_unless_sensitive(users, people, client_for, tmp_path):
    path = write_source(
        tmp_path / "残疾人.xlsx",
        [{"姓名": "麻老三", "证件号码": MA, "残疾类别": "肢体残疾", "残疾等级": "二级"}],
    )
    run = compare(users["county_a"], "disability", path)
    finding = Finding.objects.get(run=run, person=people["ma"], kind=Kind.CONFLICT)
    url = reverse("compare:finding_detail", kwargs={"pk": finding.pk})
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    client = client_for(plain)
    page = client.get(url).content.decode()
    assert "残疾类别" in page and "******" in page and "肢体残疾" not in page and "二级" not in page
    listing = client.get(reverse("compare:finding_list") + f"?run={run.pk}").content.decode()
    assert "残疾信息与名册不一致" in listing and "肢体残疾" not in listing
    api = (
        client_for(users["county_a"])
        .get(reverse("comparison-finding-detail", kwargs={"pk": finding.pk}))
        .json()
    )
    assert "肢体残疾" not in str(api) and api["proposal"]["person"]["disability_category"] == "******"
    page = client_for(users["county_a"]).get(url).content.decode()
    assert "肢体残疾" in page and "人员 · 残疾等级 → 二级" in page
