"""Loading the shipped codes: idempotent, subtrees, retired codes, old-code mapping, the command."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area, AreaCodeChange, Level
from bangfu.audit.models import Action, AuditEvent


def test_session_areas_have_full_names_and_parents(areas):
    village = areas["village_a"]
    assert village.level == Level.VILLAGE and village.parent_id == "433124102000"
    assert village.full_name.startswith("湖南省湘西土家族苗族自治州花垣县龙潭镇")
    assert [a.name for a in village.ancestors()] == ["湖南省", "湘西土家族苗族自治州", "花垣县", "龙潭镇"]


def test_reload_is_idempotent_and_restores_names(areas):
    before = Area.objects.count()
    Area.objects.filter(code="433124102201").update(name="改坏的名字")
    load_areas(within=("433124",))
    assert Area.objects.count() == before
    assert Area.objects.get(code="433124102201").name == "土地村"


def test_province_load_retires_codes_that_vanished(areas):
    Area.objects.create(code="433124102999", name="已撤销村", level=Level.VILLAGE, parent_id="433124102000")
    out = io.StringIO()
    call_command("areas", "load", "--province", "43", verbosity=2, stdout=out)  # as staff run it
    assert "已载入 31691 条区划代码" in out.getvalue() and "停用 1 条" in out.getvalue()
    assert Area.objects.get(code="433124102999").is_current is False
    assert Area.objects.get(code="433124102201").is_current is True
    assert AuditEvent.objects.filter(action=Action.IMPORT, message__contains="载入").exists()


def test_old_codes_resolve_to_current_area(areas):
    change = AreaCodeChange.objects.get(old_code="430124000000")  # 宁乡县 became 宁乡市 in 2017
    assert change.new_area.name == "宁乡市"
    assert Area.objects.resolve("430124") == change.new_area
    assert Area.objects.resolve("433124") == areas["county_a"]
    assert Area.objects.resolve("999999") is None
    with pytest.raises(ValueError, match="格式不正确"):
        Area.objects.resolve("12345")


def test_areas_command_usage_errors_exit_2(db):
    with pytest.raises(CommandError) as info:
        call_command("areas", "load", "--province", "99")
    assert info.value.returncode == 2 and "无效" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("areas", "load", "--province", "4331")  # a city, not a province
    assert info.value.returncode == 2 and "省级代码" in str(info.value)
    with pytest.raises(CommandError) as info:
        call_command("areas", "show", "abc")
    assert info.value.returncode == 2


def test_areas_command_show(areas):
    out = io.StringIO()
    call_command("areas", "show", "433124", stdout=out)
    assert "花垣县" in out.getvalue()
