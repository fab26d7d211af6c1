"""`bangfu stats --area CODE [--date D] --out PATH` (EXCHANGE §8): the area's figures as of D (today by
default), one row per child area and a 合计 row, as .xlsx or .csv by PATH. Exit 0 done, 1 failed, 2 usage."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "统计：写出区域各下级区域及合计的统计指标（人数、劳动力人数、务工人数……零就业户数）。"

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区域代码（写出其各下级区域和合计）")
        parser.add_argument("--date", help="统计日期 YYYY-MM-DD（默认今天；过去的日期按当日情况统计）")
        parser.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, **options):
        try:
            code = normalize_code(options["area"])
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        try:
            on = date.fromisoformat(options["date"]) if options.get("date") else timezone.localdate()
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        if on > timezone.localdate():
            raise CommandError("统计日期不能晚于今天。", returncode=2)
        out = Path(options["out"])
        if out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError("输出文件应为 .csv 或 .xlsx。", returncode=2)
        if not out.parent.exists():
            raise CommandError(f"输出目录不存在：{out.parent}", returncode=2)
        from bangfu.audit.log import record
        from bangfu.audit.models import Action
        from bangfu.stats import export

        try:
            count = export.write(out, area, on)
        except OSError as exc:
            raise CommandError(f"无法写出文件：{exc}", returncode=1) from exc
        with transaction.atomic():
            record(
                Action.EXPORT,
                area_code=area.code,
                message=f"命令行导出 {area.name} {on} 统计表 {count} 行到 {out.name}",
            )
        self.stdout.write(f"已写出 {area.name} {on} 的统计表（{count - 1} 个下级区域及合计）：{out}")
