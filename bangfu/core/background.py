"""No background batch stays 处理中 for ever: each keeps which process runs it, and one whose process is
gone (killed, crashed, the machine restarted) is found and marked 中断 with what was kept, so that it can
be submitted again.

A process is named by host, boot, process id and the process's start time (`runner_id`): a process id
reused by another program after a kill never passes for the one that took the batch. From another host
the process cannot be seen, so a batch run elsewhere is left as it is (`runner_alive` says so).
"""

from __future__ import annotations

import os
import socket
from functools import cache

from django.db import models
from django.utils import timezone

STOPPED_LABEL = "中断"


@cache
def _boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as handle:
            return handle.read().strip()[:8]
    except OSError:
        return ""


def _started(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), or "" where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count fields after its closing ")".
    return stat.rsplit(")", 1)[1].split()[19]


def runner_id() -> str:
    """This process, as a batch records who runs it."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{_boot_id()}:{pid}:{_started(pid)}"


def runner_alive(runner: str) -> bool:
    """Whether the process that took a batch may still run it. An empty runner (taken before runners were
    recorded, or never taken) counts as gone; a runner on another host as alive, since it cannot be seen."""
    try:
        host, boot, pid, started = runner.rsplit(":", 3)
        pid = int(pid)
    except ValueError:
        return False
    if host != socket.gethostname():
        return True
    if boot != _boot_id():
        return False  # the machine has restarted since
    if started:
        return _started(pid) == started
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Runner(models.Model):
    """The process that runs a background batch (`runner_id()`), set when it takes the batch."""

    runner = models.CharField("执行进程", max_length=200, blank=True, editable=False)

    class Meta:
        abstract = True


def reap(queryset, *, running: str, stopped: str, message) -> int:
    """Mark as `stopped` the batches of `queryset` that are `running` in a process that is gone, each with
    `message(batch)`. Only a batch still held by that same runner is changed, so one that has just finished
    or been taken again is left alone. Returns how many were marked."""
    marked = 0
    for batch in queryset.filter(status=running).select_related(None).only("pk", "runner", "status"):
        if runner_alive(batch.runner):
            continue
        batch = type(batch).objects.get(pk=batch.pk)
        marked += (
            type(batch)
            .objects.filter(pk=batch.pk, status=running, runner=batch.runner)
            .update(status=stopped, message=message(batch), finished_at=timezone.now())
        )
    return marked
