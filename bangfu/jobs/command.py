"""`bangfu import jobs FILE --area CODE [--report PATH]` (EXCHANGE.md §2 and §4): the jobs importer,
registered with core/importers.py by JobsConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.jobs.actions import create_job_import, run_job_import
    from bangfu.jobs.models import ImportStatus

    batch = run_job_import(create_job_import(area=area, user=None, path=path), report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="jobs",
    help="岗位信息",
    area_help="以该区域工作人员身份导入：只接受工作地点在辖区内、或在其劳务协作输入地的岗位",
    run=_run,
)
