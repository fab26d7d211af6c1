"""`bangfu areas load [--province CODE]` and `bangfu areas show CODE`."""

import time

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas import dataset
from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area, normalize_code


class Command(BaseCommand):
    help = "行政区划代码：载入（全国或一个省）与查询（含旧代码对照）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True, title="子命令")
        load = sub.add_parser("load", help=f"载入 {dataset.DATASET_YEAR} 年统计用区划代码")
        load.add_argument("--province", help="只载入一个省，如 43（湖南省）")
        show = sub.add_parser("show", help="显示一个区划代码（旧代码会映射到现行代码）")
        show.add_argument("code")

    def handle(self, *args, subcommand, **options):
        if subcommand == "load":
            self.load(options.get("province"), options["verbosity"])
        else:
            self.show(options["code"])

    def load(self, province: str | None, verbosity: int):
        if province:
            given = province
            try:
                padded = dataset.pad_code(province)
                if padded[2:] != "0" * 10:
                    raise ValueError("应为 2 位省级代码，例如 43（湖南省）")
                province = padded[:2]
                next(dataset.iter_divisions(province))
            except (ValueError, StopIteration) as exc:
                raise CommandError(f"省级代码“{given}”无效：{exc}", returncode=2) from exc
        started = time.monotonic()

        def progress(n):
            if verbosity >= 2:
                self.stdout.write(f"  已载入 {n} 条……")

        result = load_areas(province=province, progress=progress)
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入 {result.loaded} 条区划代码（{dataset.DATASET_YEAR} 年），"
                f"停用 {result.retired} 条，旧代码对照 {result.code_changes} 条，用时 {seconds:.1f} 秒。"
            )
        )

    def show(self, raw: str):
        try:
            normalize_code(raw)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        area = Area.objects.resolve(raw)
        if area is None:
            raise CommandError(f"区划代码“{raw}”不存在（是否已载入区划：bangfu areas load）。", returncode=1)
        if area.code != normalize_code(raw):
            self.stdout.write(f"旧代码 {raw} → 现行代码 {area.code}")
        self.stdout.write(f"{area.code}\t{area.get_level_display()}\t{area.full_name or area.name}")
