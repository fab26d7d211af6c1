"""`bangfu import training FILE --area CODE` (EXCHANGE §13, a provider's enrolment roster): registered with
core/importers.py by TrainingConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.core.batches import ImportStatus
    from bangfu.training.importer import create_import, run_import

    batch = run_import(create_import(area=area, user=None, path=path), report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="training",
    help="培训学员名册（培训机构报送：每行一名学员在一个培训班的报名、出勤、结业和证书）",
    area_help="以该区域工作人员身份导入：培训班须是该区域开设的，学员须在该区域名册中",
    run=_run,
)
