"""`bangfu match` (EXCHANGE.md §4) on a real database: a designed world, whose best matches are known by
construction and whose decoy jobs each break one hard limit, goes through the real command; the file must
hold no violating pair, and each laborer's designed job must be in their top 5 for at least 98%, for each
way of writing the wish (name, code, the code of a larger group, several in one cell)."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.audit.models import Action, AuditEvent
from bangfu.matching.tests import designed
from bangfu.matching.tests.conftest import save_world

HEADER = ["证件号码", "岗位编号", "统一社会信用代码", "排名", "得分", "理由"]


def read_rows(path):
    if path.suffix == ".csv":
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        return rows[0], rows[1:]
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    rows = [
        [v if isinstance(v, str) else f"{v:g}" if isinstance(v, float) else str(v) for v in row]
        for row in rows
    ]
    return rows[0], rows[1:]


@pytest.fixture
def big_world(db, areas):
    on = dt.date.today()
    laborers, jobs = designed.build(300, on=on, background=400)
    people, saved = save_world(laborers, jobs, on)
    return laborers, jobs, people, saved, on


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_designed_best_jobs_come_first_and_no_limit_is_broken(big_world, tmp_path, suffix, capsys):
    laborers, jobs, people, saved, on = big_world
    out = tmp_path / f"匹配结果{suffix}"
    call_command("match", "--area", "4331", "--top", "10", "--out", str(out))
    assert "300 名有就业意愿的劳动力" in capsys.readouterr().out
    header, rows = read_rows(out)
    assert header == HEADER
    by_id = {people[lab.key].id_number: lab for lab in laborers}
    by_number = {j.number: j for j in jobs}
    credit = {j.number: saved[j.key].employer.credit_code for j in jobs}
    violations, ranks = [], {}
    for id_number, number, credit_code, rank, score, reasons in rows:
        lab, job = by_id[id_number], by_number[number]
        assert credit_code == credit[number]
        assert 0 <= float(score) <= 100 and reasons
        broken = designed.violates(lab, job, on)
        if broken:
            violations.append((lab.key, number, broken))
        if job.designed_for == lab.key:
            ranks[lab.key] = int(float(rank))
    assert not violations
    in_top5 = sum(1 for lab in laborers if ranks.get(lab.key, 99) <= 5)
    assert in_top5 / len(laborers) >= 0.98, in_top5
    # whether the wish is written as a name, a code, its 小类's code or two codes in one cell (EXCHANGE.md §1)
    for form in designed.WISH_FORMS:
        these = [lab for lab in laborers if designed.wish_form(lab) == form]
        hits = sum(1 for lab in these if ranks.get(lab.key, 99) <= 5)
        assert len(these) >= 70 and hits / len(these) >= 0.98, (form, hits, len(these))
    # every decoy kind was there to be refused
    assert {j.breaks for j in jobs if j.breaks} == set(designed.LIMITS)
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__contains="命令行人岗匹配").exists()


def test_usage_errors_exit_with_2(areas, tmp_path):
    for args in (
        ["--area", "999999", "--out", str(tmp_path / "a.csv")],
        ["--area", "4331", "--out", str(tmp_path / "a.txt")],
        ["--area", "4331", "--out", str(tmp_path / "nowhere" / "a.csv")],
        ["--area", "4331", "--top", "0", "--out", str(tmp_path / "a.csv")],
        ["--area", "4331", "--out", str(tmp_path)],
    ):
        with pytest.raises(CommandError) as error:
            call_command("match", *args)
        assert error.value.returncode == 2, args


def test_a_failed_run_exits_with_1_and_leaves_no_file(world, tmp_path):
    target = tmp_path / ("长" * 100 + ".csv")  # longer than a file name may be: writing fails
    with pytest.raises(CommandError) as error:
        call_command("match", "--area", "433124", "--out", str(target))
    assert error.value.returncode == 1
    assert "匹配失败" in str(error.value)
    assert not list(tmp_path.iterdir())


def test_the_area_limits_the_laborers(world, tmp_path):
    out = tmp_path / "b.csv"
    call_command("match", "--area", "433123", "--out", str(out))
    _, rows = read_rows(out)
    ids = {p.id_number: p for p in world["people"].values()}
    assert rows and all(ids[row[0]].area_id.startswith("433123") for row in rows)
