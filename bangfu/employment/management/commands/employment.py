"""`bangfu employment refresh --area CODE [--date YYYY-MM-DD] [--enqueue]`: store every person's 务工状态
and 务工时间(月) of the area as the employment records give them on that day (run nightly from cron before
the warnings scan, or queued for the background worker): time alone changes them — a month begins, a
year begins, a planned 离职日期 passes."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "就业记录：按就业记录更新区域内人员的务工状态和务工时间。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        refresh = sub.add_parser("refresh", help="按就业记录更新务工状态和务工时间（只写有变化的人）")
        refresh.add_argument("--area", required=True, help="区域代码（该区域及其下级）")
        refresh.add_argument("--date", help="按该日计算（默认今天）")
        refresh.add_argument("--enqueue", action="store_true", help="交给后台任务执行（bangfu db_worker）")

    def handle(self, *args, action, area, **options):
        try:
            scope = Area.objects.filter(code=normalize_code(area)).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if scope is None:
            raise CommandError(f"区划代码“{area}”不存在（是否已载入区划？）", returncode=2)
        try:
            on = date.fromisoformat(options["date"]) if options.get("date") else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        if options.get("enqueue"):
            from bangfu.employment.tasks import refresh_status_task

            refresh_status_task.enqueue(scope.code, on.isoformat() if on else None)
            self.stdout.write(f"已提交后台任务：{scope.name}务工状态更新。")
            return
        from bangfu.employment.actions import refresh_status

        changed = refresh_status(None, None, source="每日更新", on=on, within=scope)
        self.stdout.write(f"{scope.name}：按就业记录更新务工状态和务工时间 {changed} 人。")
