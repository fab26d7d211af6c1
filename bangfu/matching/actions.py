"""Matching writes: the result file of an area run, and running one in the background (MatchRun)."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

import numpy as np
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from bangfu.audit.log import record
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.exchange.report import write_frames
from bangfu.matching.models import MatchRun, RunStatus

HEADER = ("证件号码", "岗位编号", "统一社会信用代码", "排名", "得分", "理由")
logger = logging.getLogger(__name__)


def write_matches(run, path: str | Path) -> int:
    """Write an area run's pairs as EXCHANGE.md §4 rows to .xlsx or .csv (by the extension), a frame of
    pairs at a time."""
    return write_frames(path, HEADER, run.frames())


@transaction.atomic
def start_run(actor, area, top: int = 10) -> MatchRun:
    run = MatchRun.objects.create(area=area, user=actor, top=top)
    record(Action.CREATE, actor=actor, obj=run, message=f"发起区域人岗匹配：{area.name}，每人 {top} 个岗位")
    transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from bangfu.matching.tasks import run_match_task

    run_match_task.enqueue(run_id)


def reap_runs(queryset) -> int:
    """Mark 中断 the runs of `queryset` left 计算中 by a process that is gone (core.background)."""
    return reap(
        queryset, running=RunStatus.RUNNING, stopped=RunStatus.STOPPED, message=MatchRun.stopped_message
    )


def execute_run(run: MatchRun) -> MatchRun:
    """Match the run's area and keep the file; the run records counts, or the failure."""
    from bangfu.matching.service import run_area

    run.runner = runner_id()
    MatchRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), runner=run.runner
    )
    try:
        result = run_area(run.area, top=run.top)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"人岗匹配_{run.area.short_code}_{timezone.localdate():%Y%m%d}_{run.pk}.xlsx"
            count = write_matches(result, path)
            with open(path, "rb") as handle:
                run.file.save(path.name, File(handle), save=False)
        run.status = RunStatus.DONE
        run.laborers, run.jobs, run.pairs = len(result.matcher.L), len(result.matcher.J), count
        run.matched = len(np.unique(result.result.laborer))
        run.message = f"{run.laborers} 名有就业意愿的劳动力，{run.matched} 人获得推荐，共 {count} 条。"
    except Exception as exc:  # the page shows why; the worker's log has the traceback
        logger.exception("match run %s failed", run.pk)
        run.status = RunStatus.FAILED
        run.message = f"匹配失败：{exc}"
    run.finished_at = timezone.now()
    run.save()
    return run
