"""`bangfu import registry FILE --area CODE [--dry-run] [--report PATH]` (EXCHANGE.md §1 and §4): the
registry's importer, registered with core/importers.py by RegistryConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _add_arguments(parser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="只校验，不保存")


def _run(area, path, *, report, options) -> Outcome:
    from bangfu.registry.actions import create_import_batch, run_registry_import
    from bangfu.registry.models import ImportStatus

    batch = create_import_batch(area=area, user=None, path=path, dry_run=options.get("dry_run", False))
    batch = run_registry_import(batch, report_path=report)
    where = report or (batch.report.path if batch.report else "")
    return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))


IMPORTER = Importer(
    kind="registry",
    help="帮扶对象名册（人员名单）",
    area_help="以该区域工作人员身份导入，只接受辖区内的行",
    run=_run,
    add_arguments=_add_arguments,
)
