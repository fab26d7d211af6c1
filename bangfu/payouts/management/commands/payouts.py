"""`bangfu payouts build KIND --area CODE --period P [--output FILE]` (EXCHANGE §11): build (or rebuild) and
check the list of one subsidy item for an area and a period, and write its rows; `bangfu payouts kinds`
lists the items; `bangfu payouts grant USERNAME approve|export [--revoke]` gives a staff account a payout
right (the first holders have to come from somewhere: a person at the console)."""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "补贴发放：生成并校验发放名单，输出校验结果；授予审核、导出权限。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        build = sub.add_parser("build", help="生成并校验一个补贴项目在某区域某期间的发放名单")
        build.add_argument("kind", help="补贴项目代码，如 welfare-post、transport、workshop-reward")
        build.add_argument("--area", required=True, help="区划代码（名单包括其下所有地区）")
        build.add_argument("--period", required=True, help="期间：按月的项目为 YYYY-MM，按年的为 YYYY")
        build.add_argument(
            "--output",
            help="输出文件（.xlsx 或 .csv），列：证件号码、姓名、补贴项目、期间、金额、校验结果、说明",
        )
        sub.add_parser("kinds", help="列出补贴项目")
        grant = sub.add_parser("grant", help="授予（或收回）工作人员的补贴发放权限")
        grant.add_argument("username")
        grant.add_argument(
            "right", choices=["approve", "export"], help="approve 审核；export 导出银行发放文件"
        )
        grant.add_argument("--revoke", action="store_true", help="收回权限")

    def handle(self, *args, action, **options):
        if action == "kinds":
            return self._kinds()
        if action == "grant":
            return self._grant(options)
        return self._build(options)

    def _kinds(self):
        from bangfu.payouts.kinds import kinds

        for kind in kinds():
            self.stdout.write(f"{kind.key}\t{kind.item}\t{kind.period_label}\t{kind.basis}")

    def _grant(self, options):
        from bangfu.accounts.models import User
        from bangfu.payouts import actions
        from bangfu.payouts.models import Right

        user = User.objects.filter(username=options["username"]).first()
        if user is None or not user.is_staff_account or not user.area_id:
            raise CommandError(f"找不到绑定区域的工作人员账号：{options['username']}", returncode=2)
        on = not options["revoke"]
        actions.grant(None, user, options["right"], on)
        self.stdout.write(f"已{'授予' if on else '收回'} {user} 的{Right(options['right']).label}权限。")

    def _build(self, options):
        from bangfu.areas.models import Area
        from bangfu.audit.log import record
        from bangfu.audit.models import Action
        from bangfu.payouts import actions, export
        from bangfu.payouts.kinds import kind as kind_of

        try:
            kind_of(options["kind"])
        except KeyError as error:
            raise CommandError(error.args[0], returncode=2) from None
        output = Path(options["output"]) if options.get("output") else None
        if output is not None and output.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("输出文件应为 .xlsx 或 .csv。", returncode=2)
        try:
            area = Area.objects.resolve(options["area"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        try:
            payout_list = actions.build(None, options["kind"], area, options["period"])
        except (ValidationError, PermissionDenied) as error:
            raise CommandError("；".join(getattr(error, "messages", [str(error)])), returncode=1) from None
        pl = payout_list
        self.stdout.write(
            f"{pl}（名单 {pl.pk}，{pl.get_status_display()}）：{pl.lines_count} 人，"
            f"通过 {pl.passed_count} 人，未通过 {pl.failed_count} 人，发放金额 {pl.total} 元。"
        )
        if output is not None:
            written = export.write(payout_list, output)
            record(Action.EXPORT, obj=payout_list, message=f"命令行输出发放名单 {written} 行到 {output.name}")
            self.stdout.write(f"已写入 {output}（{written} 行）。")
