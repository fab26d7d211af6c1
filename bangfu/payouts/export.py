"""A payout list as EXCHANGE §11 rows: 证件号码, 姓名, 补贴项目, 期间, 金额, 校验结果, 说明 — one per line;
only 通过 rows carry an amount. For an employer the 证件号码 is its 统一社会信用代码 and the 姓名 its name."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bangfu.core.idnumber import mask_id
from bangfu.payouts.models import Line, PayoutList

HEADER = ["证件号码", "姓名", "补贴项目", "期间", "金额", "校验结果", "说明"]


def rows(payout_list: PayoutList, *, masked: bool = False) -> Iterator[list]:
    lines = Line.objects.filter(payout_list=payout_list).order_by("id")
    values = lines.values_list("id_number", "employer_id", "name", "amount", "result", "note")
    for id_number, employer_id, name, amount, result, note in values.iterator(chunk_size=5000):
        shown = mask_id(id_number) if masked and not employer_id else id_number
        money = f"{amount:.2f}" if amount is not None else ""
        yield [shown, name, payout_list.item, payout_list.period, money, result, note]


def write(payout_list: PayoutList, path: Path, *, masked: bool = False) -> int:
    from bangfu.exchange.report import write_table

    return write_table(path, HEADER, rows(payout_list, masked=masked))
