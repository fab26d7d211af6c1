"""`bangfu referrals auto --area CODE [--date YYYY-MM-DD] [--limit N] [--enqueue]`: automatic referral of
an area's laborers by the rules in force (run nightly from cron, or queued for the background worker)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "推荐：按自动推荐规则为区域内求职的劳动力推荐最匹配的岗位。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        auto = sub.add_parser("auto", help="系统自动推荐（按区域规则，规则未启用则不推荐）")
        auto.add_argument("--area", required=True, help="区域代码（该区域及其下级）")
        auto.add_argument("--date", help="按该日生效的规则（默认今天）")
        auto.add_argument("--limit", type=int, help="最多检查多少名劳动力（试运行用）")
        auto.add_argument("--enqueue", action="store_true", help="交给后台任务执行（bangfu db_worker）")

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
            from bangfu.referrals.tasks import auto_refer_task

            auto_refer_task.enqueue(scope.code)
            self.stdout.write(f"已提交后台任务：{scope.name}自动推荐。")
            return
        from bangfu.referrals.auto import auto_refer

        result = auto_refer(scope, on=on, limit=options.get("limit"))
        for message in result.messages:
            self.stdout.write(message)
