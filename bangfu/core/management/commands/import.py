"""`bangfu import KIND FILE --area CODE [--report PATH]` (EXCHANGE.md §4); the kinds are the importers apps
register (core/importers.py: `registry` from registry/command.py, `jobs` from jobs/command.py).

Exit status: 0 done; 3 done but some rows were rejected (the report says which and why); 1 failed,
nothing changed; 2 usage error.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code
from bangfu.core import importers


class Command(BaseCommand):
    help = "导入数据文件（名册：EXCHANGE.md §1；岗位：§2；就业信息：§5；跟踪回访：§6 …）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="数据类型")
        for importer in importers.importers():
            kind = sub.add_parser(importer.kind, help=importer.help)
            kind.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
            kind.add_argument("--area", required=True, help=importer.area_help)
            if importer.add_arguments is not None:
                importer.add_arguments(kind)
            kind.add_argument("--report", help="错误报告（.xlsx）保存位置")

    def handle(self, *args, kind, file, area, report=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            scope = Area.objects.filter(code=normalize_code(area)).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if scope is None:
            raise CommandError(f"区划代码“{area}”不存在（是否已载入区划？）", returncode=2)
        report_path = Path(report) if report else None
        outcome = importers.run(kind, scope, path, report=report_path, options=options)
        if outcome.failed:
            raise CommandError(outcome.message, returncode=1)
        self.stdout.write(outcome.message)
        if outcome.error_rows:
            self.stderr.write(f"有 {outcome.error_rows} 行未导入，原因见错误报告：{outcome.report}")
            sys.exit(3)
