"""Stopping `bangfu demo` stops the task worker it started: the real command in a subprocess, on a free port,
stopped the two ways people stop it (Ctrl-C, and SIGTERM from `kill` or a service manager)."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not collected it yet


def children(pid: int) -> list[int]:
    tasks = Path(f"/proc/{pid}/task")
    return [int(c) for t in tasks.iterdir() for c in (t / "children").read_text().split()]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")  # shared: the second start finds the demo data built


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc to find the worker")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_stopping_the_demo_stops_its_worker(sig, data_dir):
    exe = shutil.which("bangfu") or str(Path(sys.executable).with_name("bangfu"))
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "BANGFU_DATA_DIR": str(data_dir)}
    demo = subprocess.Popen(
        [exe, "demo", "--people", "30", "--port", str(free_port())],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    workers = []
    try:
        output = []
        for line in demo.stdout:
            output.append(line)
            if "已启动" in line:
                break
        assert demo.poll() is None, "".join(output)
        deadline = time.monotonic() + 30
        while not (workers := children(demo.pid)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) == 1, "".join(output)
        worker = workers[0]
        assert "db_worker" in Path(f"/proc/{worker}/cmdline").read_text()
        time.sleep(1)  # the worker is up and waiting for tasks

        demo.send_signal(sig)
        assert demo.wait(timeout=30) == 0
        deadline = time.monotonic() + 20
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not alive(worker)
        assert "帮扶平台已停止" in demo.stdout.read()
    finally:
        for pid in [demo.pid, *workers]:  # a failed run leaves nothing behind
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        demo.wait()
