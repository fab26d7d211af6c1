"""`bangfu export registry --area CODE [--format xlsx|csv] --out PATH` (EXCHANGE.md §4)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bangfu.areas.models import Area, normalize_code
from bangfu.audit.log import record
from bangfu.audit.models import Action
from bangfu.registry.export import export_registry
from bangfu.registry.models import Person


class Command(BaseCommand):
    help = "导出数据文件（名册：EXCHANGE.md §1 的列，可原样导回）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="数据类型")
        registry = sub.add_parser("registry", help="帮扶对象名册（人员名单）")
        registry.add_argument("--area", required=True, help="导出该区域及其下级的全部人员")
        registry.add_argument("--format", choices=["xlsx", "csv"], help="默认按 --out 的扩展名")
        registry.add_argument("--out", required=True, help="输出文件")

    def handle(self, *args, kind, area, out, **options):
        try:
            scope = Area.objects.filter(code=normalize_code(area)).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if scope is None:
            raise CommandError(f"区划代码“{area}”不存在（是否已载入区划？）", returncode=2)
        path = Path(out)
        file_format = options.get("format") or path.suffix.lstrip(".").lower()
        if file_format not in ("xlsx", "csv"):
            raise CommandError(
                "输出格式只能是 xlsx 或 csv（用 --format 指定，或用相应扩展名）。", returncode=2
            )
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}", returncode=2)
        people = Person.objects.for_area(scope)
        count = export_registry(people, path, file_format)
        with transaction.atomic():
            record(Action.EXPORT, area_code=scope.code, message=f"命令行导出名册 {count} 人到 {path.name}")
        self.stdout.write(f"已导出 {count} 人：{path}")
