"""Which process runs a background batch, and whether it still does (core/background.py)."""

import subprocess
import sys

from bangfu.core.background import runner_alive, runner_id


def gone_runner() -> str:
    """A runner whose process has ended: a process started and waited for."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    host, boot, _pid, started = runner_id().rsplit(":", 3)
    return f"{host}:{boot}:{process.pid}:{started}"


def test_this_process_is_alive():
    assert runner_alive(runner_id())


def test_a_process_that_ended_is_gone():
    assert not runner_alive(gone_runner())


def test_a_process_id_reused_by_another_program_is_gone():
    # This very process id, but started at another time: not the process that took the batch.
    host, boot, pid, started = runner_id().rsplit(":", 3)
    assert not runner_alive(f"{host}:{boot}:{pid}:{int(started) + 1}")


def test_a_restarted_machine_and_an_empty_runner_are_gone():
    host, _boot, pid, started = runner_id().rsplit(":", 3)
    assert not runner_alive(f"{host}:00000000:{pid}:{started}")
    assert not runner_alive("")


def test_a_process_on_another_host_cannot_be_seen_and_is_left_alone():
    assert runner_alive("some-other-host:abcd1234:1:1")
