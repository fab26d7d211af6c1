"""`bangfu compare SOURCE_TYPE FILE --area CODE --out DIR` (EXCHANGE.md §3–4): one comparison run.

DIR/results.csv has one row per source row; rejected rows also go to DIR/错误报告.xlsx. Exit status: 0 done;
3 done but some rows were rejected; 1 failed, nothing changed; 2 usage error.
"""

import sys
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code
from bangfu.compare.actions import create_run
from bangfu.compare.models import AUTO_APPLICABLE, RunStatus
from bangfu.compare.run import run_comparison
from bangfu.compare.sources import TYPE_NAMES
from bangfu.core.files import copy_out


class Command(BaseCommand):
    help = "数据比对：把其他部门的数据文件与名册比对（EXCHANGE.md §3）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "source_type",
            choices=list(TYPE_NAMES),
            help="比对数据类型：" + "、".join(f"{k}（{v}）" for k, v in TYPE_NAMES.items()),
        )
        parser.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
        parser.add_argument("--area", required=True, help="与该区域（及其下级）的名册比对")
        parser.add_argument("--out", required=True, help="结果目录：写入 results.csv（及错误报告）")
        parser.add_argument("--threshold", type=float, default=0.9, help="模糊匹配的概率阈值（默认 0.9）")
        parser.add_argument(
            "--apply",
            action="append",
            default=[],
            choices=[str(c) for c in AUTO_APPLICABLE],
            help="自动应用的变更类型，可重复；默认不自动应用任何变更",
        )

    def handle(self, *args, source_type, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}", returncode=2)
        try:
            area = Area.objects.filter(code=normalize_code(options["area"])).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if area is None:
            raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"无法创建结果目录 {out}：{exc}", returncode=2) from exc
        try:
            run = create_run(
                area=area,
                user=None,
                source_type=source_type,
                path=path,
                threshold=options["threshold"],
                auto_apply=options["apply"],
            )
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages), returncode=2) from exc
        run = run_comparison(run)
        if run.report:
            copy_out(run.report, out / "错误报告.xlsx")
        if run.status == RunStatus.FAILED:
            raise CommandError(run.message, returncode=1)
        copy_out(run.results, out / "results.csv")
        self.stdout.write(f"比对批次 {run.pk}：{run.message}")
        self.stdout.write(f"结果：{out / 'results.csv'}")
        if run.error_rows:
            self.stderr.write(f"有 {run.error_rows} 行未比对，原因见错误报告：{out / '错误报告.xlsx'}")
            sys.exit(3)
