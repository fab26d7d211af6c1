"""`bangfu match --area CODE [--top N] --out PATH` (EXCHANGE.md §4): person–job matching for every
laborer of the area who wants work, one row per (laborer, job): 证件号码, 岗位编号, 统一社会信用代码, 排名,
得分, 理由.

Exit status: 0 done; 1 failed (no file is left behind); 2 usage error.
"""

import time
from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from bangfu.areas.models import Area, normalize_code
from bangfu.audit.log import record
from bangfu.audit.models import Action
from bangfu.matching.actions import write_matches
from bangfu.matching.service import run_area

# What `-v 2` reports the time of.
STEPS = {"load_laborers": "读取劳动力", "load_jobs": "读取岗位", "match": "匹配", "write": "写出文件"}


class Command(BaseCommand):
    help = "人岗匹配：为区域内有就业意愿的劳动力推荐岗位，结果写入 .xlsx 或 .csv 文件。"

    def add_arguments(self, parser):
        parser.add_argument("--area", required=True, help="区划代码：匹配该区域及其下级的劳动力")
        parser.add_argument("--top", type=int, default=10, help="每人推荐岗位数（默认 10）")
        parser.add_argument("--out", required=True, help="结果文件，扩展名 .xlsx 或 .csv")

    def handle(self, *args, area, top, out, **options):
        try:
            scope = Area.objects.filter(code=normalize_code(area)).first()
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if scope is None:
            raise CommandError(f"区划代码“{area}”不存在（是否已载入区划？）", returncode=2)
        if not 1 <= top <= 100:
            raise CommandError("--top 应在 1 到 100 之间。", returncode=2)
        path = Path(out)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("输出文件的扩展名只能是 .xlsx 或 .csv。", returncode=2)
        if not path.parent.is_dir():
            raise CommandError(f"输出目录不存在：{path.parent}", returncode=2)
        if _is(path, "dir"):
            raise CommandError(f"输出位置是一个目录：{path}", returncode=2)
        try:
            run = run_area(scope, top=top)
            started = time.perf_counter()
            count = write_matches(run, path)
            run.timings["write"] = time.perf_counter() - started
        except Exception as exc:
            if _is(path, "file"):
                path.unlink()
            raise CommandError(f"匹配失败：{exc}", returncode=1) from exc
        people = len(np.unique(run.result.laborer))
        with transaction.atomic():
            record(
                Action.EXPORT,
                area_code=scope.code,
                message=f"命令行人岗匹配：{len(run.matcher.L)} 名劳动力，{count} 条推荐写入 {path.name}",
            )
        self.stdout.write(
            f"已匹配 {len(run.matcher.L)} 名有就业意愿的劳动力、{len(run.matcher.J)} 个在招岗位："
            f"{people} 人获得推荐，共 {count} 条：{path}"
        )
        if options["verbosity"] >= 2:
            self.stdout.write(
                "耗时（秒）："
                + "，".join(f"{STEPS[k]} {v:.1f}" for k, v in run.timings.items() if k in STEPS)
            )


def _is(path: Path, kind: str) -> bool:
    """Path.is_dir / is_file, False when the name itself is impossible (too long)."""
    try:
        return path.is_dir() if kind == "dir" else path.is_file()
    except OSError:
        return False
