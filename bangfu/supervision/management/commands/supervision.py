"""`bangfu supervision remind [--on DATE]`: remind the receivers of tasks coming due and report overdue
ones to the level above, now (what the daily background task does); `bangfu supervision schedule`: make
sure the daily run is queued for the background worker (exactly one)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "督办：到期提醒和逾期上报；安排每日自动执行。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        remind = sub.add_parser("remind", help="立即发送到期提醒、上报逾期（每项只发一次）")
        remind.add_argument("--on", help="按该日计算，YYYY-MM-DD（默认今天）")
        sub.add_parser(
            "schedule", help="确保后台有且只有一个待执行的每日督办提醒任务（bangfu db_worker 执行）"
        )

    def handle(self, *args, action, **options):
        if action == "schedule":
            from bangfu.supervision.tasks import ensure_daily

            when = ensure_daily()
            self.stdout.write(f"每日督办提醒已安排：下次执行 {when.astimezone():%Y-%m-%d %H:%M}。")
            return
        from bangfu.supervision.tasks import run_daily

        try:
            on = date.fromisoformat(options["on"]) if options.get("on") else None
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
        self.stdout.write(run_daily(on))
