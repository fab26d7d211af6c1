"""`bangfu import jobs FILE --area CODE [--report PATH]` (EXCHANGE.md §2 and §4).

A sub-command of `bangfu import` (registry/management/commands/import.py adds it with `add_parser` and
hands it to `handle`). Exit status: 0 done; 3 done but some rows were rejected; 1 failed, nothing
changed; 2 usage error.
"""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from bangfu.areas.models import Area, normalize_code


def add_parser(sub) -> None:
    jobs = sub.add_parser("jobs", help="岗位信息")
    jobs.add_argument("file", help=".xlsx、.xls 或 .csv 文件")
    jobs.add_argument(
        "--area",
        required=True,
        help="以该区域工作人员身份导入：只接受工作地点在辖区内、或在其劳务协作输入地的岗位",
    )
    jobs.add_argument("--report", help="错误报告（.xlsx）保存位置")


def handle(command, options) -> None:
    from bangfu.jobs.actions import create_job_import, run_job_import
    from bangfu.jobs.models import ImportStatus

    path = Path(options["file"])
    if not path.is_file():
        raise CommandError(f"找不到文件：{path}", returncode=2)
    try:
        area = Area.objects.filter(code=normalize_code(options["area"])).first()
    except ValueError as exc:
        raise CommandError(str(exc), returncode=2) from exc
    if area is None:
        raise CommandError(f"区划代码“{options['area']}”不存在（是否已载入区划？）", returncode=2)
    report = Path(options["report"]) if options.get("report") else None
    batch = run_job_import(create_job_import(area=area, user=None, path=path), report_path=report)
    if batch.status == ImportStatus.FAILED:
        raise CommandError(batch.message, returncode=1)
    command.stdout.write(batch.message)
    if batch.error_rows:
        where = report or (batch.report.path if batch.report else "")
        command.stderr.write(f"有 {batch.error_rows} 行未导入，原因见错误报告：{where}")
        sys.exit(3)
