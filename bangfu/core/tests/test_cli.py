"""The `bangfu` console command, as installed by `pip install .`: usage errors exit 2 with Chinese text."""

import shutil
import subprocess
import sys
from pathlib import Path


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


def test_demo_refuses_without_demo_mode_only_via_cli_entry(tmp_path):
    # `bangfu demo` switches demo mode on itself; the management command alone refuses.
    result = bangfu("help", "demo", env_dir=tmp_path)
    assert result.returncode == 0 and "演示" in result.stdout
