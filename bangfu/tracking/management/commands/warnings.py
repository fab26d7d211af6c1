"""`bangfu warnings scan [--area CODE] [--on DATE] [--out FILE]` (EXCHANGE §7): raise and clear the warnings
of an area (everyone without --area) and write the open ones to a file; `bangfu warnings schedule`: make
sure the nightly scan is queued for the background worker (exactly one)."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "预警：扫描并生成、解除预警，输出未处理的预警；安排每晚自动扫描。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        scan = sub.add_parser(
            "scan", help="扫描预警（就业转失业、返乡、零就业家庭、联系不上、跟踪逾期、收入低于监测线）"
        )
        scan.add_argument("--area", help="区域代码（该区域及其下级；默认全部）")
        scan.add_argument("--on", help="按该日的情况和规则扫描，YYYY-MM-DD（默认今天）")
        scan.add_argument("--out", help="把扫描后未处理的预警写入文件（.csv 或 .xlsx）")
        sub.add_parser(
            "schedule", help="确保后台有且只有一个待执行的每晚预警扫描任务（bangfu db_worker 执行）"
        )

    def handle(self, *args, action, **options):
        if action == "schedule":
            from bangfu.tracking.tasks import ensure_nightly

            when = ensure_nightly()
            self.stdout.write(f"每晚预警扫描已安排：下次执行 {when.astimezone():%Y-%m-%d %H:%M}。")
            return
        scope = None
        if options.get("area"):
            try:
                scope = Area.objects.filter(code=normalize_code(options["area"])).first()
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            if scope is None:
                raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        try:
            on = date.fromisoformat(options["on"]) if options.get("on") else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        out = Path(options["out"]) if options.get("out") else None
        if out is not None:
            if out.suffix.lower() not in (".csv", ".xlsx"):
                raise CommandError("输出文件应为 .csv 或 .xlsx。", returncode=2)
            if not out.parent.exists():
                raise CommandError(f"输出目录不存在：{out.parent}", returncode=2)
        from bangfu.tracking.warnings import scan

        result = scan(within=scope, on=on)
        self.stdout.write(result.summary())
        if options.get("verbosity", 1) >= 2:
            for step, seconds in result.seconds.items():
                self.stdout.write(f"  {step}：{seconds:.2f} 秒")
        if out is not None:
            from bangfu.audit.log import record
            from bangfu.audit.models import Action
            from bangfu.tracking import export
            from bangfu.tracking.models import OPEN_STATUSES, Warning

            warnings = Warning.objects.filter(status__in=OPEN_STATUSES)
            if scope is not None:
                warnings = warnings.for_area(scope)
            count = export.write(out, warnings)
            with transaction.atomic():
                record(
                    Action.EXPORT,
                    area_code=scope.code if scope is not None else "000000000000",
                    message=f"命令行导出未处理预警 {count} 条到 {out.name}",
                )
            self.stdout.write(f"已写出 {count} 条未处理预警：{out}")
