"""Every import's template, downloaded from 数据交换说明, is read by that import with no error and carries
every column the import knows; the page and the document list the same columns and values."""

from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from bangfu.compare import sources
from bangfu.compare.reader import read_source
from bangfu.formats.catalog import catalog, markdown
from bangfu.jobs import rows as job_rows
from bangfu.jobs.actions import validate_jobs_file
from bangfu.registry import rows as registry_rows
from bangfu.registry.importer import validate_file

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[3] / "docs" / "exchange.md"


def download(client, key, tmp_path) -> Path:
    response = client.get(f"/formats/{key}/template.xlsx")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    path = tmp_path / f"{key}.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    return path


def sheets(path: Path):
    book = CalamineWorkbook.from_path(str(path))
    data, guide = (book.get_sheet_by_index(i).to_python() for i in (0, 1))
    return data, guide


def known(columns) -> set[str]:
    return {c.name for c in columns}


def test_the_registry_template_imports_with_no_error(client_for, users, tmp_path):
    path = download(client_for(users["county_a"]), "registry", tmp_path)
    rows, guide = sheets(path)
    assert set(rows[0]) == known(registry_rows.COLUMNS)
    validation = validate_file(path, users["county_a"].area)
    assert validation.problems == [] and validation.total_rows == 1
    assert validation.records.height == 1
    assert not any("忽略" in w for w in validation.warnings)
    # The explanation sheet lists each column with the import's own allowed values.
    explained = {row[0]: row[2] for row in guide if row and row[0] in rows[0]}
    assert explained["与户主关系"] == "、".join(registry_rows.ENUMS["与户主关系"][0])
    assert explained["是否低保"] == "是、否"


def test_the_jobs_template_imports_with_no_error(client_for, users, tmp_path):
    path = download(client_for(users["county_a"]), "jobs", tmp_path)
    rows, _guide = sheets(path)
    assert set(rows[0]) == known(job_rows.COLUMNS)
    validation = validate_jobs_file(path, users["county_a"].area)
    assert validation.problems == [] and len(validation.records) == 1
    assert not any("忽略" in w for w in validation.warnings)


def test_the_followups_template_is_read_with_no_error_but_its_made_up_person(client_for, users, tmp_path):
    from bangfu.tracking import rows as visit_rows
    from bangfu.tracking.importer import validate_visits_file

    path = download(client_for(users["county_a"]), "followups", tmp_path)
    rows, guide = sheets(path)
    assert set(rows[0]) == known(visit_rows.COLUMNS)
    validation = validate_visits_file(path, users["county_a"].area)
    assert validation.total_rows == 1 and not any("忽略" in w for w in validation.warnings)
    # Every value is right; only the example person is not in the registry.
    assert [(e.column, e.message[-10:]) for p in validation.problems for e in p.errors] == [
        ("证件号码", "名册中没有此证件号码")
    ]
    explained = {row[0]: row[2] for row in guide if row and row[0] in rows[0]}
    assert explained["回访结果"] == "在岗、已离职、返乡、不愿就业、联系不上"


def test_the_employment_template_is_read_with_no_error_but_its_made_up_person(client_for, users, tmp_path):
    from bangfu.employment import rows as employment_rows
    from bangfu.employment.importer import validate_file as validate_employment_file
    from bangfu.employment.models import Channel, EndReason

    path = download(client_for(users["county_a"]), "employment", tmp_path)
    rows, guide = sheets(path)
    assert set(rows[0]) == known(employment_rows.COLUMNS)
    validation = validate_employment_file(path, users["county_a"].area)
    assert validation.total_rows == 1 and not any("忽略" in w for w in validation.warnings)
    assert [(e.column, e.message[-10:]) for p in validation.problems for e in p.errors] == [
        ("证件号码", "名册中没有此证件号码")
    ]
    explained = {row[0]: row[2] for row in guide if row and row[0] in rows[0]}
    assert explained["就业渠道"] == "、".join(Channel.values) == "、".join(employment_rows.CHANNELS)
    assert explained["离职原因"] == "、".join(EndReason.values) == "、".join(employment_rows.END_REASONS)


@pytest.mark.parametrize("code", list(sources.TYPES))
def test_each_comparison_template_is_read_with_no_error(code, client_for, users, tmp_path):
    path = download(client_for(users["county_a"]), f"compare-{code}", tmp_path)
    rows, _guide = sheets(path)
    source_type = sources.TYPES[code]
    assert set(rows[0]) == known(source_type.columns)
    result = read_source(path, source_type)
    assert result.problems == [] and result.valid_rows == 1
    assert result.warnings == []


def test_an_outsider_gets_examples_in_their_own_area(client_for, users, tmp_path):
    rows, _ = sheets(download(client_for(users["county_b"]), "registry", tmp_path))
    example = dict(zip(rows[0], rows[1], strict=True))
    assert example["行政区划代码"].startswith("433123")
    assert validate_file(tmp_path / "registry.xlsx", users["county_b"].area).problems == []


def test_an_unknown_template_is_404(client_for, users):
    assert client_for(users["county_a"]).get("/formats/nothing/template.xlsx").status_code == 404


def test_the_page_lists_every_layout_and_is_linked_from_every_upload_page(client_for, users):
    client = client_for(users["county_a"])
    page = client.get("/formats/").content.decode()
    for layout in catalog().layouts:
        assert f'id="{layout.key}"' in page and f"/formats/{layout.key}/template.xlsx" in page
    for upload, keys in (
        ("/registry/imports/new/", ["registry"]),
        ("/jobs/imports/new/", ["jobs"]),
        ("/compare/new/", [f"compare-{code}" for code in sources.TYPES]),
        ("/rules/load/", ["rules"]),
    ):
        html = client.get(upload).content.decode()
        assert "/formats/#" in html, upload
        for key in keys:
            assert f"/formats/{key}/template.xlsx" in html, (upload, key)
    assert 'href="/formats/"' in client.get("/").content.decode()  # the menu


def test_the_document_in_the_repository_is_the_catalog():
    assert DOC.read_text(encoding="utf-8") == markdown(), (
        "regenerate: python -m bangfu.formats > docs/exchange.md"
    )


@pytest.mark.parametrize(
    ("key", "upload", "model"),
    [
        ("registry", "/registry/imports/new/", "registry.ImportBatch"),
        ("jobs", "/jobs/imports/new/", "jobs.JobImport"),
    ],
)
def test_unknown_columns_are_listed_once_on_the_result(key, upload, model, client_for, users, tmp_path):
    from django.apps import apps
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.exchange.report import write_table

    client = client_for(users["county_a"])
    rows, _ = sheets(download(client, key, tmp_path))
    path = tmp_path / "with-extra.csv"
    write_table(path, [*rows[0], "备注甲"], [[*rows[1], "随便写"]])
    client.post(upload, {"file": SimpleUploadedFile("名单.csv", path.read_bytes())})
    batch = apps.get_model(model).objects.latest("pk")
    assert batch.status == "done" and batch.error_rows == 0
    assert batch.message.count("备注甲") == 1
