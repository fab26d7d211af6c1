"""`bangfu import designations FILE --area CODE [--report PATH]` (EXCHANGE §4's exit statuses; the file is the
project's own, docs/exchange.md): registered with core/importers.py by AreasConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.areas.importer import create_designation_import, run_designation_import
    from bangfu.core.batches import ImportStatus

    batch = run_designation_import(
        create_designation_import(area=area, user=None, path=path), report_path=report
    )
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="designations",
    help="区域认定名单（贫困村、脱贫村、重点帮扶县、安置点等）",
    area_help="以该区域工作人员身份导入：只接受该区域的下级区域",
    run=_run,
)
