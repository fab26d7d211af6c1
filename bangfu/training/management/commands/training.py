"""`bangfu training untrained --area CODE --out PATH [--date D]`: the 应训尽训 list of an area as a file
(.xlsx or .csv), and `bangfu training figures --area CODE [--date D]`: the training and entrepreneurship
figures of the area and each area below it (stats.figures' definitions, counted for the area's people)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from bangfu.areas.models import Area, normalize_code

KEYS = (
    "trained",
    "training_need",
    "training_need_met",
    "training_rate",
    "trained_employed",
    "trained_employed_rate",
    "entrepreneurs",
    "jobs_created",
)


class Command(BaseCommand):
    help = "应训尽训名单和培训、创业指标"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=("untrained", "figures"))
        parser.add_argument("--area", required=True, help="区划代码（2–12 位）")
        parser.add_argument("--date", help="统计日期 YYYY-MM-DD（默认今天）")
        parser.add_argument("--out", help="应训尽训名单写入的文件（.xlsx 或 .csv）")

    def handle(self, *args, what, area, date, out, **options):
        from django.utils import timezone

        try:
            place = Area.objects.get(code=normalize_code(area))
        except (ValueError, Area.DoesNotExist):
            raise CommandError(f"区划代码不存在：{area}") from None
        try:
            on = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"日期应为 YYYY-MM-DD：{date}") from None
        if what == "untrained":
            if not out:
                raise CommandError("请用 --out 指定输出文件。")
            written = self.untrained(place, on, out)
            self.stdout.write(f"应训尽训名单 {written} 人 → {out}")
        else:
            self.figures(place, on)

    def untrained(self, area: Area, on: dt.date, out: str) -> int:
        from bangfu.exchange.report import write_table
        from bangfu.training.needs import untrained

        rows = (
            untrained(area, on)
            .order_by("area_id", "pk")
            .values_list("area_id", "name", "id_number", "phone", "in_training")
        )
        lines = (
            [code, name, number, phone, "在训" if busy else "待培训"]
            for code, name, number, phone, busy in rows.iterator(chunk_size=10000)
        )
        return write_table(out, ["所在村代码", "姓名", "证件号码", "联系电话", "状态"], lines)

    def figures(self, area: Area, on: dt.date) -> None:
        from bangfu.registry.models import Person
        from bangfu.stats import figures

        counts = figures.program_counts(Person.objects.for_area(area), on)
        children = figures.children_of(area)
        totals = figures.roll_up(
            {code: figures.zeros() | found for code, found in counts.items()}, [*children, area]
        )
        names = [figures.figure(key).name for key in KEYS]
        self.stdout.write("\t".join(["区划代码", "区划名称", *names]))
        for row in [*children, area]:
            values = figures.with_rates(totals[row.code])
            self.stdout.write("\t".join([row.code, row.name, *(str(values[key]) for key in KEYS)]))
