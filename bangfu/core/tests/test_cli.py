"""The `bangfu` console command, as installed by `pip install .`: usage errors exit 2 with Chinese text."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest


def bangfu(*args, env_dir):
    exe = shutil.which("bangfu") or str(Path(sys.executable).with_name("bangfu"))
    env = {"PATH": "/usr/bin:/bin", "BANGFU_DATA_DIR": str(env_dir)}
    return subprocess.run([exe, *args], capture_output=True, text=True, env=env, timeout=120)


def test_bad_area_code_is_a_usage_error(tmp_path):
    result = bangfu("areas", "show", "12345", env_dir=tmp_path)
    assert result.returncode == 2
    assert "格式不正确" in result.stderr


def test_unknown_province_is_a_usage_error(tmp_path):
    result = bangfu("areas", "load", "--province", "99", env_dir=tmp_path)
    assert result.returncode == 2 and "无效" in result.stderr


def test_demo_command_refuses_outside_demo_mode(db, settings):
    # `bangfu demo` switches demo mode on before settings load (cli.py); called any other way it refuses.
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.BANGFU_DEMO = False
    with pytest.raises(CommandError) as info:
        call_command("demo", "--no-serve")
    assert info.value.returncode == 2 and "演示模式" in str(info.value)
