"""`bangfu pension roster --area CODE --year Y --out PATH` (EXCHANGE §12): the people whose pension premium
the government pays in year Y, with the amount and each level's share; `bangfu pension rates --area CODE
[--date D] --out PATH`: 养老参保率, 医保参保率, 养老待遇发放率 of each child area and the area itself."""

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "社保扶贫：养老保险代缴名单（含各级承担金额）；参保率、发放率。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        roster = sub.add_parser(
            "roster", help="某年度政府代缴养老保险费的人员名单，列出代缴金额和各级承担金额"
        )
        roster.add_argument("--area", required=True, help="区划代码（名单包括其下所有地区）")
        roster.add_argument("--year", required=True, type=int, help="年度，如 2026")
        roster.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")
        rates = sub.add_parser("rates", help="养老参保率、医保参保率、养老待遇发放率，每个下级区域一行及合计")
        rates.add_argument("--area", required=True, help="区划代码")
        rates.add_argument("--date", help="统计日期 YYYY-MM-DD（默认今天）")
        rates.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, action, **options):
        from bangfu.areas.models import Area

        out = Path(options["out"])
        if out.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("输出文件应为 .xlsx 或 .csv。", returncode=2)
        try:
            area = Area.objects.resolve(options["area"])
        except ValueError as error:
            raise CommandError(str(error), returncode=2) from None
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        if action == "roster":
            return self._roster(area, options["year"], out)
        return self._rates(area, options.get("date"), out)

    def _roster(self, area, year, out):
        from bangfu.audit.log import record
        from bangfu.audit.models import Action
        from bangfu.pension import roster

        if not 1990 <= year <= 2100:
            raise CommandError(f"年度“{year}”不正确。", returncode=2)
        written = roster.write(area, year, out)
        record(
            Action.EXPORT, area_code=area.code, message=f"命令行输出 {year} 年养老保险代缴名单 {written} 行"
        )
        self.stdout.write(f"{area.name} {year} 年养老保险代缴名单：{written} 人，已写入 {out}。")

    def _rates(self, area, date_text, out):
        from bangfu.exchange.report import write_table
        from bangfu.pension import rates

        try:
            on = dt.date.fromisoformat(date_text) if date_text else None
        except ValueError:
            raise CommandError(f"日期“{date_text}”应写成 YYYY-MM-DD。", returncode=2) from None
        header, body = rates.sheet(area, on)
        written = write_table(out, header, body)
        self.stdout.write(f"{area.name} 参保率、发放率：{written} 行，已写入 {out}。")
