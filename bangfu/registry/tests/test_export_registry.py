"""Export writes the §1 columns; export → import changes nothing; the command limits to its area."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.audit.models import Action, AuditEvent
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person
from bangfu.registry.rows import EXPORT_COLUMNS
from bangfu.registry.tests.conftest import messy_rows, person, pid, write_xlsx


def imported(tmp_path, areas):
    rows = [r for r, ok in messy_rows() if ok is True]
    rows.append(person("B1", "田大山", pid("1980-01-01", 51, "433123"), code="433123109225"))
    path = write_xlsx(tmp_path / "in.xlsx", rows)
    run_registry_import(create_import_batch(area=areas["city"], user=None, path=path))
    return rows


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_changes_nothing(areas, tmp_path, fmt):
    imported(tmp_path, areas)
    out = tmp_path / f"out.{fmt}"
    call_command("export", "registry", "--area", "4331", "--out", str(out), stdout=io.StringIO())
    before = list(Person.objects.order_by("id").values())
    batch = run_registry_import(create_import_batch(area=areas["city"], user=None, path=out))
    assert batch.error_rows == 0 and batch.created == 0 and batch.updated == 0
    assert batch.unchanged == len(before)
    after = list(Person.objects.order_by("id").values())
    assert [{k: v for k, v in p.items() if k != "updated_at"} for p in after] == [
        {k: v for k, v in p.items() if k != "updated_at"} for p in before
    ]
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_csv_export_is_formula_safe_and_imports_back_unchanged(areas, tmp_path):
    """Free text that Excel would run as a formula (就业意向 =…, 培训意愿 -…, a 户编号 +…) is
    written with a leading apostrophe, and the import takes it away: export → import changes nothing."""
    rows = [
        person("+H1", "龙三", pid("1980-01-01", 61), 就业意向='=HYPERLINK("http://example.com","点")'),
        person("+H1", "龙四", pid("1982-02-02", 62), "配偶", "女", 培训意愿="-电工"),
    ]
    run_registry_import(
        create_import_batch(area=areas["city"], user=None, path=write_xlsx(tmp_path / "in.xlsx", rows))
    )
    assert Person.objects.filter(job_wish__startswith="=").count() == 1
    out = tmp_path / "out.csv"
    call_command("export", "registry", "--area", "4331", "--out", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text and ",'-电工," in text and "'+H1" in text
    before = list(Person.objects.order_by("id").values())
    batch = run_registry_import(create_import_batch(area=areas["city"], user=None, path=out))
    assert batch.error_rows == 0 and batch.updated == 0 and batch.unchanged == 2
    after = list(Person.objects.order_by("id").values())
    assert [{k: v for k, v in p.items() if k != "updated_at"} for p in after] == [
        {k: v for k, v in p.items() if k != "updated_at"} for p in before
    ]


def test_export_is_limited_to_the_area(areas, tmp_path):
    imported(tmp_path, areas)
    out = tmp_path / "a.csv"
    call_command("export", "registry", "--area", "433124", "--out", str(out), stdout=io.StringIO())
    text = out.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0].split(",") == list(EXPORT_COLUMNS)
    assert "龙春生" in text and "田大山" not in text
    assert len(text.strip().splitlines()) == 1 + Person.objects.for_area(areas["county_a"]).count()


def test_export_usage_errors(areas, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("export", "registry", "--area", "433124", "--out", str(tmp_path / "x.pdf"))
    assert info.value.returncode == 2 and "xlsx 或 csv" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("export", "registry", "--area", "12", "--out", str(tmp_path / "x.csv"))
    assert info.value.returncode == 2
