"""A change to a person's own values stores what the source said; the advice is derived again from the
finding's registry values and proposal (Finding.difference), the same text results.csv holds."""

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.compare.models import ChangeKind, Finding, Kind
from bangfu.compare.tests.conftest import LONG, MA, SHI, compare, lines, write_source
from bangfu.compare.verdicts import ADVICE
from bangfu.registry.models import Person

pytestmark = pytest.mark.django_db

PENSION = "城乡居民养老保险"
FILES = {
    "death": [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}],
    "disability": [{"姓名": "石秀英", "证件号码": SHI, "残疾类别": "肢体残疾", "残疾等级": "三级"}],
    "medical-insurance": [{"姓名": "麻老三", "证件号码": MA, "参保年度": "2025", "参保状态": "参保"}],
    "social-insurance": [{"姓名": "石秀英", "证件号码": SHI, "险种": PENSION, "参保状态": "参保缴费"}],
}
CHANGES = {
    "death": ChangeKind.DEATH,
    "disability": ChangeKind.DISABILITY,
    "medical-insurance": ChangeKind.MEDICAL,
    "social-insurance": ChangeKind.PENSION,
}


@pytest.fixture
def held(people):
    """The registry already holds insurance values (a value it never held is filled by village instead:
    test_fills.py), so that the files' changes are findings of their own."""
    Person.objects.filter(pk=people["ma"].pk).update(medical_insured_year=2024, medical_status="未参保")
    Person.objects.filter(pk=people["shi"].pk).update(pension_insurance=PENSION, pension_status="暂停缴费")


@pytest.mark.parametrize("source_type", sorted(FILES))
def test_the_advice_is_derived_as_results_csv_says_it(source_type, users, people, held, tmp_path):
    run = compare(users["county_a"], source_type, write_source(tmp_path / "来源.xlsx", FILES[source_type]))
    finding = Finding.objects.get(run=run, kind=Kind.CONFLICT, change=CHANGES[source_type])
    assert finding.summary.startswith("来源：") and ADVICE not in finding.summary  # what the source said
    diff = {line["源行号"]: line["差异"] for line in lines(run)}[str(finding.row_no)]
    assert ADVICE in diff and finding.difference == diff
    assert finding.difference.startswith(finding.summary + ADVICE)


def test_a_pension_change_shows_its_advice_everywhere(users, people, held, tmp_path, client_for):
    run = compare(
        users["county_a"], "social-insurance", write_source(tmp_path / "社保.xlsx", FILES["social-insurance"])
    )
    finding = Finding.objects.get(run=run, kind=Kind.CONFLICT, change=ChangeKind.PENSION)
    assert finding.difference == "来源：城乡居民养老保险参保缴费。建议：养老保险参保状态：暂停缴费 → 参保缴费"
    client = client_for(users["county_a"])
    detail = client.get(reverse("compare:finding_detail", kwargs={"pk": finding.pk})).content.decode()
    listed = client.get(reverse("compare:finding_list") + f"?run={run.pk}").content.decode()
    api = client.get(reverse("comparison-finding-detail", kwargs={"pk": finding.pk})).json()
    response = client.get(reverse("compare:finding_export"), {"run": run.pk, "kind": "conflict"})
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    header, *rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    exported = next(r for r in rows if r[header.index("姓名")] == "石秀英")
    for shown in (detail, listed, api["summary"], " ".join(str(v) for v in exported)):
        assert "养老保险参保状态：暂停缴费 → 参保缴费" in shown


def test_findings_that_kept_their_advice_show_it_as_kept(users, people, held, tmp_path):
    run = compare(
        users["county_a"], "social-insurance", write_source(tmp_path / "社保.xlsx", FILES["social-insurance"])
    )
    finding = Finding.objects.get(run=run, kind=Kind.CONFLICT, change=ChangeKind.PENSION)
    finding.summary = "来源：城乡居民养老保险参保缴费。建议：养老保险参保状态：（空） → 参保缴费（旧）"
    assert finding.difference == finding.summary
    unmatched = Finding(kind=Kind.UNMATCHED, summary="名册中未找到此人", proposal={})
    assert unmatched.difference == "名册中未找到此人"


def test_other_changes_store_their_whole_summary(users, people, tmp_path):
    """An employment change (新增就业记录, 务工状态) is not one verdicts.advice writes out: kept whole."""
    row = {
        "姓名": "麻老三",
        "证件号码": MA,
        "单位名称": "广州电子厂",
        "工作地区划代码": "440105",
        "入职日期": "2025-01-05",
    }
    run = compare(users["county_a"], "employment", write_source(tmp_path / "用工备案.xlsx", [row]))
    finding = Finding.objects.get(run=run, kind=Kind.CONFLICT, change=ChangeKind.EMPLOYMENT)
    assert "。建议：新增就业记录；务工状态：未务工 → 省外" in finding.summary
    assert finding.difference == finding.summary
