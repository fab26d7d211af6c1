"""The warning engine (预警, EXCHANGE §7): raises and clears warnings for a whole area in a few SQL
statements run inside the database, never a Python loop per person.

A scan as of day D works on temporary tables: the laborers in scope (`registry.PersonQuerySet.laborers`,
the 劳动年龄 rule of each region), each village's rule values (`core/rules.py`, one lookup per village),
each living person's latest employment record and whether one is in force on D, and each laborer's
visits. From them it first clears the open warnings whose condition has ended, then raises each
condition not yet raised for its episode (`Warning.basis`: the ended record, the visit, the day a
household fell to nobody in work …). Scanning again writes nothing.

Conditions, as of D (a record is in force on D when started on or before D and not ended before D):

- 就业转失业: a laborer with no record in force whose latest record ended within 就业预警.离职预警天数
  before D, for a reason other than 返乡 (basis: that record). Cleared when they work again.
- 返乡: the same with reason 返乡 (basis: the record), or else a 返乡 visit within that window (basis:
  the visit). Cleared when they work again.
- 零就业家庭: a household with a laborer and no living member with a record in force (basis: the day
  the last member record ended). Cleared when a member works or no laborer is left.
- 联系不上: a laborer whose latest visit did not reach them (basis: the first unreached visit since
  the last one that did; a day with one visit that reached them counts as reached). Cleared when a later
  visit reaches them.
- 跟踪逾期: a laborer whose last contact — latest visit, or with none registration — is older than the
  跟踪回访 interval (tracking/due.py; basis: that visit, or "registered"). Cleared by a visit.
- 收入低于监测线: a household with a laborer whose 人均纯收入 is below the 收入监测线 of its region
  (no rule, no warning; basis: income and line). Cleared when it no longer is.
- 参保中断 (社保扶贫): a living person whose 养老保险参保状态 last changed, by D, from 参保缴费 to 暂停缴费 or
  终止参保 — as successive social-insurance comparisons (or staff) set it, read from the field history
  (`registry.Change`) — and still is so (basis: that change). Cleared when the person pays again or draws a
  pension, or dies. Not only laborers: anyone enrolled may stop paying.

A person warning is also cleared when its person is no longer a laborer (died, past the age band, no
labor ability). Staff may close a warning with a reason; a closed warning is never raised again for the
same episode, and no second warning of a kind is raised for a subject that has one open.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import perf_counter

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bangfu.areas.models import NATION_CODE, Area
from bangfu.core.bulk import refresh_statistics
from bangfu.employment.models import EmploymentRecord, EndReason
from bangfu.registry.models import Change, Household, Person
from bangfu.tracking.models import (
    FollowUpRule,
    IncomeLineRule,
    Responsibility,
    Visit,
    VisitResult,
    Warning,
    WarningKind,
    WarningRule,
    WarningStatus,
)

logger = logging.getLogger("bangfu.tracking")

# An advisory lock key for PostgreSQL: one scan at a time writes warnings ("预警" in UTF-8 as a number).
LOCK_KEY = 0x_E9_A2_84_E8_AD_A6

OPEN = (WarningStatus.OPEN.value, WarningStatus.IN_HAND.value)
TEMPORARY = (
    "scan_ids", "scan_lab", "scan_area", "scan_rec", "scan_visit", "scan_home", "scan_clear", "scan_new",
)  # fmt: skip


@dataclass
class ScanResult:
    """What a scan did: warnings raised and cleared, and those open in its scope afterwards."""

    on: date
    raised: int = 0
    cleared: int = 0
    open: int = 0
    raised_by_kind: Counter = field(default_factory=Counter)
    cleared_by_kind: Counter = field(default_factory=Counter)
    skipped: bool = False  # another scan held the lock (person scans only; queued instead)
    seconds: Counter = field(default_factory=Counter)  # time in the database, by step (`-v 2`)

    def summary(self) -> str:
        raised = "，".join(f"{k} {n}" for k, n in self.raised_by_kind.items() if n)
        cleared = "，".join(f"{k} {n}" for k, n in self.cleared_by_kind.items() if n)
        return (
            f"{self.on} 预警扫描：新增 {self.raised} 条" + (f"（{raised}）" if raised else "")
            + f"，解除 {self.cleared} 条" + (f"（{cleared}）" if cleared else "")
            + f"，现有未处理 {self.open} 条。"
        )  # fmt: skip


def scan(
    within: Area | None = None,
    on: date | None = None,
    person_ids=None,
    *,
    actor=None,
    wait: bool = True,
    notify: bool = True,
) -> ScanResult:
    """Raise and clear the warnings of `within` (an area; everyone when None) as of `on` (today), or of
    just the people `person_ids` and their households. One transaction; assignees are told on commit.

    With `wait=False` a scan that finds another one running returns at once (`skipped`) instead of
    waiting for it (PostgreSQL; SQLite serialises writers itself)."""
    on = on or timezone.localdate()
    result = ScanResult(on=on)
    ids = None if person_ids is None else sorted({int(i) for i in person_ids})
    if ids is not None and not ids:
        return result
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                if wait:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
                else:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [LOCK_KEY])
                    if not cursor.fetchone()[0]:
                        result.skipped = True
                        return result
        _Scan(within, on, ids, result).run()
        if result.raised or result.cleared:
            from bangfu.audit.log import record as audit
            from bangfu.audit.models import Action

            audit(
                Action.UPDATE,
                actor=actor,
                area_code=within.code if within is not None else NATION_CODE,
                message=result.summary() if ids is None else f"{result.summary()}（{len(ids)} 人）",
            )
        if notify and result.raised:
            from bangfu.tracking.notify import tell_new_warnings

            tell_new_warnings(result.stamp)
    if result.raised + result.cleared >= STATISTICS_AFTER:
        refresh(Warning)
    return result


# After a scan that changed this many warnings the planner is told (the lists' plans depend on it).
STATISTICS_AFTER = 10_000


def refresh(model) -> None:
    """ANALYZE, and on PostgreSQL outside a transaction VACUUM too, so that the list's index alone answers
    (an index-only scan needs the visibility map a fresh table lacks)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            refresh_statistics(model)


class _Lookup:
    """A rule book's answer per area code, remembered by the part of the code its rules can tell apart
    (their longest region prefix, or the designation's level when a rule names one: core/rules.py): a
    province's 30,000 villages cost a few hundred lookups."""

    def __init__(self, book):
        self.book = book
        self.digits = book.digits
        self.found: dict = {}

    def __call__(self, code: str):
        key = code[: self.digits]
        if key not in self.found:
            self.found[key] = self.book.for_code(key)
        return self.found[key]


class _Scan:
    def __init__(self, within: Area | None, on: date, ids: list[int] | None, result: ScanResult):
        self.within = within
        self.on = on
        self.ids = ids
        self.result = result
        self.now = timezone.now()
        self.step = "准备"
        result.stamp = self.now
        ops = connection.ops
        self.pg = connection.vendor == "postgresql"
        self.date_type = "date" if self.pg else "text"
        # A row's id as its key: on SQLite an INTEGER PRIMARY KEY is the table's rowid itself (a bigint one
        # is a second index, searched before the row on every join).
        self.key = "bigint PRIMARY KEY" if self.pg else "integer PRIMARY KEY"
        self.stamp_type = "timestamp with time zone" if self.pg else "text"
        self.d = ops.adapt_datefield_value
        self.t = ops.adapt_datetimefield_value
        self.q = ops.quote_name
        self.P = Person._meta.db_table
        self.H = Household._meta.db_table
        self.R = EmploymentRecord._meta.db_table
        self.V = Visit._meta.db_table
        self.W = Warning._meta.db_table
        self.RESP = Responsibility._meta.db_table

    # -- plumbing -------------------------------------------------------------------------------------

    def sql(self, statement: str, params=None) -> int:
        started = perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            count = cursor.rowcount
        self.result.seconds[self.step] += perf_counter() - started
        return count

    def temp(self, name: str, columns: str, options: str = "") -> None:
        self.sql(f"DROP TABLE IF EXISTS {name}")
        self.sql(f"CREATE TEMPORARY TABLE {name} ({columns}) {options}")

    def person_scope(self, alias: str) -> tuple[str, list]:
        """A condition on a registry_person row `alias`: in the area, or in a household of the people."""
        if self.ids is not None:
            return (
                f"{alias}.household_id IN (SELECT household_id FROM {self.P} WHERE id IN "
                "(SELECT person_id FROM scan_ids))",
                [],
            )
        if self.within is not None:
            low, high = self.within.code_range
            return f"{alias}.area_id BETWEEN %s AND %s", [low, high]
        return "1 = 1", []

    def household_scope(self, alias: str) -> tuple[str, list]:
        if self.ids is not None:
            return (
                f"{alias}.id IN (SELECT household_id FROM {self.P} WHERE id IN "
                "(SELECT person_id FROM scan_ids))",
                [],
            )
        if self.within is not None:
            low, high = self.within.code_range
            return f"{alias}.area_id BETWEEN %s AND %s", [low, high]
        return "1 = 1", []

    # -- the scan -------------------------------------------------------------------------------------

    def run(self) -> None:
        try:
            self.tune()
            self.facts()
            self.homes()
            self.sync_areas()
            self.clear()
            self.raise_()
            self.count_open()
        finally:
            self.drop_all()

    def tune(self) -> None:
        """PostgreSQL, for this transaction: no JIT (it compiled each big statement for seconds, planned on
        temporary tables without statistics), joins by key rather than by hashing (`hashing`), memory for
        the joins and groupings of a province (4 MB spilled them to disk in dozens of batches), and room for
        the temporary tables in memory (8 MB wrote them out while they were built) — the last only possible
        before the session's first temporary table, so tried in a savepoint. Nothing on SQLite (its
        settings are the connection's)."""
        if not self.pg or self.ids is not None:
            return
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
            # Its tables are in memory: a look-up by key costs little more than reading on.
            cursor.execute("SET LOCAL random_page_cost = 1.1")
            cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.BANGFU_SCAN_WORK_MEM])
        self.hashing(False)
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('temp_buffers', %s, true)", [settings.BANGFU_SCAN_WORK_MEM])
        except DatabaseError:
            pass  # this session has used temporary tables before: they stay at its size

    def hashing(self, allowed: bool) -> None:
        """Whether PostgreSQL may join by hashing (a province scan). The laborers come from the person table
        in id order and the facts are kept in person order, so merge joins and look-ups by key beat hashing
        millions of rows to meet them (a rescan's laborers 7.7 → 3.9 s, its clearing 2.6 → 1.2 s); only
        every laborer meeting their village's rules (30,000 rows) hashes better."""
        if self.pg and self.ids is None:
            self.sql("SELECT set_config('enable_hashjoin', %s, true)", ["on" if allowed else "off"])

    def analyze(self, *tables: str) -> None:
        """PostgreSQL never gathers statistics on temporary tables by itself: without them it planned the
        raising's joins for 200 rows where a province has millions."""
        if self.pg and self.ids is None:
            for table in tables:
                self.sql(f"ANALYZE {table}")

    def drop_all(self) -> None:
        # SQLite frees a temporary table page by page: a province's take seconds. A scan of everyone or of
        # an area runs in a command or the worker, whose connection closes after it; leave them there (the
        # next scan on the connection drops them first). PostgreSQL drops a table at once.
        if self.pg or self.ids is not None:
            for name in TEMPORARY:
                self.sql(f"DROP TABLE IF EXISTS {name}")

    def facts(self) -> None:
        D, T = self.date_type, self.stamp_type
        self.step = "劳动力"
        if self.ids is not None:
            self.temp("scan_ids", f"person_id {self.key}")
            with connection.cursor() as cursor:
                for start in range(0, len(self.ids), 10_000):
                    cursor.executemany(
                        "INSERT INTO scan_ids (person_id) VALUES (%s)",
                        [(i,) for i in self.ids[start : start + 10_000]],
                    )

        self.step = "就业记录"
        # Each person's latest record of those started by D. It decides: when any record is in force on
        # D, the one that ends last (or never) is. PostgreSQL sorts once (DISTINCT ON); SQLite walks the
        # (person, started_on) index keeping the greatest "end|start|id" per person, 3× faster than a window.
        # The dead are left out where it matters (laborers are living; households count living members).
        self.temp(
            "scan_rec",
            f"person_id {self.key}, in_work integer, last_id bigint, last_start {D}, last_end {D}, "
            "last_reason varchar(10), last_employer varchar(100)",
        )
        only, only_params = self.people_only("r.person_id")
        columns = "(person_id, in_work, last_id, last_start, last_end, last_reason, last_employer)"
        if self.pg:
            self.sql(
                f"""INSERT INTO scan_rec {columns}
                SELECT DISTINCT ON (r.person_id) r.person_id,
                    CASE WHEN r.ended_on IS NULL OR r.ended_on >= %s THEN 1 ELSE 0 END,
                    r.id, r.started_on, r.ended_on, r.end_reason, r.employer_name
                FROM {self.R} r WHERE r.started_on <= %s {only}
                ORDER BY r.person_id, r.ended_on DESC NULLS FIRST, r.started_on DESC, r.id DESC""",
                [self.d(self.on), self.d(self.on), *only_params],
            )
        else:
            # One MAX over a key unique per person: SQLite takes the bare columns from the row that has it.
            self.sql(
                f"""INSERT INTO scan_rec {columns}
                SELECT person_id, CASE WHEN ended_on IS NULL OR ended_on >= %s THEN 1 ELSE 0 END,
                    id, started_on, ended_on, CASE WHEN ended_on < %s THEN end_reason END,
                    CASE WHEN ended_on < %s THEN employer_name END
                FROM (
                    SELECT r.person_id,
                        MAX(COALESCE(r.ended_on, '9999-12-31') || r.started_on || printf('%%019d', r.id)),
                        r.id, r.started_on, r.ended_on, r.end_reason, r.employer_name
                    FROM {self.R} r WHERE r.started_on <= %s {only}
                    GROUP BY r.person_id
                ) g""",
                [self.d(self.on), self.d(self.on), self.d(self.on), self.d(self.on), *only_params],
            )

        self.step = "回访"
        # Each visited person's visits up to D: the latest, the latest day a visit reached them, and the
        # first visit that did not reach them since then.
        self.temp(
            "scan_visit",
            f"person_id {self.key}, last_id bigint, last_on {D}, reached_on {D}, "
            f"unreached_id bigint, unreached_on {D}",
        )
        unreachable = VisitResult.UNREACHABLE.value
        only, only_params = self.people_only("v.person_id")
        columns = "(person_id, last_id, last_on, reached_on)"
        if self.pg:
            self.sql(
                f"""INSERT INTO scan_visit {columns}
                SELECT DISTINCT ON (v.person_id) v.person_id, v.id, v.visited_on,
                    MAX(CASE WHEN v.result <> %s THEN v.visited_on END) OVER (PARTITION BY v.person_id)
                FROM {self.V} v WHERE v.visited_on <= %s {only}
                ORDER BY v.person_id, v.visited_on DESC, v.id DESC""",
                [unreachable, self.d(self.on), *only_params],
            )
        else:
            # The latest visit by one MAX (its bare columns are that visit's); when it did not reach them, the
            # latest day one did is looked up for those people only.
            self.sql(
                f"""INSERT INTO scan_visit {columns}
                SELECT person_id, id, visited_on, CASE WHEN result <> %s THEN visited_on END
                FROM (
                    SELECT v.person_id, MAX(v.visited_on || printf('%%019d', v.id)), v.id, v.visited_on,
                        v.result
                    FROM {self.V} v WHERE v.visited_on <= %s {only}
                    GROUP BY v.person_id
                ) g""",
                [unreachable, self.d(self.on), *only_params],
            )
            self.sql(
                f"""UPDATE scan_visit SET reached_on = (
                    SELECT MAX(v.visited_on) FROM {self.V} v WHERE v.person_id = scan_visit.person_id
                        AND v.result <> %s AND v.visited_on <= %s)
                WHERE reached_on IS NULL""",
                [unreachable, self.d(self.on)],
            )
        # Unreached since the last day a visit reached them: the first such visit (few people).
        self.sql(
            f"""UPDATE scan_visit SET unreached_id = (
                SELECT v.id FROM {self.V} v WHERE v.person_id = scan_visit.person_id AND v.result = %s
                    AND v.visited_on <= %s
                    AND (scan_visit.reached_on IS NULL OR v.visited_on > scan_visit.reached_on)
                ORDER BY v.visited_on, v.id LIMIT 1)
            WHERE reached_on IS NULL OR last_on > reached_on""",
            [unreachable, self.d(self.on)],
        )
        self.sql(
            f"""UPDATE scan_visit
            SET unreached_on = (SELECT v.visited_on FROM {self.V} v WHERE v.id = scan_visit.unreached_id)
            WHERE unreached_id IS NOT NULL"""
        )
        self.analyze("scan_rec", "scan_visit")

        self.step = "劳动力"
        # Laborers in scope, by the 劳动年龄 rule of each one's region (one SQL condition), with what the
        # raising and the households read of each (whether in work on D, the latest visit): one row each.
        self.temp(
            "scan_lab",
            f"id {self.key}, household_id bigint, area_id varchar(12), created_at {T}, in_work integer, "
            f"visit_id bigint, visit_on {D}",
        )
        laborers = Person.objects.laborers(self.on)
        if self.ids is not None:
            laborers = laborers.filter(
                household_id__in=Person.objects.filter(pk__in=self.ids).values("household_id")
            )
        elif self.within is not None:
            laborers = laborers.for_area(self.within)
        select, params = laborers.values_list(
            "id", "household_id", "area_id", "created_at"
        ).query.sql_with_params()
        self.sql(
            f"""INSERT INTO scan_lab (id, household_id, area_id, created_at, in_work, visit_id, visit_on)
            SELECT p.id, p.household_id, p.area_id, p.created_at, COALESCE(r.in_work, 0), v.last_id, v.last_on
            FROM ({select}) p
            LEFT JOIN scan_rec r ON r.person_id = p.id
            LEFT JOIN scan_visit v ON v.person_id = p.id""",
            params,
        )

        self.step = "规则"
        # Each village's rule values as of D, looked up once per village (core/rules.py).
        self.temp(
            "scan_area",
            f"area_id varchar(12) PRIMARY KEY, leave_from {D}, due_on {D}, unemployed_days integer, "
            f"employed_days integer, unemployed_before {D}, employed_before {D}, unemployed_before_at {T}, "
            f"employed_before_at {T}, income_line integer",
            "" if self.pg else "WITHOUT ROWID",  # one search per look-up, not the key's index then the row
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT DISTINCT area_id FROM scan_lab")
            villages = [row[0] for row in cursor.fetchall()]
        books = [
            _Lookup(model.objects.book(self.on, within=self.within))
            for model in (WarningRule, FollowUpRule, IncomeLineRule)
        ]
        tz = timezone.get_current_timezone()

        def local_midnight(day: date):
            return self.t(datetime.combine(day, time.min, tzinfo=tz))

        values: dict[tuple, list] = {}  # by the three rules in force: most villages share them

        def row_of(warning, follow, income) -> list:
            row = [None] * 9
            if warning is not None:
                row[0] = self.d(self.on - timedelta(days=warning.leave_window_days))
                row[1] = self.d(self.on + timedelta(days=warning.handle_days))
            if follow is not None:
                # Overdue as tracking/due.py defines it: the last contact before D less the interval.
                days = follow.unemployed_interval_days, follow.employed_interval_days
                before = [self.on - timedelta(days=n) for n in days]
                row[2:8] = [*days, *map(self.d, before), *map(local_midnight, before)]
            if income is not None:
                row[8] = income.yearly_income_per_capita
            return row

        rows = []
        for code in villages:
            rules = tuple(book(code) for book in books)
            key = tuple(id(rule) for rule in rules)
            if key not in values:
                values[key] = row_of(*rules)
            rows.append([code, *values[key]])
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 10_000):
                cursor.executemany(
                    "INSERT INTO scan_area VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                    rows[start : start + 10_000],
                )

        self.analyze("scan_lab", "scan_area")

    def people_only(self, column: str) -> tuple[str, list]:
        """Rows of the people in scope only ("" for a scan of everyone)."""
        if self.ids is None and self.within is None:
            return "", []
        scope, params = self.person_scope("p")
        return f"AND {column} IN (SELECT p.id FROM {self.P} p WHERE {scope})", params

    def homes(self) -> None:
        """Each household with a laborer: how many, whether a living member is in work on D, and if not,
        the day the last job of a living member ended."""
        self.step = "户"
        D = self.date_type
        self.temp("scan_home", f"household_id {self.key}, laborers integer, in_work integer, last_end {D}")
        self.sql(
            """INSERT INTO scan_home (household_id, laborers, in_work)
            SELECT household_id, COUNT(*), MAX(in_work) FROM scan_lab GROUP BY household_id
            ORDER BY household_id"""
        )
        # Where no laborer works, the other living members (the old, the young) may (few households).
        members = f"""FROM {self.P} p JOIN {self.R} r ON r.person_id = p.id
            WHERE p.household_id = scan_home.household_id AND p.is_deceased = %s AND r.started_on <= %s"""
        self.sql(
            f"""UPDATE scan_home SET in_work = 1 WHERE in_work = 0
                AND EXISTS (SELECT 1 {members} AND (r.ended_on IS NULL OR r.ended_on >= %s))""",
            [False, self.d(self.on), self.d(self.on)],
        )
        self.sql(
            f"UPDATE scan_home SET last_end = (SELECT MAX(r.ended_on) {members}) WHERE in_work = 0",
            [False, self.d(self.on)],
        )
        self.analyze("scan_home")

    def subjects(self, column: str, scope: str, table: str = "", alias: str = "p") -> str:
        """A condition that `column` names a subject in scope ("" when the scan is of everyone)."""
        if self.ids is None and self.within is None:
            return ""
        return f"AND {column} IN (SELECT {alias}.id FROM {table or self.P} {alias} WHERE {scope})"

    def sync_areas(self) -> None:
        """Open warnings follow their subject to the village they now belong to (lists are by area)."""
        self.step = "所在村"
        scope, params = self.person_scope("p")
        self.sql(
            f"""UPDATE {self.W}
            SET area_id = (SELECT p.area_id FROM {self.P} p WHERE p.id = {self.W}.person_id),
                updated_at = %s
            WHERE status IN (%s, %s) AND person_id IS NOT NULL {self.subjects("person_id", scope)}
              AND area_id <> (SELECT p.area_id FROM {self.P} p WHERE p.id = {self.W}.person_id)""",
            [self.t(self.now), *OPEN, *params],
        )
        scope, params = self.household_scope("h")
        self.sql(
            f"""UPDATE {self.W}
            SET area_id = (SELECT h.area_id FROM {self.H} h WHERE h.id = {self.W}.household_id),
                updated_at = %s
            WHERE status IN (%s, %s) AND person_id IS NULL
              {self.subjects("household_id", scope, self.H, "h")}
              AND area_id <> (SELECT h.area_id FROM {self.H} h WHERE h.id = {self.W}.household_id)""",
            [self.t(self.now), *OPEN, *params],
        )

    # -- clearing -------------------------------------------------------------------------------------

    def clear(self) -> None:
        self.step = "解除"
        self.temp("scan_clear", f"id {self.key}, kind varchar(10), reason varchar(200)")
        scope, scope_params = self.person_scope("p")
        visit_id = (
            "CASE WHEN w.kind = %s AND w.basis LIKE 'visit:%%' THEN CAST(SUBSTR(w.basis, 7) AS BIGINT) END"
        )
        # Person warnings: the condition of each kind, short of the window that raised it.
        ended_job = (
            "CASE WHEN r.in_work = 1 THEN '已重新就业' "
            "WHEN r.last_id IS NULL THEN '依据的就业记录已不存在' ELSE '期间已再次就业' END"
        )
        person_kinds = {
            WarningKind.JOB_LOST: (
                "COALESCE(r.in_work, 0) = 0 AND ('record:' || r.last_id) = w.basis",
                ended_job,
            ),
            WarningKind.RETURNED: (
                "COALESCE(r.in_work, 0) = 0 AND (('record:' || r.last_id) = w.basis "
                "OR (bv.id IS NOT NULL AND (r.last_start IS NULL OR r.last_start < bv.visited_on)))",
                "CASE WHEN r.in_work = 1 THEN '已重新就业' WHEN w.basis LIKE 'visit:%%' AND bv.id IS NULL "
                "THEN '依据的回访记录已不存在' ELSE '期间已再次就业' END",
            ),
            WarningKind.UNREACHABLE: ("('visit:' || v.unreached_id) = w.basis", "'已联系上'"),
            WarningKind.VISIT_OVERDUE: (
                "COALESCE('visit:' || v.last_id, 'registered') = w.basis",
                "'已回访'",
            ),
        }
        # One pass over the open person warnings, each kind's condition and reason chosen by its kind.
        kinds = [kind.value for kind in person_kinds]
        each = " ".join(f"WHEN %s THEN {reason}" for _, reason in person_kinds.values())
        held = " ".join(f"WHEN %s THEN CASE WHEN {h} THEN 0 ELSE 1 END" for h, _ in person_kinds.values())
        self.sql(
            f"""INSERT INTO scan_clear (id, kind, reason)
            SELECT w.id, w.kind, CASE WHEN p.is_deceased = %s THEN '人员已故'
                WHEN l.id IS NULL THEN '不再属于劳动力（超出劳动年龄或无劳动能力）'
                ELSE CASE w.kind {each} END END
            FROM {self.W} w JOIN {self.P} p ON p.id = w.person_id
            LEFT JOIN scan_lab l ON l.id = w.person_id
            LEFT JOIN scan_rec r ON r.person_id = w.person_id
            LEFT JOIN scan_visit v ON v.person_id = w.person_id
            LEFT JOIN {self.V} bv ON bv.id = {visit_id}
            WHERE w.kind IN (%s, %s, %s, %s) AND w.status IN (%s, %s) AND {scope}
              AND (l.id IS NULL OR CASE w.kind {held} END = 1)""",
            [True, *kinds, WarningKind.RETURNED.value, *kinds, *OPEN, *scope_params, *kinds],
        )
        # Household warnings.
        scope, scope_params = self.household_scope("h")
        households = f"""FROM {self.W} w JOIN {self.H} h ON h.id = w.household_id
            LEFT JOIN scan_home s ON s.household_id = w.household_id
            LEFT JOIN scan_area a ON a.area_id = h.area_id
            WHERE w.person_id IS NULL AND w.kind = %s AND w.status IN (%s, %s) AND {scope}"""
        self.sql(
            f"""INSERT INTO scan_clear (id, kind, reason)
            SELECT w.id, w.kind,
                CASE WHEN s.household_id IS NULL THEN '家庭已无劳动力' ELSE '家庭成员已就业' END
            {households} AND (s.household_id IS NULL OR s.in_work = 1)""",
            [WarningKind.ZERO_EMPLOYMENT.value, *OPEN, *scope_params],
        )
        self.sql(
            f"""INSERT INTO scan_clear (id, kind, reason)
            SELECT w.id, w.kind,
                CASE WHEN s.household_id IS NULL THEN '家庭已无劳动力'
                    WHEN a.income_line IS NULL THEN '无适用的收入监测线'
                    WHEN h.income_per_capita IS NULL THEN '人均纯收入未登记'
                    ELSE '人均纯收入已达到监测线' END
            {households} AND (s.household_id IS NULL OR a.income_line IS NULL OR h.income_per_capita IS NULL
                OR h.income_per_capita >= a.income_line)""",
            [WarningKind.LOW_INCOME.value, *OPEN, *scope_params],
        )
        self.clear_pension_breaks()
        self.result.cleared = self.sql(
            f"""UPDATE {self.W} SET status = %s, ended_on = %s, updated_at = %s,
                end_reason = (SELECT c.reason FROM scan_clear c WHERE c.id = {self.W}.id)
            WHERE id IN (SELECT id FROM scan_clear)""",
            [WarningStatus.CLEARED.value, self.d(self.on), self.t(self.now)],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, COUNT(*) FROM scan_clear GROUP BY kind")
            self.result.cleared_by_kind.update(dict(cursor.fetchall()))

    # -- 参保中断 ----------------------------------------------------------------------------------------

    # The field history's label of 养老保险参保状态, and the statuses that break and resume contributions.
    PENSION_FIELD = str(Person._meta.get_field("pension_status").verbose_name)
    PAYING = "参保缴费"
    BROKEN = ("暂停缴费", "终止参保")

    def clear_pension_breaks(self) -> None:
        """Open 参保中断 warnings whose person pays again, draws a pension, or died."""
        scope, params = self.person_scope("p")
        self.sql(
            f"""INSERT INTO scan_clear (id, kind, reason)
            SELECT w.id, w.kind, CASE WHEN p.is_deceased = %s THEN '人员已故'
                WHEN p.pension_status = '领取待遇' THEN '已领取养老待遇' ELSE '已恢复缴费' END
            FROM {self.W} w JOIN {self.P} p ON p.id = w.person_id
            WHERE w.kind = %s AND w.status IN (%s, %s) AND {scope}
              AND (p.is_deceased = %s OR p.pension_status NOT IN (%s, %s))""",
            [True, WarningKind.PENSION_BREAK.value, *OPEN, *params, True, *self.BROKEN],
        )

    def raise_pension_breaks(self) -> None:
        """Each living person whose latest change of 养老保险参保状态 by D went from 参保缴费 to 暂停缴费 or
        终止参保, and who still has that status (basis: the change)."""
        from bangfu.stats.figures import end_of

        C = Change._meta.db_table
        scope, params = self.person_scope("p")
        self.sql(
            f"""INSERT INTO scan_new (kind, person_id, household_id, area_id, basis, detail, due_on, fresh)
            SELECT %s, p.id, p.household_id, p.area_id, 'change:' || c.id,
                SUBSTR(COALESCE(NULLIF(p.pension_insurance, ''), '养老保险') || '由参保缴费变为' || c.after
                    || '（' || SUBSTR(CAST(c.at AS VARCHAR(40)), 1, 10) || ' 登记）', 1, 300),
                a.due_on, 0
            FROM {C} c JOIN {self.P} p ON p.id = c.person_id
            LEFT JOIN scan_area a ON a.area_id = p.area_id
            WHERE c.field = %s AND c.before = %s AND c.after IN (%s, %s) AND c.at < %s
              AND p.pension_status = c.after AND p.is_deceased = %s AND {scope}
              AND c.id = (SELECT MAX(c2.id) FROM {C} c2 WHERE c2.person_id = c.person_id AND c2.field = %s
                  AND c2.at < %s)""",
            [
                WarningKind.PENSION_BREAK.value, self.PENSION_FIELD, self.PAYING, *self.BROKEN,
                self.t(end_of(self.on)), False, *params, self.PENSION_FIELD, self.t(end_of(self.on)),
            ],
        )  # fmt: skip

    # -- raising --------------------------------------------------------------------------------------

    def raise_(self) -> None:
        """Every condition that holds, with its episode (`scan_new`); then those not raised before."""
        self.step = "预警"
        D = self.date_type
        self.temp(
            "scan_new",
            "kind varchar(10), person_id bigint, household_id bigint, area_id varchar(12), "
            "basis varchar(40), "
            f"detail varchar(300), due_on {D}, fresh integer",
        )
        back = EndReason.RETURNED.value
        job_lost, returned = WarningKind.JOB_LOST.value, WarningKind.RETURNED.value
        unreachable, overdue = WarningKind.UNREACHABLE.value, WarningKind.VISIT_OVERDUE.value
        reason = "COALESCE(NULLIF(r.last_reason, ''), '未注明原因')"
        employer = "COALESCE(NULLIF(r.last_employer, ''), '原单位')"
        ended = "r.in_work = 0 AND a.leave_from IS NOT NULL AND r.last_end >= a.leave_from"
        days = "CASE WHEN l.in_work = 1 THEN a.employed_days ELSE a.unemployed_days END"
        late = """a.unemployed_days IS NOT NULL AND (
            (l.visit_id IS NOT NULL AND l.visit_on < CASE WHEN l.in_work = 1 THEN a.employed_before
                ELSE a.unemployed_before END)
            OR (l.visit_id IS NULL AND l.created_at < CASE WHEN l.in_work = 1 THEN a.employed_before_at
                ELSE a.unemployed_before_at END))"""
        insert = "INSERT INTO scan_new (kind, person_id, household_id, area_id, basis, detail, due_on, fresh)"
        # Each person kind from the rows that can hold it: a record that ended (就业转失业, or 返乡 when it
        # ended for that reason), a visit that did not reach them, and every laborer for 跟踪逾期.
        self.sql(
            f"""{insert}
            SELECT CASE WHEN r.last_reason = %s THEN %s ELSE %s END, l.id, l.household_id, l.area_id,
                'record:' || r.last_id,
                SUBSTR(CAST(r.last_end AS VARCHAR(10)) || ' 从' || {employer} || CASE WHEN r.last_reason = %s
                    THEN '离职返乡' ELSE '离职（' || {reason} || '）' END || '，目前无在岗就业记录', 1, 300),
                a.due_on, 0
            FROM scan_rec r JOIN scan_lab l ON l.id = r.person_id
            JOIN scan_area a ON a.area_id = l.area_id
            WHERE {ended}""",
            [back, returned, job_lost, back],
        )
        self.sql(
            f"""{insert}
            SELECT %s, l.id, l.household_id, l.area_id, 'visit:' || v.unreached_id,
                '自 ' || CAST(v.unreached_on AS VARCHAR(10)) || ' 起回访联系不上', a.due_on, 0
            FROM scan_visit v JOIN scan_lab l ON l.id = v.person_id
            JOIN scan_area a ON a.area_id = l.area_id
            WHERE v.unreached_id IS NOT NULL""",
            [unreachable],
        )
        self.hashing(True)
        self.sql(
            f"""{insert}
            SELECT %s, l.id, l.household_id, l.area_id, COALESCE('visit:' || l.visit_id, 'registered'),
                SUBSTR(CASE WHEN l.visit_id IS NULL THEN '登记后未回访，已超过 ' || {days} || ' 天'
                    ELSE '上次回访 ' || CAST(l.visit_on AS VARCHAR(10)) || '，已超过 ' || {days}
                        || ' 天未回访'
                    END || CASE WHEN l.in_work = 1 THEN '（在岗）' ELSE '（未就业）' END, 1, 300),
                a.due_on, 0
            FROM scan_lab l JOIN scan_area a ON a.area_id = l.area_id
            WHERE {late}""",
            [overdue],
        )
        self.hashing(False)
        # 返乡 told by a visit within the window, where no 返乡 record explains it and no work began on or
        # after the visit (the clearing's condition: work since the visit ends the episode).
        # Each laborer's latest 返乡 visit by D (when it is before the window, so are the others). SQLite
        # reads a province's visits in table order (3× less than walking their index to read each result).
        if self.pg or self.ids is not None:
            visits = f"""{self.V} v JOIN scan_lab l2 ON l2.id = v.person_id
                JOIN scan_area a2 ON a2.area_id = l2.area_id AND v.visited_on >= a2.leave_from"""
        else:
            visits = f"{self.V} v NOT INDEXED"
        self.sql(
            f"""INSERT INTO scan_new (kind, person_id, household_id, area_id, basis, detail, due_on, fresh)
            SELECT %s, l.id, l.household_id, l.area_id, 'visit:' || rv.id,
                CAST(rv.visited_on AS VARCHAR(10)) || ' 回访结果为返乡，目前无在岗就业记录', a.due_on, 0
            FROM (
                SELECT person_id, id, visited_on FROM (
                    SELECT v.person_id, v.id, v.visited_on, ROW_NUMBER() OVER (PARTITION BY v.person_id
                        ORDER BY v.visited_on DESC, v.id DESC) AS n
                    FROM {visits} WHERE v.result = %s AND v.visited_on <= %s
                ) x WHERE n = 1
            ) rv
            JOIN scan_lab l ON l.id = rv.person_id
            JOIN scan_area a ON a.area_id = l.area_id AND rv.visited_on >= a.leave_from
            LEFT JOIN scan_rec r ON r.person_id = l.id
            WHERE COALESCE(r.in_work, 0) = 0
                AND (r.last_start IS NULL OR r.last_start < rv.visited_on)
                AND CASE WHEN {ended} AND r.last_reason = %s THEN 1 ELSE 0 END = 0""",
            [returned, back, self.d(self.on), back],
        )
        # Household kinds.
        self.sql(
            f"""INSERT INTO scan_new (kind, person_id, household_id, area_id, basis, detail, due_on, fresh)
            SELECT %s, NULL, h.id, h.area_id, 'since:' || COALESCE(CAST(s.last_end AS VARCHAR(10)), '-'),
                '家庭有劳动力 ' || s.laborers || ' 人，无人在岗就业'
                    || COALESCE('（最近一份工作 ' || CAST(s.last_end AS VARCHAR(10)) || ' 结束）', ''),
                a.due_on, 0
            FROM scan_home s JOIN {self.H} h ON h.id = s.household_id
            JOIN scan_area a ON a.area_id = h.area_id
            WHERE s.in_work = 0""",
            [WarningKind.ZERO_EMPLOYMENT.value],
        )
        cents = "CAST(ROUND(h.income_per_capita * 100) AS BIGINT)"
        self.sql(
            f"""INSERT INTO scan_new (kind, person_id, household_id, area_id, basis, detail, due_on, fresh)
            SELECT %s, NULL, h.id, h.area_id, 'income:' || {cents} || '<' || a.income_line,
                '人均纯收入 ' || CAST(ROUND(h.income_per_capita) AS BIGINT) || ' 元，低于监测线 '
                    || a.income_line || ' 元',
                a.due_on, 0
            FROM scan_home s JOIN {self.H} h ON h.id = s.household_id
            JOIN scan_area a ON a.area_id = h.area_id
            WHERE a.income_line IS NOT NULL AND h.income_per_capita IS NOT NULL
                AND h.income_per_capita < a.income_line""",
            [WarningKind.LOW_INCOME.value],
        )
        self.raise_pension_breaks()
        self.analyze("scan_new")
        # Not raised before for this episode, and none of the kind open for the subject.
        self.sql(
            f"""UPDATE scan_new SET fresh = 1 WHERE person_id IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM {self.W} w WHERE w.person_id = scan_new.person_id AND w.kind = scan_new.kind
                    AND (w.basis = scan_new.basis OR w.status IN (%s, %s)))""",
            [*OPEN],
        )
        self.sql(
            f"""UPDATE scan_new SET fresh = 1 WHERE person_id IS NULL AND NOT EXISTS (
                SELECT 1 FROM {self.W} w WHERE w.household_id = scan_new.household_id AND w.person_id IS NULL
                    AND w.kind = scan_new.kind AND (w.basis = scan_new.basis OR w.status IN (%s, %s)))""",
            [*OPEN],
        )
        now = self.t(self.now)
        self.result.raised = self.sql(
            f"""INSERT INTO {self.W} (kind, person_id, household_id, area_id, basis, raised_on, detail,
                status,
                assignee_id, due_on, end_reason, created_at, updated_at)
            SELECT n.kind, n.person_id, n.household_id, n.area_id, n.basis, %s, n.detail, %s,
                COALESCE(rp.user_id, rh.user_id), n.due_on, '', %s, %s
            FROM scan_new n
            LEFT JOIN {self.RESP} rp ON rp.person_id = n.person_id AND rp.until IS NULL
            LEFT JOIN {self.RESP} rh ON rh.household_id = n.household_id AND rh.until IS NULL
            WHERE n.fresh = 1""",
            [self.d(self.on), WarningStatus.OPEN.value, now, now],
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT kind, COUNT(*) FROM scan_new WHERE fresh = 1 GROUP BY kind")
            self.result.raised_by_kind.update(dict(cursor.fetchall()))

    def count_open(self) -> None:
        self.step = "统计"
        if self.ids is not None:
            sql = f"""SELECT COUNT(*) FROM {self.W} w WHERE w.status IN (%s, %s) AND w.household_id IN
                (SELECT household_id FROM {self.P} WHERE id IN (SELECT person_id FROM scan_ids))"""
            params = [*OPEN]
        elif self.within is not None:
            sql = (
                f"SELECT COUNT(*) FROM {self.W} w WHERE w.status IN (%s, %s) AND w.area_id BETWEEN %s AND %s"
            )
            params = [*OPEN, *self.within.code_range]
        else:
            sql = f"SELECT COUNT(*) FROM {self.W} w WHERE w.status IN (%s, %s)"
            params = [*OPEN]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            self.result.open = cursor.fetchone()[0]
