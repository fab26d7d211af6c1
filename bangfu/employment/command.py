"""`bangfu import employment FILE --area CODE [--report PATH]` (EXCHANGE §5 and §4): the employment records
importer, registered with core/importers.py by EmploymentConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.employment.importer import create_employment_import, run_employment_import
    from bangfu.registry.models import ImportStatus

    batch = create_employment_import(area=area, user=None, path=path)
    batch = run_employment_import(batch, report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="employment",
    help="就业信息（就业记录）",
    area_help="以该区域工作人员身份导入：只接受该区域名册中在世的人员",
    run=_run,
)
