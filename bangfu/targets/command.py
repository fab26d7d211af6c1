"""`bangfu import targets FILE --area CODE [--report PATH]` (EXCHANGE §8 and §4): the targets importer,
registered with core/importers.py by TargetsConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.targets.importer import create_target_import, run_target_import
    from bangfu.targets.models import ImportStatus

    batch = run_target_import(create_target_import(area=area, user=None, path=path), report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="targets",
    help="目标",
    area_help="以该区域工作人员身份导入：只能为该区域及其下级区域设定目标",
    run=_run,
)
