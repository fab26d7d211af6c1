"""`bangfu rules load FILE` (EXCHANGE §9): rule versions from a file written by the test, dates in the past
included; every row checked with its row, column and reason in Chinese; a version whole or not at all;
loading again changes nothing; a stored version in force is never changed; rules of §9 the platform does not
have yet are reported, not crashed on; each load audited on the command line."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A
from bangfu.core.rules import RuleInEffectError
from bangfu.exchange.report import write_table
from bangfu.registry.models import LaborAgeRule
from bangfu.rules.kinds import HEADER, KINDS, PLANNED, kind_named
from bangfu.rules.load import parse_value
from bangfu.tracking.models import FollowUpRule, IncomeLineRule, WarningRule

TODAY = timezone.localdate()
LATER = TODAY + dt.timedelta(days=30)


def rules_file(tmp_path, rows, name="规则.csv", header=HEADER[:5]):
    path = tmp_path / name
    write_table(path, header, rows)
    return path


def load(path, *args):
    """(exit status, stdout, stderr) of `bangfu rules load`."""
    out, err = StringIO(), StringIO()
    try:
        call_command("rules", "load", str(path), *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = exc.code
    return status, out.getvalue(), err.getvalue()


HUNAN_2018 = [
    ["劳动年龄", "43", "2018-01-01", "最小年龄", "16"],
    ["劳动年龄", "43", "2018-01-01", "最大年龄", "60"],
    ["就业预警", "433124", "2019-07-01", "离职预警天数", "45"],
    ["跟踪回访", "", "2016-03-01", "未就业间隔天数", "20"],
    ["跟踪回访", "", "2016-03-01", "就业间隔天数", "60"],
]


def test_it_loads_versions_dated_in_the_past_and_they_answer_for_those_days(areas, tmp_path):
    status, out, err = load(rules_file(tmp_path, HUNAN_2018))
    assert status == 0, err
    assert "新增规则版本 3 个" in out
    band = LaborAgeRule.objects.get(region_prefix="43")
    assert (band.effective_from, band.min_age, band.max_age, band.created_by) == (
        dt.date(2018, 1, 1),
        16,
        60,
        None,
    )
    assert LaborAgeRule.objects.in_force(areas["village_a"].code, dt.date(2018, 6, 1)) == band
    assert LaborAgeRule.objects.in_force(areas["village_a"].code, dt.date(2017, 6, 1)).region_prefix == ""
    warning = WarningRule.objects.in_force(areas["village_a"].code, dt.date(2020, 1, 1))
    # 处理期限天数 is not in the file: the version takes the parameter's default
    assert (warning.region_prefix, warning.leave_window_days, warning.handle_days) == (COUNTY_A, 45, 7)
    assert WarningRule.objects.in_force(areas["county_b"].code, dt.date(2020, 1, 1)).leave_window_days == 30
    follow = FollowUpRule.objects.get(region_prefix="", effective_from=dt.date(2016, 3, 1))
    assert (follow.unemployed_interval_days, follow.employed_interval_days) == (20, 60)


def test_each_version_and_the_load_are_audited_on_the_command_line(areas, tmp_path):
    load(rules_file(tmp_path, HUNAN_2018, name="湖南规则.csv"))
    events = AuditEvent.objects.filter(action=Action.CREATE, object_type__in=[
        "registry.laboragerule", "tracking.warningrule", "tracking.followuprule"])  # fmt: skip
    assert events.count() == 3 and {e.channel for e in events} == {"命令行"}
    hunan = events.get(object_type="registry.laboragerule")
    assert hunan.area_code == "430000000000" and "劳动年龄（43，2018-01-01 起）" in hunan.message
    assert hunan.after["max_age"] == 60
    summary = AuditEvent.objects.get(action=Action.IMPORT, message__contains="政策规则")
    assert "湖南规则.csv" in summary.message and "新增规则版本 3 个" in summary.message
    assert summary.channel == "命令行"


def test_loading_the_same_file_again_changes_nothing(areas, tmp_path):
    path = rules_file(tmp_path, HUNAN_2018)
    load(path)
    before = {kind.slug: list(kind.model.objects.values()) for kind in KINDS}
    status, out, _ = load(path)
    assert status == 0 and "新增规则版本 0 个" in out and "相同未变 3 个" in out
    assert {kind.slug: list(kind.model.objects.values()) for kind in KINDS} == before
    assert AuditEvent.objects.filter(action=Action.CREATE).count() == 3  # none for the second load


def test_a_stored_version_in_force_with_other_values_is_refused_and_kept(areas, tmp_path):
    load(rules_file(tmp_path, HUNAN_2018))
    changed = [row[:] for row in HUNAN_2018[:2]]
    changed[1][4] = "59"
    status, _out, err = load(rules_file(tmp_path, changed, name="改.csv"))
    assert status == 3
    assert "第 3 行" in err and "已生效，不能修改（最大年龄现为 60，文件为 59）" in err
    assert "第 2 行" in err  # the whole version is refused, each of its rows says why
    assert LaborAgeRule.objects.get(region_prefix="43").max_age == 60


def test_a_scheduled_version_takes_the_files_values(areas, tmp_path):
    day = LATER.isoformat()
    load(rules_file(tmp_path, [["就业预警", "43", day, "离职预警天数", "40"]]))
    status, out, _ = load(rules_file(tmp_path, [["就业预警", "43", day, "离职预警天数", "50"]], name="2.csv"))
    assert status == 0 and "修改尚未生效的版本 1 个" in out
    assert WarningRule.objects.get(region_prefix="43").leave_window_days == 50
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert event.before["leave_window_days"] == 40 and event.after["leave_window_days"] == 50


def test_the_pension_rules_of_section_9_load_and_an_unknown_rule_is_reported(areas, tmp_path):
    from bangfu.pension.models import PremiumRule, PremiumShareRule

    rows = [
        ["养老保险代缴", "433124", "2024-01-01", "代缴金额", "120"],
        ["代缴分担", "43", "2024-01-01", "省级比例", "60"],
        ["代缴分担", "43", "2024-01-01", "市级比例", "20"],
        ["代缴分担", "43", "2024-01-01", "县级比例", "20"],
        ["就业预警", "43", "2024-01-01", "离职预警天数", "40"],
        ["加班补贴", "43", "2024-01-01", "金额", "1"],
    ]
    status, out, err = load(rules_file(tmp_path, rows))
    assert status == 3 and "新增规则版本 3 个" in out
    assert "第 7 行：规则「加班补贴」：没有这种规则；可填写：劳动年龄、" in err
    premium = PremiumRule.objects.get(region_prefix="433124")
    assert (premium.amount, premium.min_age, premium.max_age) == (120, 16, 59)
    share = PremiumShareRule.objects.get(region_prefix="43")
    assert (share.province_pct, share.city_pct, share.county_pct) == (60, 20, 20)
    assert WarningRule.objects.filter(region_prefix="43").exists()


ROW_ERRORS = [
    (["劳动年龄", "43", "2018-02-30", "最小年龄", "16"], "生效日期「2018-02-30」：不是有效的日期"),
    (["劳动年龄", "4", "2018-01-01", "最小年龄", "16"], "区域代码「4」：应为 2、4、6、9 或 12 位区划代码"),
    (["劳动年龄", "99", "2018-01-01", "最小年龄", "16"], "区域代码「99」：没有以此为代码前缀的区划"),
    (
        ["劳动年龄", "433100", "2018-01-01", "最小年龄", "16"],
        "不是一个区划的代码前缀；湘西土家族苗族自治州的代码前缀是 4331",
    ),
    (
        ["劳动年龄", "43", "2018-01-01", "最低工资", "16"],
        "参数「最低工资」：规则“劳动年龄”没有这个参数；可填写：最小年龄、最大年龄",
    ),
    (["劳动年龄", "43", "2018-01-01", "最小年龄", "十六"], "值「十六」：应为数字"),
    (["劳动年龄", "43", "2018-01-01", "最小年龄", "16.5"], "值「16.5」：应为整数"),
    (["劳动年龄", "43", "2018-01-01", "最小年龄", ""], "值（空）：必填"),
    (["", "43", "2018-01-01", "最小年龄", "16"], "规则（空）：必填"),
    (["劳动年龄", "43", "", "最小年龄", "16"], "生效日期（空）：必填"),
    (["劳动年龄", "43", "2018-01-01", "最小年龄", "70"], "最高年龄不能低于最低年龄"),
    (["劳动年龄", "43", "2018-01-01", "最小年龄", "-1"], "值「-1」：确保该值大于或等于0"),
    (["自动推荐", "43", "2018-01-01", "启用", "开"], "值「开」：只能填写：是、否"),
    (["低技能适合", "43", "2018-01-01", "学历要求最高为", "博士"], "只能填写：文盲或半文盲、小学、初中"),
]


@pytest.mark.parametrize("row,reason", ROW_ERRORS, ids=[r for _, r in ROW_ERRORS])
def test_a_bad_row_names_its_row_column_and_reason_and_nothing_of_its_version_is_saved(
    areas, tmp_path, row, reason
):
    rows = [row, ["就业预警", "43", "2018-01-01", "离职预警天数", "40"]]
    if row[0] == "低技能适合":
        rows.insert(1, ["低技能适合", "43", "2018-01-01", "低门槛职业类别", "6、4-02"])
    status, _out, err = load(rules_file(tmp_path, rows))
    assert status == 3
    assert f"第 2 行：{reason}" in err or ("第 2 行" in err and reason in err), err
    assert not LaborAgeRule.objects.filter(region_prefix="43").exists()
    assert WarningRule.objects.filter(region_prefix="43").exists()  # the good version is loaded


def test_a_repeated_parameter_and_a_missing_required_one_are_refused(areas, tmp_path):
    rows = [
        ["就业预警", "43", "2018-01-01", "离职预警天数", "40"],
        ["就业预警", "43", "2018-01-01", "离职预警天数", "41"],
        ["收入监测线", "433124", "2024-01-01", "说明", "x"],
    ]
    status, _, err = load(rules_file(tmp_path, rows))
    assert status == 3
    assert "第 3 行：参数「离职预警天数」：同一版本中重复（第 2 行已填写该参数）" in err
    assert "第 2 行：同一版本（就业预警（43，2018-01-01 起））第 3 行有错误，整个版本未导入" in err
    assert "第 4 行" in err and not IncomeLineRule.objects.exists()
    ok = [["收入监测线", "433124", "2024-01-01", "人均纯收入监测线", "7000元"]]
    assert load(rules_file(tmp_path, ok, name="ok.csv"))[0] == 0
    assert IncomeLineRule.objects.get().yearly_income_per_capita == 7000
    missing = [["低技能适合", "43", "2024-01-01", "技能要求最长字数", "20"]]
    status, _, err = load(rules_file(tmp_path, missing, name="m.csv"))
    assert status == 3 and "缺少参数：低门槛职业类别（该参数没有默认值，必须填写）" in err


def test_an_excel_file_with_number_and_date_cells_and_a_title_row(areas, tmp_path):
    import xlsxwriter

    path = tmp_path / "规则.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["湖南省就业帮扶政策标准"])
    sheet.write_row(1, 0, ["规则", "区域代码", "生效日期", "参数", "值", "依据或说明"])
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(2, 0, ["跟踪回访", 433124])
    sheet.write_datetime(2, 2, dt.datetime(2020, 1, 1), dates)
    sheet.write_row(2, 3, ["未就业间隔天数", 15.0, "湘人社发〔2020〕1号"])
    sheet.write_row(3, 0, ["跟踪回访", "433124000000"])
    sheet.write_datetime(3, 2, dt.datetime(2020, 1, 1), dates)
    sheet.write_row(3, 3, ["就业间隔天数", "60天"])
    book.close()
    status, _out, err = load(path)
    assert status == 0, err
    rule = FollowUpRule.objects.get(region_prefix=COUNTY_A)
    assert (rule.unemployed_interval_days, rule.employed_interval_days) == (15, 60)
    assert rule.note == "湘人社发〔2020〕1号"


def test_the_report_lists_the_rejected_rows(areas, tmp_path):
    from python_calamine import CalamineWorkbook

    report = tmp_path / "错误.xlsx"
    rows = [
        ["加班补贴", "43", "2024-01-01", "金额", "100"],
        ["就业预警", "43", "2024-01-01", "离职预警天数", "40"],
    ]
    status, _, err = load(rules_file(tmp_path, rows), "--report", str(report))
    assert status == 3 and str(report) in err
    data = CalamineWorkbook.from_path(report).get_sheet_by_index(0).to_python()
    assert data[0][0] == "原行号" and data[1][0] in (2, 2.0, "2") and "加班补贴" in data[1][-1]
    assert len(data) == 2


def test_dry_run_saves_nothing(areas, tmp_path):
    status, out, _ = load(rules_file(tmp_path, HUNAN_2018), "--dry-run")
    assert status == 0 and "未保存" in out
    assert not LaborAgeRule.objects.filter(region_prefix="43").exists()
    assert not AuditEvent.objects.filter(action=Action.IMPORT, message__contains="政策规则").exists()


def test_unusable_files_and_usage(areas, tmp_path):
    with pytest.raises(CommandError) as info:
        call_command("rules", "load", str(tmp_path / "nope.csv"))
    assert info.value.returncode == 2
    wrong = tmp_path / "wrong.csv"
    write_table(wrong, ["姓名", "证件号码"], [["张三", "1"]])
    with pytest.raises(CommandError) as info:
        call_command("rules", "load", str(wrong))
    assert info.value.returncode == 1 and "规则" in str(info.value)
    assert not AuditEvent.objects.filter(action=Action.IMPORT, message__contains="政策规则").exists()


def test_a_save_that_fails_leaves_nothing(areas, tmp_path, monkeypatch):
    from bangfu.rules import actions

    real = actions.audit
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuleInEffectError("模拟失败")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "audit", failing)
    with pytest.raises(CommandError) as info:
        call_command("rules", "load", str(rules_file(tmp_path, HUNAN_2018)))
    assert info.value.returncode == 1 and "未做任何修改" in str(info.value)
    assert not LaborAgeRule.objects.filter(region_prefix="43").exists()
    assert not WarningRule.objects.filter(region_prefix=COUNTY_A).exists()


def test_export_writes_every_version_and_loads_back_unchanged(areas, tmp_path):
    load(rules_file(tmp_path, HUNAN_2018))
    out = tmp_path / "导出.xlsx"
    call_command("rules", "export", "--out", str(out), stdout=StringIO())
    status, text, err = load(out)
    assert status == 0, err
    total = sum(kind.model.objects.count() for kind in KINDS)
    assert f"相同未变 {total} 个" in text and "新增规则版本 0 个" in text


def test_show_tells_the_rules_in_force_for_an_area_on_a_day(areas, tmp_path):
    load(rules_file(tmp_path, HUNAN_2018))
    out = StringIO()
    call_command("rules", "show", "--area", COUNTY_A, "--date", "2020-01-01", stdout=out)
    text = out.getvalue()
    assert "劳动年龄：最小年龄 16，最大年龄 60（43，2018-01-01 起）" in text
    assert "就业预警：离职预警天数 45，处理期限天数 7（433124，2019-07-01 起）" in text
    assert "收入监测线：无" in text


def test_every_file_name_maps_to_a_field_with_the_models_default():
    for kind in KINDS:
        assert [p.field for p in kind.params] == list(kind.fields), kind.slug
        assert kind_named(kind.name) is kind and kind_named(kind.label) is kind
        for param in kind.params:
            model_field = kind.model._meta.get_field(param.field)
            if param.required:
                assert not model_field.has_default() or model_field.default is list, param
            else:
                assert parse_value(model_field, param.default) == model_field.get_default(), param
            assert kind.param(str(model_field.verbose_name)) is param  # the page's label works too
    assert not {kind.name for kind in KINDS} & set(PLANNED)
