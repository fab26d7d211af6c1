"""The targets file's row checks and the rules of cumulative monthly targets (targets/rows.py), without a
database."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bangfu.targets import rows

FIGURES = {"务工人数": "employed", "有组织输出人数": "organized"}


def _row(**cells):
    base = {rows.YEAR: 2026, rows.AREA: "433124", rows.FIGURE: "务工人数", rows.VALUE: "1200"}
    base.update(cells)
    return rows.clean_target_row(base, figures=FIGURES)


def test_a_good_row_becomes_a_target_with_its_area_padded_and_months_kept():
    record, errors = _row(**{"3月": 300, "6月": "600", "12月": 1200.0})
    assert errors == []
    assert record.key == (2026, "433124000000", "employed")
    assert record.value == 1200
    assert record.monthly[2] == 300 and record.monthly[5] == 600 and record.monthly[11] == 1200
    assert record.monthly[0] is None


def test_each_bad_cell_is_named_with_its_reason():
    record, errors = _row(
        **{rows.YEAR: "二〇二六", rows.AREA: "43312", rows.FIGURE: "就业人数", rows.VALUE: "-5"}
    )
    assert record is None
    by_column = {e.column: e.message for e in errors}
    assert by_column[rows.YEAR] == "应为不小于 0 的整数"
    assert "2、4、6、9 或 12 位" in by_column[rows.AREA]
    assert by_column[rows.FIGURE] == "只能填写：务工人数、有组织输出人数"
    assert by_column[rows.VALUE] == "应为不小于 0 的整数"


def test_required_cells_are_required():
    record, errors = rows.clean_target_row({}, figures=FIGURES)
    assert record is None
    assert {e.column for e in errors if e.message == "必填"} == {
        rows.YEAR,
        rows.AREA,
        rows.FIGURE,
        rows.VALUE,
    }


def test_months_must_not_decrease_nor_pass_the_year_and_december_ends_at_it():
    record, errors = _row(**{"3月": 500, "4月": 400, "5月": 1300, "12月": 1100})
    assert record is None
    messages = {e.column: e.message for e in errors}
    assert messages["4月"] == "月度目标为累计数，不能小于3月的 500"
    assert messages["5月"] == "累计月度目标不能超过年度目标 1200"
    assert messages["12月"] == "12月累计目标应等于年度目标 1200"


def test_the_schedule_is_the_latest_month_given_and_the_year_in_december():
    months = [None, None, 300, None, None, 600] + [None] * 6
    assert rows.schedule(1200, months, 1) is None
    assert rows.schedule(1200, months, 3) == 300
    assert rows.schedule(1200, months, 5) == 300
    assert rows.schedule(1200, months, 11) == 600
    assert rows.schedule(1200, months, 12) == 1200


def test_a_shortfall_is_named_in_chinese():
    assert rows.split_shortfall(100, {"a": 40, "b": 50}) == 10
    assert rows.split_shortfall(100, {"a": 60, "b": 50}) == 0
    message = rows.shortfall_message("花垣县", "务工人数", 2026, 100, 90)
    assert message == "2026年花垣县“务工人数”目标为 100，下级目标合计 90，还差 10，分解不能少于上级目标"


@st.composite
def schedules(draw):
    """A year's target and cumulative months as people write them: rising, some left out, 12月 the target."""
    value = draw(st.integers(0, 10_000))
    months = [*sorted(draw(st.lists(st.integers(0, value), min_size=11, max_size=11))), value]
    holes = draw(st.lists(st.booleans(), min_size=12, max_size=12))
    return value, [None if hole else m for m, hole in zip(months, holes, strict=True)]


QUICK = settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)


@QUICK
@given(schedules())
def test_rising_months_are_accepted_and_their_schedule_rises_to_the_year(case):
    value, months = case
    assert rows.monthly_problems(value, months) == []
    schedule = [rows.schedule(value, months, m) or 0 for m in range(1, 13)]
    assert schedule == sorted(schedule) and schedule[-1] == value


@QUICK
@given(schedules(), st.integers(0, 10), st.integers(1, 500))
def test_a_month_below_an_earlier_one_or_above_the_year_is_named(case, index, amount):
    value, months = case
    earlier = next((m for m in reversed(months[:index]) if m is not None), None)
    months[index] = (earlier - amount) if earlier is not None and earlier >= amount else value + amount
    problems = dict(rows.monthly_problems(value, months))
    assert rows.MONTHS[index] in problems
