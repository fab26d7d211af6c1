"""The bank file (银行发放文件) of a list: one row per line that passed and has an account, with the full
account number — the only place it is shown in full. Written as .xlsx or .csv by `write`."""

from __future__ import annotations

from pathlib import Path

from bangfu.payouts.models import Line, PayeeAccount, PayoutList

HEADER = ["序号", "户名", "证件号码", "开户银行", "账户类型", "账号", "金额", "补贴项目", "期间", "摘要"]


def rows_of(payout_list: PayoutList) -> tuple[list[list], int]:
    """The bank file's rows and how many passed lines lack an account (they are left out of the file)."""
    lines = Line.objects.passed().filter(payout_list=payout_list).order_by("id")
    lines = lines.values_list("id", "person_id", "employer_id", "id_number", "name", "amount")
    rows, missing = [], 0
    for chunk_start in range(0, 10**9, 5000):
        chunk = list(lines[chunk_start : chunk_start + 5000])
        if not chunk:
            break
        people = {pid for _, pid, _, _, _, _ in chunk if pid}
        employers = {eid for _, _, eid, _, _, _ in chunk if eid}
        accounts = {("p", a.person_id): a for a in PayeeAccount.objects.filter(person_id__in=people)}
        accounts |= {("e", a.employer_id): a for a in PayeeAccount.objects.filter(employer_id__in=employers)}
        for _, pid, eid, id_number, _name, amount in chunk:
            account = accounts.get(("p", pid)) if pid else accounts.get(("e", eid))
            if account is None:
                missing += 1
                continue
            rows.append(
                [
                    len(rows) + 1,
                    account.holder,
                    id_number,
                    account.bank,
                    account.card,
                    account.number,
                    f"{amount:.2f}",
                    payout_list.item,
                    payout_list.period,
                    f"{payout_list.item}{payout_list.period}",
                ]
            )
    return rows, missing


def write(rows: list[list], path: Path) -> int:
    """The file at `path`, .xlsx or .csv by its extension; every cell text, so an account keeps its digits."""
    from bangfu.exchange.report import write_table

    return write_table(path, HEADER, [[str(cell) for cell in row] for row in rows])
