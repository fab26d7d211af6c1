"""Asking for an export as a user would, and running the queued job by the real worker code (the task's
own function, synchronously), as the other background tests do."""

import tempfile
from pathlib import Path

from bangfu.exports import actions
from bangfu.exports.models import Export
from bangfu.exports.tasks import run_export_task


def run_worker(user, key: str, params: dict, fmt: str = "xlsx") -> Export:
    with tempfile.TemporaryDirectory() as folder:
        asked = actions.ask(user, key, params, fmt, folder=Path(folder))
    assert asked.job is not None, "small enough to be written in the request"
    run_export_task.call(asked.job.pk)
    return Export.objects.get(pk=asked.job.pk)
