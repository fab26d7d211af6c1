"""`bangfu rules load FILE [--report PATH] [--dry-run]` (EXCHANGE §4 and §9), `bangfu rules show [--area CODE]
[--date D]` and `bangfu rules export --out PATH`: policy-rule versions from and to files.

Exit status of `load`: 0 done; 3 done, but some rows were rejected (listed, and in the report); 1 failed,
nothing changed; 2 usage error.
"""

import sys
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code
from bangfu.exchange.report import write_error_report, write_table
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.rules.kinds import KINDS, display

SHOWN_ERRORS = 200


class Command(BaseCommand):
    help = "政策规则：从文件导入规则版本（EXCHANGE.md §9），查看现行规则，导出全部版本。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="操作")
        load = sub.add_parser("load", help="导入规则版本（可含过去日期；已生效的版本不会被修改）")
        load.add_argument("file", help=".xlsx、.xls 或 .csv 文件，列：规则、区域代码、生效日期、参数、值")
        load.add_argument("--report", help="错误报告（.xlsx）保存位置")
        load.add_argument("--dry-run", action="store_true", help="只检查，不保存")
        show = sub.add_parser("show", help="某区域某日适用的各项规则")
        show.add_argument("--area", help="区划代码（默认全国）")
        show.add_argument("--date", help="日期 YYYY-MM-DD（默认今天）")
        export = sub.add_parser("export", help="导出全部规则版本（与导入的列相同，可原样导回）")
        export.add_argument("--out", required=True, help="输出文件（.xlsx 或 .csv）")

    def handle(self, *args, action, **options):
        getattr(self, action.replace("-", "_"))(**options)

    def load(self, *, file, report=None, dry_run=False, **options):
        from bangfu.rules import actions
        from bangfu.rules.kinds import HEADER
        from bangfu.rules.load import validate_rules_file

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            if dry_run:
                validation = validate_rules_file(path, allow_past=True)
                message = (
                    f"检查完毕（未保存）：共 {validation.total_rows} 行；"
                    f"将新增或修改 {len(validation.versions)} 个版本，"
                    f"{len(validation.unchanged)} 个与已有版本相同"
                    + (f"；{validation.error_rows} 行有错误。" if validation.error_rows else "。")
                )
            else:
                result = actions.load_rules_file(None, path, allow_past=True, file_name=path.name)
                validation, message = result.validation, result.message
        except SpreadsheetError as exc:
            raise CommandError(exc.message, returncode=1) from exc
        except Exception as exc:  # a failed save rolled back: nothing changed
            raise CommandError(f"导入失败，未做任何修改：{exc}", returncode=1) from exc
        for warning in validation.warnings:
            self.stderr.write(warning)
        self.stdout.write(message)
        if not validation.problems:
            return
        for problem in validation.problems[:SHOWN_ERRORS]:
            self.stderr.write(f"第 {problem.row_number} 行：{problem.reasons()}")
        if len(validation.problems) > SHOWN_ERRORS:
            self.stderr.write(f"……另有 {len(validation.problems) - SHOWN_ERRORS} 条，见错误报告。")
        if report:
            write_error_report(report, validation.header or HEADER, validation.problems)
            self.stderr.write(f"有 {validation.error_rows} 行未导入，原因见错误报告：{report}")
        sys.exit(3)

    def show(self, *, area=None, date=None, **options):
        code, name = "000000000000", "全国"  # no region prefix but "" starts the nation's code
        if area:
            try:
                found = Area.objects.filter(code=normalize_code(area)).first()
            except ValueError as exc:
                raise CommandError(str(exc), returncode=2) from exc
            if found is None:
                raise CommandError(f"区划代码“{area}”不存在（是否已载入区划？）", returncode=2)
            code, name = found.code, found.full_name or found.name
        on = _date(date) or timezone.localdate()
        self.stdout.write(f"{name} {on:%Y-%m-%d} 适用的规则：")
        for kind in KINDS:
            rule = kind.model.objects.in_force(code, on)
            if rule is None:
                self.stdout.write(f"{kind.name}：无（{kind.when_none}）")
                continue
            values = "，".join(f"{p.name} {display(rule, p.field)}" for p in kind.params)
            region = rule.region_prefix or "全国"
            if rule.designation:
                region += f"的{rule.get_designation_display()}"
            source = f"{region}，{rule.effective_from:%Y-%m-%d} 起"
            self.stdout.write(f"{kind.name}：{values}（{source}）")

    def export(self, *, out, **options):
        from bangfu.audit.log import record
        from bangfu.audit.models import Action
        from bangfu.rules.kinds import HEADER
        from bangfu.rules.load import value_text

        path = Path(out)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("输出文件应为 .xlsx 或 .csv。", returncode=2)
        if not path.parent.exists():
            raise CommandError(f"输出目录不存在：{path.parent}", returncode=2)
        rows = []
        for kind in KINDS:
            for rule in kind.model.objects.order_by("region_prefix", "designation", "effective_from"):
                for param in kind.params:
                    value = value_text(getattr(rule, param.field))
                    day = f"{rule.effective_from:%Y-%m-%d}"
                    designation = rule.get_designation_display() if rule.designation else ""
                    rows.append(
                        [kind.name, rule.region_prefix, day, param.name, value, designation, rule.note]
                    )
        count = write_table(path, HEADER, rows)
        with transaction.atomic():
            record(
                Action.EXPORT,
                area_code="000000000000",
                message=f"命令行导出政策规则 {count} 行到 {path.name}",
            )
        self.stdout.write(f"已导出 {count} 行：{path}")


def _date(raw: str | None) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise CommandError("日期格式应为 YYYY-MM-DD。", returncode=2) from exc
