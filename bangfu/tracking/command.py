"""`bangfu import followups FILE --area CODE [--report PATH]` (EXCHANGE §6 and §4): the follow-up visits
importer, registered with core/importers.py by TrackingConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.tracking.importer import create_visit_import, run_visit_import
    from bangfu.tracking.models import ImportStatus

    batch = run_visit_import(create_visit_import(area=area, user=None, path=path), report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="followups",
    help="跟踪回访",
    area_help="以该区域工作人员身份导入：只接受该区域名册中的人员",
    run=_run,
)
