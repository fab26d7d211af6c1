"""`bangfu report annual --area CODE --year Y --out PATH`: the annual report of an area (figures against
targets per child area, dated, with its deadline) as .xlsx or .pdf by PATH's suffix."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "报告：生成年度报告（.xlsx 或 .pdf）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="kind", required=True, title="报告")
        annual = sub.add_parser("annual", help="年度报告：各下级区域的指标与目标、完成率和排名")
        annual.add_argument("--area", required=True, help="区域代码")
        annual.add_argument("--year", required=True, type=int, help="年度，如 2026")
        annual.add_argument("--out", required=True, help="输出文件（.xlsx 或 .pdf）")

    def handle(self, *args, kind, **options):
        try:
            area = Area.objects.filter(code=normalize_code(options["area"])).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        out = Path(options["out"])
        if out.suffix.lower() not in (".xlsx", ".pdf"):
            raise CommandError("输出文件应为 .xlsx 或 .pdf。", returncode=2)
        if not out.parent.exists():
            raise CommandError(f"输出目录不存在：{out.parent}", returncode=2)
        year = options["year"]
        if not 2014 <= year <= 2099:
            raise CommandError("年度应为 2014–2099。", returncode=2)
        from bangfu.audit.log import record
        from bangfu.audit.models import Action
        from bangfu.dispatch import bulletin
        from bangfu.dispatch.annual import annual, annual_sheet

        report = annual(area, year, today=timezone.localdate())
        if not report.children:
            raise CommandError(f"{area.name}没有下级区域。", returncode=1)
        sheet = annual_sheet(report)
        data = bulletin.pdf_bytes(sheet) if out.suffix.lower() == ".pdf" else bulletin.xlsx_bytes(sheet)
        out.write_bytes(data)
        record(Action.EXPORT, area_code=area.code, message=f"导出年度报告：{sheet.title}（{out.name}）")
        self.stdout.write(f"已生成 {sheet.title}：{out}")
