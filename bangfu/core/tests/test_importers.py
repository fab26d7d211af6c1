"""`bangfu import`: one command for every kind of file; an app plugs its importer in and gets the same checks
and exit statuses (0 done, 3 rows rejected, 1 failed, 2 usage)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.core import importers
from bangfu.core.importers import Importer, Outcome


def test_every_installed_importer_is_a_kind_of_the_command():
    kinds = [i.kind for i in importers.importers()]
    assert sorted(kinds) == [
        "designations",
        "duty",
        "employment",
        "followups",
        "jobs",
        "posts",
        "registry",
        "targets",
        "training",
    ]
    assert len(set(kinds)) == len(kinds)


@pytest.fixture
def sample_kind(monkeypatch):
    """A kind of file a new app would add: its run sees the area the command resolved and its own option."""
    seen = {}

    def run(area, path, *, report, options):
        seen.update(area=area.code, path=path, report=report, strict=options["strict"])
        rows = path.read_text(encoding="utf-8").splitlines()
        bad = [r for r in rows if r.startswith("x")]
        if not rows:
            return Outcome(True, "文件是空的。")
        return Outcome(False, f"导入 {len(rows) - len(bad)} 行", len(bad), str(report or "报告.xlsx"))

    def add_arguments(parser):
        parser.add_argument("--strict", action="store_true")

    monkeypatch.setitem(
        importers._IMPORTERS, "sample", Importer("sample", "样例", "区域", run, add_arguments)
    )
    return seen


def test_a_registered_importer_gets_the_checks_and_exit_statuses(areas, tmp_path, sample_kind):
    good = tmp_path / "good.txt"
    good.write_text("a\nb\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "sample", str(good), "--area", "433124", "--strict", stdout=out)
    assert "导入 2 行" in out.getvalue()
    assert sample_kind == {"area": "433124000000", "path": good, "report": None, "strict": True}

    mixed = tmp_path / "mixed.txt"
    mixed.write_text("a\nx\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(SystemExit) as rejected:
        call_command("import", "sample", str(mixed), "--area", "433124", "--report", "r.xlsx", stderr=err)
    assert rejected.value.code == 3 and "有 1 行未导入" in err.getvalue() and "r.xlsx" in err.getvalue()

    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("import", "sample", str(empty), "--area", "433124")
    assert failed.value.returncode == 1 and "文件是空的" in str(failed.value)

    with pytest.raises(CommandError) as missing:
        call_command("import", "sample", str(tmp_path / "none.txt"), "--area", "433124")
    assert missing.value.returncode == 2
    with pytest.raises(CommandError) as unknown_area:
        call_command("import", "sample", str(good), "--area", "990000")
    assert unknown_area.value.returncode == 2 and "不存在" in str(unknown_area.value)
