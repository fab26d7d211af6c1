"""The run of a comparison, start to end: read the file, extract the registry of the run's area, link
(linkage/), judge (judging.py, verdicts.py), write the findings and the run's files into the database and
its storage, and finish the run (its counts, message and audit). All of it in one DuckDB connection and
one work folder per run. The decisions people make about findings are actions.py's; a run's automatic
changes go through them (accept)."""

from __future__ import annotations

import datetime as dt
import gc
import json
import logging
import os
import resource
import tempfile
import time
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

import duckdb
import pyarrow as pa
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.compare import sources
from bangfu.compare.actions import accept
from bangfu.compare.judging import FILL_PEOPLE_TABLE, LINKAGE_COLUMNS, REGISTRY_COLUMNS, judge
from bangfu.compare.models import (
    METHOD_NAMES,
    ComparisonRun,
    FillPerson,
    Finding,
    Kind,
    RunStatus,
    Status,
)
from bangfu.compare.reader import EXTRA_PREFIX, SourceFile, read_source
from bangfu.compare.verdicts import ADVICE, PERSON_CHANGES, employment_key
from bangfu.core.background import runner_id
from bangfu.core.bulk import refresh_statistics, select_by_keys
from bangfu.core.extract import into_duckdb
from bangfu.core.files import move_into
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import write_error_report
from bangfu.exchange.spreadsheet import FORMULA_STARTS, SpreadsheetError
from bangfu.registry.models import Person

logger = logging.getLogger(__name__)

RESULT_COLUMNS = ("源行号", "源姓名", "源证件号码", "匹配结果", "匹配证件号码", "匹配概率", "差异")
FINDING_FIELDS = (
    "run", "kind", "change", "status", "area", "person", "row_no", "name", "method", "probability",
    "source", "registry", "proposal", "summary", "automatic", "outcome",
)  # fmt: skip
FILL_PERSON_FIELDS = ("finding", "person", "row_no", "excluded", "outcome")


class PhaseClock:
    """Seconds spent per phase of a run, wall-clock and CPU of this process (DuckDB's threads included);
    kept on the run object as `timings`, and logged."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.background: dict[str, float] = {}  # wall seconds of work done on another thread meanwhile
        self.peak: dict[str, float] = {}  # the process's peak resident memory (GB) at the end of a phase
        # Of `cpu`, the seconds spent in the kernel (page faults, file writes): on some virtual machines
        # a quarter of a province's run (docs/benchmarks.md).
        self.kernel: dict[str, float] = {}

    def add(self, phase: str, seconds: float, cpu: float, kernel: float = 0.0) -> None:
        self.seconds[phase] = self.seconds.get(phase, 0.0) + seconds
        self.cpu[phase] = self.cpu.get(phase, 0.0) + cpu
        self.kernel[phase] = self.kernel.get(phase, 0.0) + kernel

    @contextmanager
    def __call__(self, phase: str):
        started, cpu = time.perf_counter(), time.process_time()
        kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime
        try:
            yield
        finally:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            self.add(phase, time.perf_counter() - started, time.process_time() - cpu, usage.ru_stime - kernel)
            self.peak[phase] = usage.ru_maxrss / 1024**2

    def total(self, *phases: str) -> tuple[float, float, float]:
        """Wall, CPU and kernel seconds of `phases` together."""
        return tuple(sum(part.get(p, 0.0) for p in phases) for part in (self.seconds, self.cpu, self.kernel))


def _progress(run: ComparisonRun, phase: str, percent: int) -> None:
    run.phase, run.percent = phase[:60], max(0, min(100, percent))
    ComparisonRun.objects.filter(pk=run.pk).update(phase=run.phase, percent=run.percent)


def run_comparison(run: ComparisonRun, *, today: dt.date | None = None) -> ComparisonRun:
    """Read, link, judge and record one run. A file that cannot be used as a whole fails the run and
    changes nothing; otherwise rejected rows are reported and the others compared."""
    enabled = gc.isenabled()
    gc.disable()  # millions of small acyclic objects: the cyclic collector only costs time here
    try:
        return _run(run, today or timezone.localdate())
    except Exception as exc:
        _finish(run, RunStatus.FAILED, f"比对出错：{exc}")
        raise
    finally:
        if enabled:
            gc.enable()


def _run(run: ComparisonRun, today: dt.date) -> ComparisonRun:
    clock = run.timings = PhaseClock()
    run.status, run.started_at, run.runner = RunStatus.RUNNING, timezone.now(), runner_id()
    ComparisonRun.objects.filter(pk=run.pk).update(
        status=run.status, started_at=run.started_at, runner=run.runner
    )
    work = tempfile.TemporaryDirectory(prefix=f"bangfu-compare-{run.pk}-")
    con = duckdb_connection(Path(work.name))
    # Work beside the main line, on threads of its own, where the cores would otherwise wait: the
    # registry is extracted while the file is read (the database and DuckDB hold the cores, not the
    # interpreter), the error report written while the rows are linked, results.csv while the database
    # takes the findings. Their phases time the wait for them; `clock.background` their own time.
    background = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"compare-{run.pk}")
    try:
        done = _compare(run, today, con, Path(work.name), background)
    finally:
        background.shutdown(wait=True)
        con.close()
        work.cleanup()
    if done.status == RunStatus.FAILED:
        return done
    if run.auto_apply:
        _progress(run, "自动应用变更", 95)
        with clock("auto_apply"):
            _auto_apply(run)
        run._counts = None  # statuses changed: counted again from the database
    with clock("finish"):
        # What the reader noticed about the file (its unknown columns among them) ends the summary.
        run = _finish(run, RunStatus.DONE, "；".join(getattr(run, "_warnings", [])))
    from bangfu.compare.signals import run_finished

    run_finished.send(sender=ComparisonRun, run=run)
    logger.info(
        "comparison run %s: %s",
        run.pk,
        ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in clock.seconds.items()),
    )
    return run


def _compare(run: ComparisonRun, today: dt.date, con, folder: Path, background) -> ComparisonRun:
    """Read, link, judge and record, in the run's DuckDB `con` and work `folder`. Returns the run: failed
    (finished) when the file cannot be compared, else still running, its findings and files written."""
    clock, stem = run.timings, Path(run.original_name).stem
    _progress(run, "读取文件", 2)
    registry = _start_extraction(con, run, folder, background)
    try:
        with clock("read_source"):
            data = read_source(
                run.file.path,
                sources.TYPES[run.source_type],
                today=today,
                progress=lambda n: _progress(run, f"读取文件（已读 {n} 行）", 5),
                rows_file=folder / ROWS_FILE,
            )
    except SpreadsheetError as exc:
        return _finish(run, RunStatus.FAILED, exc.message + "（未比对，名册未作任何修改）")
    run.total_rows, run.error_rows = data.total_rows, len(data.problems)
    run._warnings, run.errors = data.warnings, error_list(data.problems)
    ComparisonRun.objects.filter(pk=run.pk).update(
        total_rows=run.total_rows, error_rows=run.error_rows, errors=run.errors
    )
    run._rejected = _rejected_lines(data)
    if not data.valid_rows:
        with clock("error_report"):
            write_error_report(folder / REPORT, data.header, data.problems)
            _keep_report(run, folder)
        return _finish(
            run, RunStatus.FAILED, "文件中所有数据行都有错误，未比对，名册未作任何修改。请下载错误报告。"
        )
    report = None
    if data.problems:
        report = background.submit(_timed, write_error_report, folder / REPORT, data.header, data.problems)
    _progress(run, "读取名册", 10)
    with clock("extract_registry"):
        if registry is None:
            _extract_registry(con, run.area, run.source_type, folder)
        else:
            clock.background["extract_registry"] = registry.result()
    with clock("read_source"):
        _load_source(con, data, run, folder)
    del data
    from bangfu.compare.linkage import link  # the engine; imported late, it loads Splink

    def linking(phase: str, fraction: float) -> None:
        _progress(run, f"比对：{phase}", 20 + int(50 * fraction))

    with clock("linkage"):
        link(con, registry="registry", source="source", threshold=run.threshold, progress=linking)
    _progress(run, "生成比对结果", 72)
    _judge(con, run, today, clock)
    results = background.submit(_timed, _on_cursor, con, _results_csv, run._rejected, folder / "results.csv")
    _progress(run, "写入比对结果", 84)
    with clock("write_findings"):
        written = _write_findings(con, run, folder)
        if written >= ANALYZE_AFTER:
            refresh_statistics(Finding)  # the lists' plans: 21 s → 4 ms for a province's first page
        if sum(run._counts["fill_people"].values()) >= ANALYZE_AFTER:
            refresh_statistics(FillPerson)
    _progress(run, "写出结果文件", 90)
    with clock("results_csv"):
        clock.background["results_csv"] = results.result()
        _keep_file(run, "results", folder / "results.csv", f"{stem}-results.csv")
    if report is not None:
        with clock("error_report"):
            clock.background["error_report"] = report.result()
            _keep_report(run, folder)
    return run


def _start_extraction(con, run: ComparisonRun, folder: Path, background):
    """The registry's extraction on another thread, on a database connection of its own; None (extract
    later, on this thread) inside a transaction, whose rows another connection would not see."""
    if connection.in_atomic_block:
        return None

    def extract() -> float:
        started = time.perf_counter()
        try:
            _on_cursor(con, _extract_registry, run.area, run.source_type, folder)
        finally:
            connection.close()  # this thread's own
        return time.perf_counter() - started

    return background.submit(extract)


# DuckDB's memory for one run, unless BANGFU_COMPARE_MEMORY says otherwise (docs/operations.md): beyond
# it DuckDB spills to the run's work folder instead of taking up to 80 % of the machine's memory.
DUCKDB_MEMORY = "6GB"


def duckdb_connection(work: Path):
    """The run's DuckDB: its memory limited (BANGFU_COMPARE_MEMORY, e.g. 6GB), spilling to `work`/duckdb.

    Up to that limit DuckDB keeps the memory of its blocks for the run (`block_allocator_memory`) instead
    of handing it back to the system and taking it again table after table: at 4 million people each
    page taken again cost a page fault, and the run spent a fifth of its CPU in the kernel (a province's
    first 社保 run: 66 s → 63 s, kernel 20 → 17 CPU-s; docs/benchmarks.md). It is touched only as used and
    freed when the run's DuckDB closes."""
    limit = os.environ.get("BANGFU_COMPARE_MEMORY", "").strip() or DUCKDB_MEMORY
    config = {"memory_limit": limit, "block_allocator_memory": limit, "temp_directory": str(work / "duckdb")}
    return duckdb.connect(config=config)


ROWS_FILE = "rows.parquet"  # the rows as uploaded, as the reader writes them in the run's work folder


def _load_source(con, data: SourceFile, run: ComparisonRun, work: Path) -> None:
    table = data.table()
    data.batches.clear()
    con.register("source_arrow", table)
    con.execute(
        "CREATE TABLE source AS "
        "SELECT row_no, id_number, name, sex, birth_date, phone, area_code FROM source_arrow"
    )
    extra = ", ".join(f'"{name}"' for name in table.schema.names if name.startswith(EXTRA_PREFIX))
    con.execute(f"CREATE TABLE source_extra AS SELECT row_no, {extra} FROM source_arrow")
    con.unregister("source_arrow")
    del table
    _keep_file(run, "rows", work / ROWS_FILE, f"{Path(run.original_name).stem}-rows.parquet")


def _extract_registry(con, area, source_type: str, folder: Path) -> None:
    """The people of the area's subtree with every value the linkage and the verdicts read, as the DuckDB
    table `registry_full` (and the view `registry` the linkage reads), in one scan of the database
    (`core.extract`: COPY on PostgreSQL, one JSON array per person on SQLite). The household's values (a
    join) only for the files whose verdicts read them."""
    wanted = [c for c in REGISTRY_COLUMNS if source_type == sources.CIVIL or c[0] not in HOUSEHOLD_VALUES]
    queryset = Person.objects.for_area(area).order_by().values_list(*(c[2] for c in wanted))
    con.execute(
        "CREATE TABLE registry_full ("
        + ", ".join(f"{name} {kind}" for name, kind, _ in REGISTRY_COLUMNS)
        + ")"
    )
    into_duckdb(con, queryset, [(name, kind) for name, kind, _ in wanted], "registry_full", folder)
    con.execute(f"CREATE VIEW registry AS SELECT {', '.join(LINKAGE_COLUMNS)} FROM registry_full")


# Values of the person's household: read by the verdicts of 低保/特困 files only.
HOUSEHOLD_VALUES = {"is_dibao", "is_tekun"}


def _employment_keys(ids: Iterable[int]) -> dict[int, set]:
    from bangfu.employment.models import EmploymentRecord

    keys: dict[int, set] = {}
    fields = ["person", "employer_name", "credit_code", "started_on"]
    for person_id, name, code, started in select_by_keys(EmploymentRecord, "person", list(ids), fields):
        started = started if isinstance(started, str) else started.isoformat()
        keys.setdefault(person_id, set()).add(employment_key(name, code, started))
    return keys


def _records_in_force(ids: Iterable[int]) -> dict[int, list[tuple]]:
    """{person id: [(record id, 单位名称, 统一社会信用代码, 入职日期 ISO), …]} of their employment records in
    force (no 离职日期): those a row saying a job ended may propose to end."""
    from bangfu.employment.models import EmploymentRecord

    found: dict[int, list[tuple]] = {}
    fields = ["id", "person", "employer_name", "credit_code", "started_on"]
    for pk, person_id, name, code, started in select_by_keys(
        EmploymentRecord, "person", list(ids), fields, where="ended_on IS NULL"
    ):
        started = started if isinstance(started, str) else started.isoformat()
        found.setdefault(person_id, []).append((pk, name or "", code or "", started))
    return found


def _ledger(codes: list[str], names: list[str]) -> list[tuple]:
    """The employers of the ledger with one of these credit codes or names: (统一社会信用代码, 单位名称,
    area code, kind)."""
    from bangfu.employers.models import Employer

    fields = ["credit_code", "name", "area", "kind"]
    return select_by_keys(Employer, "credit_code", codes, fields) + select_by_keys(
        Employer, "name", names, fields
    )


def _judge(con, run: ComparisonRun, today: dt.date, clock: PhaseClock) -> None:
    """Judge the linked rows (judging.py: SQL for most, the per-person verdicts for the rest) into DuckDB's
    `findings` and `row_diffs`, and count them for the run. Rows matched exactly by ID are counted on the
    run, not kept one finding each (docs/linkage.md, "What a run keeps")."""
    started, cpu = time.perf_counter(), time.process_time()
    kernel = resource.getrusage(resource.RUSAGE_SELF).ru_stime
    inner = clock.total("registry_values")

    def progress(done: int, total: int) -> None:
        _progress(run, f"生成比对结果（{done}/{total}）", 72 + int(10 * done / total))

    run.matched_exact = judge(
        con,
        source_type=run.source_type,
        area_id=run.area_id,
        today=today,
        employments=_employment_keys,
        in_force=_records_in_force,
        ledger=_ledger,
        progress=progress,
        clock=clock,
    )
    # Judged: of the registry's values results.csv reads only each person's ID number (memory back for
    # the writing, where DuckDB sorts the findings and writes results.csv at once).
    con.execute("CREATE TABLE registry_ids AS SELECT person_id, id_number FROM registry_full")
    con.execute("DROP VIEW registry")
    con.execute("DROP TABLE registry_full")
    run._counts = _tally(
        con.execute("SELECT kind, change, status, count(*) FROM findings GROUP BY ALL").fetchall(),
        run.matched_exact,
        con.execute(f"SELECT change, count(*) FROM {FILL_PEOPLE_TABLE} GROUP BY ALL").fetchall(),
    )
    after = clock.total("registry_values")
    clock.add(
        "judge",
        time.perf_counter() - started - (after[0] - inner[0]),
        time.process_time() - cpu - (after[1] - inner[1]),
        resource.getrusage(resource.RUSAGE_SELF).ru_stime - kernel - (after[2] - inner[2]),
    )
    ComparisonRun.objects.filter(pk=run.pk).update(matched_exact=run.matched_exact)


def _on_cursor(con, function, *args):
    """`function(cursor, *args)` on a DuckDB cursor of its own (one per thread), closed when it returns:
    a cursor left to the garbage keeps the run's DuckDB and its threads alive past `con.close()`, while
    the run's work folder, where DuckDB spills, is being removed (a crash seen once in CI)."""
    cursor = con.cursor()
    try:
        return function(cursor, *args)
    finally:
        cursor.close()


def _timed(function, *args) -> float:
    """Run `function(*args)`; its wall seconds (for a file written on another thread)."""
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def _keep_file(run: ComparisonRun, field: str, path: Path, name: str) -> None:
    """Move a file the run wrote into its storage field."""
    move_into(getattr(run, field), path, name)
    ComparisonRun.objects.filter(pk=run.pk).update(**{field: getattr(run, field).name})


# What a finding keeps of its source rows: their numbers when several (the cells are in the run's rows
# file; rowsfile.py), nothing when it covers its own row_no only or none.
SOURCE_REFERENCE = (
    "CASE WHEN len(covers) > 1 THEN '{\"rows\": [' || array_to_string(covers, ', ') || ']}' ELSE '{}' END"
)

# What a finding stores of its summary: for a change to the person's own values, what the source said
# without the advice, which its registry values and proposal give again (Finding.difference; results.csv
# keeps the whole text).
STORED_SUMMARY = (
    f"CASE WHEN kind = '{Kind.CONFLICT}' AND change IN ({', '.join(repr(c) for c in PERSON_CHANGES)}) "
    f"THEN split_part(summary, '{ADVICE}', 1) ELSE summary END"
)

# Findings reach the database in the order of its indexes on them (run, kind, status, id / area, kind,
# status): each index then takes them as runs of neighbouring entries instead of scattered ones
# (measured with PostgreSQL at 4.4 million findings: a fifth less time), two writers work on different
# villages' entries, and the ids, which lists follow within a kind and status, go village by village.
WRITE_ORDER = "kind, status, area_id, person_id"

# Rows per piece of the findings table written at once: DuckDB writes the next piece while the database
# takes this one (PostgreSQL), or while SQLite inserts it.
WRITE_PIECE = 200_000


# Findings written at once beyond which the planner is told of them (ANALYZE, a fraction of a second)
# rather than left to autovacuum: until then it plans the lists as if the run had a handful.
ANALYZE_AFTER = 100_000


def _write_findings(con, run: ComparisonRun, folder: Path) -> int:
    """DuckDB's `findings` and `fill_people` into the database (see _write_tables). Fill findings go
    first, on their own (a province has some tens of thousands): their people need their ids, found by
    village, change and proposal (_fill_ids). Then the other findings and the fills' people, each sorted
    in the order of the indexes it feeds (the people while the findings' pieces are still being
    written). Returns the number of findings written."""
    select = (
        f"SELECT {int(run.pk)} AS run_id, kind, change, status, area_id, person_id, row_no, name, method, "
        f"probability, {SOURCE_REFERENCE} AS source, registry, proposal, {STORED_SUMMARY} AS summary, "
        "false AS automatic, '' AS outcome FROM findings"
    )
    con.execute(f"CREATE TABLE fills_out AS {select} WHERE kind = '{Kind.FILL}' ORDER BY ALL")
    try:
        count = "SELECT count(*) FROM {}".format
        fills = con.execute(count("fills_out")).fetchall()[0][0]
        _write_tables(con, [Table("fills_out", Finding, FINDING_FIELDS, fills)], folder)
        _fill_ids(con, run)
        people = Table(
            "people_out",
            FillPerson,
            FILL_PERSON_FIELDS,
            total=con.execute(count(FILL_PEOPLE_TABLE)).fetchall()[0][0],
            create=f"""CREATE TABLE people_out AS
                SELECT g.id AS finding_id, p.person_id, p.row_no, false AS excluded, '' AS outcome
                FROM {FILL_PEOPLE_TABLE} p JOIN fill_ids g USING (area_id, change, proposal)
                ORDER BY g.id, p.person_id""",
        )
        # In the order written, as rows the database takes as they are.
        others = Table(
            "findings_out",
            Finding,
            FINDING_FIELDS,
            total=con.execute(count(f"findings WHERE kind <> '{Kind.FILL}'")).fetchall()[0][0],
            # the judged table's memory back once sorted
            create=f"CREATE TABLE findings_out AS {select} WHERE kind <> '{Kind.FILL}' "
            f"ORDER BY {WRITE_ORDER}; DROP TABLE findings",
        )
        return fills + _write_tables(con, [others, people], folder)["findings_out"]
    except BaseException:
        # The fills are committed before their people, and above one piece each piece is committed on
        # its own: a run that fails while writing deletes what it wrote (outside a transaction; inside
        # one, the transaction's rollback does).
        if not connection.in_atomic_block:
            _delete_written(run)
        raise
    finally:
        for table in ("fills_out", "fill_ids", "people_out", "findings_out", FILL_PEOPLE_TABLE, "findings"):
            con.execute(f"DROP TABLE IF EXISTS {table}")


def _fill_ids(con, run: ComparisonRun) -> None:
    """The DuckDB table `fill_ids` (id, area_id, change, proposal): each fill finding's id in the database
    with its village, change and proposal as `fill_people` writes them (JSON text). The database gives a
    proposal back as a dict (PostgreSQL's jsonb orders its keys its own way): both sides are matched by
    their values."""

    def key(change, values: dict) -> tuple:
        return change, tuple(sorted(values.items()))

    written = con.execute(f"SELECT DISTINCT change, proposal FROM {FILL_PEOPLE_TABLE}").fetchall()
    as_written = {key(change, json.loads(text)): text for change, text in written}
    fills = Finding.objects.filter(run=run, kind=Kind.FILL).values_list("id", "area_id", "change", "proposal")
    rows = [
        (pk, area, change, as_written[key(change, proposal["person"])])
        for pk, area, change, proposal in fills
    ]
    names, kinds = (
        ["id", "area_id", "change", "proposal"],
        [pa.int64(), pa.string(), pa.string(), pa.string()],
    )
    arrays = [pa.array([row[n] for row in rows], kind) for n, kind in enumerate(kinds)]
    con.register("fill_ids_arrow", pa.table(arrays, names=names))
    con.execute("CREATE TABLE fill_ids AS SELECT * FROM fill_ids_arrow")  # seen by other cursors
    con.unregister("fill_ids_arrow")


class Table(NamedTuple):
    """A DuckDB table to write into a model's table: its columns are `fields`, in that order; `total` its
    rows. `create` makes it, if given, just before its rows are needed."""

    name: str
    model: type
    fields: tuple[str, ...]
    total: int
    create: str | None = None


def _table_columns(model, fields: tuple[str, ...]) -> str:
    """The model's table and the columns of `fields`, as COPY and INSERT name them."""
    meta, quote = model._meta, connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    return f"{quote(meta.db_table)} ({columns})"


def _write_tables(con, tables: list[Table], work: Path) -> dict[str, int]:
    """DuckDB tables into their models' tables, their rows as they are, in their order; returns {name:
    rows}. No Python object per row: on PostgreSQL COPY of CSV that DuckDB writes in pieces on another
    thread (_copy_tables); on SQLite executemany over the tuples DuckDB hands out, in one transaction."""
    if connection.vendor == "postgresql":
        _copy_tables(con, tables, work)
        return {t.name: t.total for t in tables}
    with transaction.atomic(), connection.cursor() as db:
        for table in tables:
            if table.create:
                con.execute(table.create)
            marks = ", ".join(["%s"] * len(table.fields))
            sql = f"INSERT INTO {_table_columns(table.model, table.fields)} VALUES ({marks})"
            cursor = con.execute(f"SELECT * FROM {table.name}")
            while batch := cursor.fetchmany(10_000):
                db.executemany(sql, batch)
    return {t.name: t.total for t in tables}


# Writers at once on PostgreSQL, each on its own connection: the server parses JSON and maintains
# indexes per row, on one core per connection (2 writers: 1,000,000 findings in about half the time of
# one).
PARALLEL_WRITERS = 2


def _copy_tables(con, tables: list[Table], work: Path) -> None:
    """DuckDB makes each table (`create`) and writes pieces of WRITE_PIECE rows of it as CSV on one thread;
    COPY sends them. Up to one piece in all, or inside a transaction already open (tests), on this
    connection in one transaction; more, on PARALLEL_WRITERS connections of their own, a piece per
    transaction (runs of millions would hold one open for minutes; _write_findings deletes what a failed
    run wrote)."""
    import queue
    import threading

    from django.db import DEFAULT_DB_ALIAS, connections

    parallel = sum(t.total for t in tables) > WRITE_PIECE and not connection.in_atomic_block
    copies = {t.name: f"COPY {_table_columns(t.model, t.fields)} FROM STDIN (FORMAT csv)" for t in tables}
    writers = PARALLEL_WRITERS if parallel else 1
    pieces: queue.Queue = queue.Queue(maxsize=writers)
    errors: list[BaseException] = []

    with tempfile.TemporaryDirectory(prefix="findings-", dir=work) as folder:

        def produce() -> None:
            cursor = None  # closed here: see _on_cursor
            try:
                number, cursor = 0, con.cursor()
                for table in tables:
                    if table.create:
                        cursor.execute(table.create)
                    for start in range(0, table.total, WRITE_PIECE):
                        if errors:
                            return
                        target = Path(folder) / f"{number}.csv"
                        cursor.execute(
                            f"COPY (SELECT * FROM {table.name} WHERE rowid >= {start} "
                            f"AND rowid < {start + WRITE_PIECE}) TO '{target}' (HEADER false)"
                        )
                        pieces.put((target, copies[table.name]))
                        number += 1
            except BaseException as exc:  # raised by the caller once the writers have stopped
                errors.append(exc)
            finally:
                if cursor is not None:
                    cursor.close()
                for _ in range(writers):
                    pieces.put(None)

        def send(db) -> None:
            """COPY each piece until the producer is done; after an error only drain the queue."""
            while (item := pieces.get()) is not None:
                piece, copy_sql = item
                if not errors:
                    try:
                        with (
                            open(piece, "rb") as handle,
                            db.cursor() as cursor,
                            cursor.cursor.copy(copy_sql) as copy,
                        ):
                            while block := handle.read(1 << 20):
                                copy.write(block)
                    except BaseException as exc:
                        errors.append(exc)
                piece.unlink()

        def write_alone() -> None:
            db = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                send(db)
            finally:
                db.close()

        producer = threading.Thread(target=produce, name="findings-csv", daemon=True)
        producer.start()
        if parallel:
            threads = [threading.Thread(target=write_alone, name=f"findings-{i}") for i in range(writers)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        else:
            with transaction.atomic():
                send(connection)
                if errors:
                    raise errors[0]
        producer.join()
    if errors:
        raise errors[0]  # what the writers committed is deleted by _write_findings


def _delete_written(run: ComparisonRun) -> None:
    """What a run wrote of its findings and their people (a failed write)."""
    fills = Finding.objects.filter(run_id=run.pk, kind=Kind.FILL).values("id")
    FillPerson.objects.filter(finding_id__in=fills)._raw_delete(FillPerson.objects.db)
    Finding.objects.filter(run_id=run.pk)._raw_delete(Finding.objects.db)


def _results_csv(con, rejected: list[tuple], target: Path) -> None:
    """Written by DuckDB, as Python's csv module writes it (UTF-8 with BOM, CRLF, quotes only where
    needed, nothing between the commas of an empty value), linked rows and rejected ones in row order. A
    row that repeats an earlier linked row cell for cell says so and carries that row's link: it is the
    same person (plain linkage would link it again; it is not compared twice)."""
    names = ("row_no", "name", "id_raw", "result", "matched", "probability", "diff", "same_as")
    kinds = {0: pa.int64(), 7: pa.int64()}
    columns = [pa.array([r[i] for r in rejected], kinds.get(i, pa.string())) for i in range(len(names))]
    table = pa.table(columns, names=names)
    con.register("rejected_rows", table)
    # The header as csv.writer writes it, the byte-order mark ahead of its first name: DuckDB writes the
    # whole file where it is kept (a province's is a gigabyte; it was copied twice more).
    header = ['"\ufeff' + RESULT_COLUMNS[0] + '"'] + [f'"{title}"' for title in RESULT_COLUMNS[1:]]
    # Nothing between the commas of an empty value; text that Excel would run as a formula guarded as
    # exchange.report.formula_safe guards it (a leading apostrophe).
    guard = "''''"  # one apostrophe, as an SQL string
    starts = ", ".join([*(f"chr({ord(c)})" for c in FORMULA_STARTS), guard])
    values = ["row_no"] + [
        f"CASE WHEN left({n}, 1) IN ({starts}) THEN {guard} || {n} ELSE nullif({n}, '') END"
        for n in names[1:7]
    ]
    try:
        con.execute(
            f"""COPY (
            WITH linked AS (
                SELECT l.row_no, s.name, s.id_number AS id_raw,
                    CASE WHEN l.method = 'ambiguous' THEN '{METHOD_NAMES["ambiguous"]}'
                         WHEN r.id_number IS NULL OR l.method = 'none' THEN '{METHOD_NAMES["none"]}'
                         WHEN l.method = 'exact' THEN '{METHOD_NAMES["exact"]}'
                         ELSE '{METHOD_NAMES["fuzzy"]}' END AS result,
                    r.id_number AS matched,
                    CASE WHEN (r.id_number IS NOT NULL AND l.method <> 'none') OR l.method = 'ambiguous'
                         THEN printf('%.4f', l.probability) END AS probability,
                    d.diff
                FROM links l JOIN source s USING (row_no)
                LEFT JOIN registry_ids r ON r.person_id = l.person_id
                LEFT JOIN row_diffs d USING (row_no)
            )
            SELECT {", ".join(f"{v} AS {h}" for v, h in zip(values, header, strict=True))} FROM (
                SELECT * FROM linked
                UNION ALL
                SELECT j.row_no, j.name, j.id_raw, coalesce(f.result, j.result), f.matched, f.probability,
                    CASE WHEN f.row_no IS NULL THEN j.diff
                         ELSE '与第' || f.row_no || '行完全相同（重复行），未重复比对，匹配结果同第'
                              || f.row_no || '行' END
                FROM rejected_rows j LEFT JOIN linked f ON f.row_no = j.same_as
            ) ORDER BY row_no
        ) TO '{target}' (HEADER true, NEW_LINE '\r\n')"""
        )
    finally:
        con.unregister("rejected_rows")


REPORT = "errors.xlsx"  # the error report, as written in the run's work folder


def _keep_report(run: ComparisonRun, folder: Path) -> None:
    _keep_file(run, "report", folder / REPORT, run.report_filename)


def _rejected_lines(data: SourceFile) -> list[tuple]:
    """Rejected rows still get their line in results.csv; a row that repeats an earlier one (`same_as`,
    else None) is given that row's link there."""
    return sorted(
        (
            p.row_number,
            _raw_cell(data, p, "姓名"),
            _raw_cell(data, p, "证件号码"),
            METHOD_NAMES["none"],
            "",
            "",
            "该行有错误，未比对：" + p.reasons(),
            data.duplicates.get(p.row_number),
        )
        for p in data.problems
    )


def _raw_cell(data: SourceFile, problem, column: str) -> str:
    from bangfu.exchange.spreadsheet import as_text, fold

    for index, title in enumerate(data.header):
        if fold(title) == fold(column) and index < len(problem.raw_cells):
            return as_text(problem.raw_cells[index]).strip()
    return ""


def run_counts(run: ComparisonRun) -> dict:
    """Findings per kind, per change kind and per status, and the people of fill findings per change;
    exact matches that propose nothing are counted on the run (`matched_exact`), not kept one finding
    each."""
    rows = (
        Finding.objects.filter(run=run)
        .values_list("kind", "change", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    # A run's fills never gain or lose people: counted once, when it finished (a province's 3 million took
    # half a second to count again on every view of the run).
    people = (run.counts or {}).get("fill_people")
    if people is None:
        people = (
            FillPerson.objects.filter(finding__run=run)
            .values_list("finding__change")
            .annotate(n=Count("row_no"))
            .order_by()
        )
    else:
        people = people.items()
    return _tally(rows, run.matched_exact, people)


def _tally(
    rows: Iterable[tuple[str, str, str, int]], matched_exact: int, fill_people: Iterable[tuple[str, int]]
) -> dict:
    """run_counts from (kind, change, status, count) rows and (change, people) of fills: of the database,
    or of the judged findings before they are written (the same numbers, without reading millions of
    rows back)."""
    counts: dict = {
        "kind": {},
        "change": {},
        "open": 0,
        "accepted": 0,
        "rejected": 0,
        "fill_people": dict(fill_people),
    }
    if matched_exact:  # not kept one finding each
        counts["kind"][Kind.EXACT.value] = matched_exact
    for kind, change, status, n in rows:
        counts["kind"][kind] = counts["kind"].get(kind, 0) + n
        if change:
            counts["change"][change] = counts["change"].get(change, 0) + n
        if status in ("open", "accepted", "rejected"):
            counts[status] += n
    return counts


@transaction.atomic
def _finish(run: ComparisonRun, status: str, message: str) -> ComparisonRun:
    run.status, run.finished_at, run.phase = status, timezone.now(), ""
    if status == RunStatus.DONE:
        run.counts = getattr(run, "_counts", None) or run_counts(run)
        kinds = run.counts["kind"]
        summary = (
            f"共 {run.total_rows} 行，错误 {run.error_rows} 行；精确匹配 {kinds.get('exact', 0)}，"
            f"模糊匹配 {kinds.get('fuzzy', 0)}，未匹配 {kinds.get('unmatched', 0)}，"
            f"来源缺少 {kinds.get('missing', 0)}，冲突 {kinds.get('conflict', 0)}；"
            f"待处理 {run.counts['open']}，已自动应用 {run.counts['accepted']}"
        )
        if people := sum(run.counts.get("fill_people", {}).values()):
            summary += f"；其中名册补录 {kinds.get('fill', 0)} 组（按村，共 {people} 人）"
        message = "；".join(filter(None, [summary, message]))
        run.percent = 100
    run.message = message
    run.save()
    audit(
        Action.IMPORT,
        actor=run.user,
        obj=run,
        message=("数据比对完成：" if status == RunStatus.DONE else "数据比对失败：") + message,
    )
    return run


def _auto_apply(run: ComparisonRun) -> None:
    """Changes of the kinds the run's settings allow, accepted as the run's user, marked automatic. Rows
    linked only fuzzily always wait for a person."""
    findings = Finding.objects.filter(run=run, status=Status.OPEN, change__in=run.auto_apply).exclude(
        kind=Kind.FUZZY
    )
    for finding in findings.exclude(method="fuzzy").iterator():
        accept(run.user, finding, automatic=True)
