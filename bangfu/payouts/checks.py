"""The core's checks, set-based: every line of a list is checked by a few UPDATE statements, whatever the
number of lines, in the order EXCHANGE §11 names. A line keeps the first check it fails:

1. 已故 — the person is marked deceased and died on or before the period's last day (or on a day not known);
2. 重复发放 — the payee already has a 通过 line on another list of the same item and period that is not
   退回, or an earlier line of this list the program did not fail;
3. the program's own failure (一人多岗, 不符合条件), with its 说明;
4. 不符合条件 — the payee is not in the registry (or not a known employer), lies outside the list's area, or
   the program proposed no amount;
5. the rest 通过, paying the program's amount.

Writing lines: `insert_proposals` (a program's Proposals, looked up in the registry in bulk) and
`insert_from` (a program's own queryset, copied by one INSERT … SELECT); programs that write their own
INSERT … SELECT take the first verdict's columns from `provisional`. A line is written with a provisional
verdict — 通过 with its amount where the program proposed an amount and failed nothing — and the checks'
UPDATE rewrites only the lines whose verdict differs, so a list of mostly good lines is written once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from itertools import batched

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DecimalField,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from bangfu.core.bulk import refresh_statistics
from bangfu.employers.models import Employer
from bangfu.payouts.kinds import Proposal
from bangfu.payouts.models import Line, PayoutList, Result, Status
from bangfu.registry.models import Person

CHUNK = 5000
ANALYZE_ABOVE = 20_000  # lines
NOTES = {
    Result.DECEASED: "已故：死亡日期不晚于期间末日",
    Result.DUPLICATE: "重复发放：同一期间已在其他发放名单中",
    "outside": "不在本名单区域内",
    "unknown_person": "不在人员名单中",
    "unknown_employer": "不在单位名录中",
    "no_amount": "不符合发放条件",
}
# The columns a program's queryset gives `insert_from`, in this order.
COLUMNS = (
    "person_id",
    "employer_id",
    "id_number",
    "name",
    "area_code",
    "proposed",
    "quantity",
    "failed",
    "note",
    "ref",
)


def insert_proposals(payout_list: PayoutList, proposals: Iterable[Proposal]) -> int:
    """Write a program's proposals as the list's unchecked lines; payees are read from the registry (and
    the employer list) a chunk at a time. Returns how many lines were written."""
    written = 0
    for chunk in batched(proposals, CHUNK):
        people = Person.objects.in_bulk({p.person_id for p in chunk if p.person_id is not None})
        employers = Employer.objects.in_bulk({p.employer_id for p in chunk if p.employer_id is not None})
        lines = []
        for p in chunk:
            line = Line(
                payout_list=payout_list, kind=payout_list.kind, period=payout_list.period,
                proposed=p.amount, quantity=p.quantity, failed=p.failed, note=p.note[:200], ref=p.ref[:60],
                id_number=p.id_number[:18], name=p.name[:100],
            )  # fmt: skip
            if p.employer_id is not None:
                employer = employers.get(p.employer_id)
                if employer is not None:
                    line.employer = employer
                    line.id_number, line.name, line.area_code = (
                        employer.credit_code,
                        employer.name,
                        employer.area_id,
                    )
            elif p.person_id is not None:
                person = people.get(p.person_id)
                if person is not None:
                    line.person = person
                    line.id_number, line.name, line.area_code = person.id_number, person.name, person.area_id
            lines.append(line)
        Line.objects.bulk_create(lines, batch_size=1000)
        written += len(lines)
    return written


def insert_from(payout_list: PayoutList, rows) -> int:
    """Copy a program's rows into the list's lines with one INSERT … SELECT. `rows` is a queryset whose
    `values_list` gives `COLUMNS` in order (use `Value(...)` for constants). Returns the rows written."""
    rows = rows.values_list(*COLUMNS).annotate(
        _list=Value(payout_list.pk), _kind=Value(payout_list.kind), _period=Value(payout_list.period),
        _result=Case(
            When(Q(proposed__isnull=False, failed=""), then=Value(Result.PASSED)),
            default=Value(""),
            output_field=CharField(),
        ),
        _amount=Case(When(failed="", then=F("proposed")), default=None, output_field=DecimalField()),
    ).values_list(*COLUMNS, "_list", "_kind", "_period", "_result", "_amount")  # fmt: skip
    sql, params = rows.query.sql_with_params()
    table = Line._meta.db_table
    names = [Line._meta.get_field(c.removesuffix("_id")).column for c in COLUMNS]
    names += ["payout_list_id", "kind", "period", "result", "amount"]
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {qn(table)} ({', '.join(qn(n) for n in names)}) {sql}", params)
        return cursor.rowcount


def provisional(proposed: str, params: list, failed: str = "''", failed_params=()) -> tuple[str, list]:
    """For a program's own INSERT … SELECT: the SQL of the `result` and `amount` columns of a line's
    provisional verdict (see the module's docstring) and their parameters, given the SQL of its proposed
    amount and of its failure ('' for none) with theirs."""
    sql = f"CASE WHEN ({proposed}) IS NOT NULL AND ({failed}) = '' THEN %s ELSE '' END, "
    sql += f"CASE WHEN ({failed}) = '' THEN ({proposed}) END"
    return sql, [*params, *failed_params, Result.PASSED, *failed_params, *params]


def period_end(payout_list: PayoutList) -> date:
    from bangfu.payouts.kinds import kind as kind_of
    from bangfu.payouts.periods import parse

    try:
        unit = kind_of(payout_list.kind).period
    except KeyError:
        unit = "month" if len(payout_list.period) == 7 else "year"
    return parse(payout_list.period, unit)[1]


def run(payout_list: PayoutList) -> None:
    """Check every line of the list afresh — results, amounts, notes and the payees' areas as the registry
    holds them now — in one UPDATE of the list's lines (each check a condition of one CASE, the sets it
    reads — the dead, the payees paid elsewhere, the first line of each payee — computed once), then store
    the list's counts and total."""
    lines = Line.objects.filter(payout_list=payout_list)
    end = period_end(payout_list)
    if lines.count() > ANALYZE_ABOVE:
        refresh_statistics(Line)  # a large list just written: let the planner see it before the checks
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the sets below are hashed only when they fit in work_mem
            cursor.execute("SET LOCAL work_mem = '256MB'")
            # The UPDATE's estimated cost calls for JIT: it compiled for 1.3 s to save nothing (bench/).
            cursor.execute("SET LOCAL jit = off")

    # The payee's area as the registry holds it now (a person who moved, one gone): only changed rows written.
    area_now = Coalesce(
        Subquery(Person.objects.filter(pk=OuterRef("person_id")).values("area_id")[:1]),
        Subquery(Employer.objects.filter(pk=OuterRef("employer_id")).values("area_id")[:1]),
        Value(""),
        output_field=CharField(),
    )
    lines.exclude(area_code=area_now).update(area_code=area_now)
    dead = Person.objects.filter(is_deceased=True).filter(Q(died_on__isnull=True) | Q(died_on__lte=end))
    paid_elsewhere = (
        Line.objects.filter(kind=payout_list.kind, period=payout_list.period, result=Result.PASSED)
        .exclude(payout_list=payout_list)
        .exclude(payout_list__status=Status.RETURNED)
    )

    def firsts(payee):  # per payee, the first line the program did not fail (one GROUP BY)
        mine = Line.objects.filter(payout_list=payout_list, failed="", **{f"{payee}__isnull": False})
        return mine.values(payee).annotate(first=Min("id")).values("first")

    low, high = payout_list.area.code_range
    unknown = NOTES["unknown_employer" if _pays_employers(payout_list) else "unknown_person"]
    # (condition, result, note) in EXCHANGE §11's order; the first that holds decides.
    checks = [(Q(person_id__in=dead.values("id")), Value(Result.DECEASED), Value(NOTES[Result.DECEASED]))]
    # The sets that are usually empty are asked first, so the big statement carries only what can hold.
    for payee in ("person", "employer"):
        paid = paid_elsewhere.filter(**{f"{payee}__isnull": False}).values(f"{payee}_id")
        if paid.exists():
            checks.append(
                (Q(**{f"{payee}_id__in": paid}), Value(Result.DUPLICATE), Value(NOTES[Result.DUPLICATE]))
            )
    for payee in ("person", "employer"):
        repeated = Line.objects.filter(payout_list=payout_list, failed="", **{f"{payee}__isnull": False})
        if repeated.values(payee).annotate(n=Count("id")).filter(n__gt=1).exists():
            checks.append(
                (Q(failed="", **{f"{payee}__isnull": False}) & ~Q(id__in=firsts(payee)),
                 Value(Result.DUPLICATE), Value("重复发放：本名单中已有此人"))
            )  # fmt: skip
    checks += [
        (~Q(failed=""), F("failed"), F("note")),
        (Q(person__isnull=True, employer__isnull=True), Value(Result.INELIGIBLE), Value(unknown)),
        (Q(area_code__lt=low) | Q(area_code__gt=high), Value(Result.INELIGIBLE), Value(NOTES["outside"])),
        (Q(proposed__isnull=True, note=""), Value(Result.INELIGIBLE), Value(NOTES["no_amount"])),
        (Q(proposed__isnull=True), Value(Result.INELIGIBLE), F("note")),
    ]  # fmt: skip
    text = CharField()
    result = Case(*(When(c, then=r) for c, r, _ in checks), default=Value(Result.PASSED), output_field=text)
    note = Case(*(When(c, then=n) for c, _, n in checks), default=F("note"), output_field=text)
    failing = Q()
    for condition, _, _ in checks:
        failing |= condition
    amount = Case(When(failing, then=Value(None)), default=F("proposed"), output_field=DecimalField())
    # Only the lines whose verdict changes are written (most lines were written with theirs: `provisional`);
    # a 通过 line's amount is its proposed amount, a failed line's none, whoever wrote it.
    differs = (
        ~Q(result=result)
        | ~Q(note=note)
        | Q(result=Result.PASSED, amount__isnull=True)
        | (~Q(result=Result.PASSED) & Q(amount__isnull=False))
    )
    lines.filter(differs).update(result=result, note=note, amount=amount)
    count(payout_list)


def _pays_employers(payout_list: PayoutList) -> bool:
    from bangfu.payouts.kinds import kinds

    return any(k.key == payout_list.kind and k.payee == "employer" for k in kinds())


def count(payout_list: PayoutList) -> None:
    totals = Line.objects.filter(payout_list=payout_list).aggregate(
        lines=Count("id"),
        passed=Count("id", filter=Q(result=Result.PASSED)),
        total=Sum("amount", filter=Q(result=Result.PASSED)),
    )
    payout_list.lines_count = totals["lines"]
    payout_list.passed_count = totals["passed"]
    payout_list.failed_count = totals["lines"] - totals["passed"]
    payout_list.total = (totals["total"] or Decimal("0")).quantize(Decimal("0.01"))
    payout_list.save(update_fields=["lines_count", "passed_count", "failed_count", "total"])


def stop_for_death(person: Person) -> list[PayoutList]:
    """A death recorded later stops the person's lines on open lists whose period ends on or after the day
    of death (every one when the day is not known). Returns the lists changed (counts restored)."""
    changed = []
    lines = Line.objects.filter(person=person, result=Result.PASSED).exclude(
        payout_list__status__in=(Status.PAID, Status.RETURNED)
    )
    for line in lines.select_related("payout_list"):
        if person.died_on is None or person.died_on <= period_end(line.payout_list):
            line.result, line.amount, line.note = Result.DECEASED, None, "已故：发放前登记死亡，停发"
            line.save(update_fields=["result", "amount", "note"])
            changed.append(line.payout_list)
    for payout_list in {pl.pk: pl for pl in changed}.values():
        count(payout_list)
    return changed
