"""`bangfu import registry FILE --area CODE [--dry-run] [--report PATH]` (EXCHANGE.md §4).

Exit status: 0 done; 3 done but some rows were rejected (the report says which and why); 1 failed,
nothing changed; 2 usage error.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code
from bangfu.jobs import command as jobs_command
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import ImportStatus


class Command(BaseCommand):
    help = "导入数据文件（名册：EXCHANGE.md §1；岗位：§2）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="数据类型")
        registry = sub.add_parser("registry", help="帮扶对象名册（人员名单）")
        registry.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        registry.add_argument("--area", required=True, help="以该区域工作人员身份导入，只接受辖区内的行")
        registry.add_argument("--dry-run", action="store_true", help="只校验，不保存")
        registry.add_argument("--report", help="错误报告（.xlsx）保存位置")
        jobs_command.add_parser(sub)  # `bangfu import jobs` (EXCHANGE.md §2), bangfu/jobs/command.py

    def handle(self, *args, kind, **options):
        if kind == "jobs":
            return jobs_command.handle(self, options)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            area = Area.objects.filter(code=normalize_code(options["area"])).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        report = Path(options["report"]) if options.get("report") else None
        batch = create_import_batch(area=area, user=None, path=path, dry_run=options["dry_run"])
        batch = run_registry_import(batch, report_path=report)
        if batch.status == ImportStatus.FAILED:
            raise CommandError(batch.message, returncode=1)
        self.stdout.write(batch.message)
        if batch.error_rows:
            where = report or (batch.report.path if batch.report else "")
            self.stderr.write(f"有 {batch.error_rows} 行未导入，原因见错误报告：{where}")
            sys.exit(3)
