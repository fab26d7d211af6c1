"""Writes of data comparison: create and run a comparison, accept or reject its findings (through the
registry's own write functions, so history and audit are those of a manual edit), flag laborers who
cannot be reached."""

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
from itertools import batched
from pathlib import Path
from typing import NamedTuple

import duckdb
import pyarrow as pa
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import File
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.compare import sources
from bangfu.compare.judging import FILL_PEOPLE_TABLE, LINKAGE_COLUMNS, REGISTRY_COLUMNS, judge
from bangfu.compare.models import (
    BulkDecision,
    ChangeKind,
    ComparisonRun,
    FillPerson,
    Finding,
    Kind,
    RunStatus,
    Status,
    Unreachable,
)
from bangfu.compare.reader import EXTRA_PREFIX, SourceFile, read_source
from bangfu.compare.rules import ADVICE, PERSON_CHANGES, SHOWN, employment_key
from bangfu.core.bulk import refresh_statistics, select_by_keys
from bangfu.core.extract import into_duckdb
from bangfu.core.files import move_into
from bangfu.exchange.report import write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.registry.actions import SOURCE_COMPARE, update_household_fields, update_person_fields
from bangfu.registry.models import Person

logger = logging.getLogger(__name__)

RESULT_COLUMNS = ("源行号", "源姓名", "源证件号码", "匹配结果", "匹配证件号码", "匹配概率", "差异")
METHOD_NAMES = {"exact": "精确匹配", "fuzzy": "模糊匹配", "none": "未匹配"}
FINDING_FIELDS = (
    "run", "kind", "change", "status", "area", "person", "row_no", "name", "method", "probability",
    "source", "registry", "proposal", "summary", "automatic", "outcome",
)  # fmt: skip
FILL_PERSON_FIELDS = ("finding", "person", "row_no", "excluded", "outcome")
DATE_FIELDS = {"died_on"}


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


# --------------------------------------------------------------------------------------------------
# Runs


@transaction.atomic
def create_run(
    *,
    area,
    user,
    source_type: str,
    path: Path | None = None,
    upload=None,
    name: str = "",
    threshold: float = 0.9,
    auto_apply: Iterable[str] = (),
) -> ComparisonRun:
    """Keep the file with the run and its settings, so what was compared can be looked at again."""
    if source_type not in sources.TYPES:
        raise ValidationError(f"未知的比对数据类型：{source_type}")
    if not 0.5 <= threshold < 1:
        raise ValidationError("模糊匹配阈值应在 0.5 与 1 之间。")
    kinds = [k for k in auto_apply if k]
    unknown = [k for k in kinds if k not in ChangeKind.values or k == ChangeKind.CONTRADICTION]
    if unknown:
        raise ValidationError(f"不能自动应用的变更类型：{'、'.join(unknown)}")
    run = ComparisonRun(
        source_type=source_type,
        area=area,
        user=user if getattr(user, "pk", None) else None,
        threshold=threshold,
        auto_apply=kinds,
    )
    if upload is not None:
        run.original_name = name or upload.name
        run.file.save(Path(run.original_name).name, upload, save=False)
    else:
        run.original_name = name or path.name
        with open(path, "rb") as fh:
            run.file.save(path.name, File(fh), save=False)  # streamed: a province's file is gigabytes
    run.save()
    settings_text = f"阈值 {threshold}" + (
        f"，自动应用：{'、'.join(run.auto_apply_labels)}" if kinds else "，不自动应用任何变更"
    )
    audit(
        Action.IMPORT,
        actor=user,
        obj=run,
        message=f"提交数据比对（{sources.TYPE_NAMES[source_type]}）：{run.original_name}；{settings_text}",
    )
    return run


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
    run.status, run.started_at = RunStatus.RUNNING, timezone.now()
    ComparisonRun.objects.filter(pk=run.pk).update(status=run.status, started_at=run.started_at)
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
        run = _finish(run, RunStatus.DONE, "")
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
    ComparisonRun.objects.filter(pk=run.pk).update(total_rows=run.total_rows, error_rows=run.error_rows)
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
    results = background.submit(_timed, _results_csv, con.cursor(), run._rejected, folder / "results.csv")
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
            _extract_registry(con.cursor(), run.area, run.source_type, folder)
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
    """The people of the area's subtree with every value the linkage and the rules read, as the DuckDB
    table `registry_full` (and the view `registry` the linkage reads), in one scan of the database
    (`core.extract`: COPY on PostgreSQL, one JSON array per person on SQLite). The household's values (a
    join) only for the files whose rules read them."""
    wanted = [c for c in REGISTRY_COLUMNS if source_type == sources.CIVIL or c[0] not in HOUSEHOLD_VALUES]
    queryset = Person.objects.for_area(area).order_by().values_list(*(c[2] for c in wanted))
    con.execute(
        "CREATE TABLE registry_full ("
        + ", ".join(f"{name} {kind}" for name, kind, _ in REGISTRY_COLUMNS)
        + ")"
    )
    into_duckdb(con, queryset, [(name, kind) for name, kind, _ in wanted], "registry_full", folder)
    con.execute(f"CREATE VIEW registry AS SELECT {', '.join(LINKAGE_COLUMNS)} FROM registry_full")


# Values of the person's household: read by the rules of 低保/特困 files only.
HOUSEHOLD_VALUES = {"is_dibao", "is_tekun"}


def _employment_keys(ids: Iterable[int]) -> dict[int, set]:
    from bangfu.employment.models import EmploymentRecord

    keys: dict[int, set] = {}
    fields = ["person", "employer_name", "credit_code", "started_on"]
    for person_id, name, code, started in select_by_keys(EmploymentRecord, "person", list(ids), fields):
        started = started if isinstance(started, str) else started.isoformat()
        keys.setdefault(person_id, set()).add(employment_key(name, code, started))
    return keys


def _judge(con, run: ComparisonRun, today: dt.date, clock: PhaseClock) -> None:
    """Judge the linked rows (judging.py: SQL for most, the per-person rules for the rest) into DuckDB's
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
    needed, nothing between the commas of an empty value), linked rows and rejected ones in row order."""
    names = ("row_no", "name", "id_raw", "result", "matched", "probability", "diff")
    table = pa.table(
        [pa.array([r[i] for r in rejected], pa.int64() if i == 0 else pa.string()) for i in range(7)],
        names=names,
    )
    con.register("rejected_rows", table)
    # The header as csv.writer writes it, the byte-order mark ahead of its first name: DuckDB writes the
    # whole file where it is kept (a province's is a gigabyte; it was copied twice more).
    header = ['"\ufeff' + RESULT_COLUMNS[0] + '"'] + [f'"{title}"' for title in RESULT_COLUMNS[1:]]
    values = ["row_no"] + [f"nullif({n}, '')" for n in names[1:]]  # nothing between the commas
    try:
        con.execute(
            f"""COPY (
            SELECT {", ".join(f"{v} AS {h}" for v, h in zip(values, header, strict=True))} FROM (
                SELECT l.row_no, s.name, s.id_number AS id_raw,
                    CASE WHEN r.id_number IS NULL OR l.method = 'none' THEN '{METHOD_NAMES["none"]}'
                         WHEN l.method = 'exact' THEN '{METHOD_NAMES["exact"]}'
                         ELSE '{METHOD_NAMES["fuzzy"]}' END AS result,
                    r.id_number AS matched,
                    CASE WHEN r.id_number IS NOT NULL AND l.method <> 'none'
                         THEN printf('%.4f', l.probability) END AS probability,
                    d.diff
                FROM links l JOIN source s USING (row_no)
                LEFT JOIN registry_ids r ON r.person_id = l.person_id
                LEFT JOIN row_diffs d USING (row_no)
                UNION ALL SELECT * FROM rejected_rows
            ) ORDER BY row_no
        ) TO '{target}' (HEADER true, NEW_LINE '\r\n')"""
        )
    finally:
        con.unregister("rejected_rows")


REPORT = "errors.xlsx"  # the error report, as written in the run's work folder


def _keep_report(run: ComparisonRun, folder: Path) -> None:
    _keep_file(run, "report", folder / REPORT, f"{Path(run.original_name).stem}-错误报告.xlsx")


def _rejected_lines(data: SourceFile) -> list[tuple]:
    """Rejected rows still get their line in results.csv."""
    return sorted(
        (
            p.row_number,
            _raw_cell(data, p, "姓名"),
            _raw_cell(data, p, "证件号码"),
            METHOD_NAMES["none"],
            "",
            "",
            "该行有错误，未比对：" + p.reasons(),
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


# --------------------------------------------------------------------------------------------------
# Review


def _check_scope(actor, finding: Finding) -> None:
    if getattr(actor, "pk", None) and not actor.area.contains(finding.area_id):
        raise PermissionDenied("该比对结果不在您的管辖区域内。")


def _typed(values: dict) -> dict:
    return {k: (dt.date.fromisoformat(v) if k in DATE_FIELDS and v else v) for k, v in values.items()}


@transaction.atomic
def accept(actor, finding: Finding, *, automatic: bool = False) -> Finding:
    """Apply a finding's proposed change through the registry's write functions (history 比对, audit) and
    mark it accepted. A finding already decided changes nothing again."""
    finding = (
        Finding.objects.select_for_update(of=("self",)).select_related("person", "run").get(pk=finding.pk)
    )
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    label = f"数据比对（{finding.run.get_source_type_display()}，批次 {finding.run_id}）" + (
        "自动应用" if automatic else ""
    )
    outcome = _fill(actor, finding, label) if finding.is_fill else _apply(actor, finding, label)
    finding.status = Status.ACCEPTED
    finding.automatic = automatic
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = outcome
    finding.save(update_fields=["status", "automatic", "decided_by", "decided_at", "outcome"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=finding,
        message=("自动应用" if automatic else "接受")
        + f"比对结果：{finding.difference}；{finding.outcome}"[:1000],
    )
    return finding


def _apply(actor, finding: Finding, label: str) -> str:
    """Apply one finding's proposal (the person's and household's fields, an employment record). Returns
    the finding's outcome."""
    proposal, person, parts = finding.proposal, finding.person, []
    if values := proposal.get("person"):
        diff = update_person_fields(actor, person, _typed(values), source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    if values := proposal.get("household"):
        diff = update_household_fields(actor, person.household, values, source=SOURCE_COMPARE, message=label)
        parts += [f"{k}" for k in diff]
    if (job := proposal.get("employment")) and _create_employment(actor, person, job, finding):
        parts.append("就业记录")
    return ("已修改：" + "、".join(_field_label(p) for p in parts)) if parts else "名册已是建议的值，未修改"


def _fill(actor, finding: Finding, label: str) -> str:
    """Fill each person of a fill finding not left out, through the registry's write function (history
    and audit per person, as a manual edit). A person whose registry has meanwhile got any of the values
    is not overwritten. Returns the finding's outcome."""
    fields, values = SHOWN[finding.change], _typed(finding.proposal["person"])
    filled, kept, left_out = [], [], []
    people = finding.people.select_related("person").order_by("row_no")
    for member in people.iterator(chunk_size=2000):
        person = member.person
        if member.excluded:
            left_out.append(person.pk)
        elif any(getattr(person, name) not in (None, "") for name in fields):
            kept.append(person.pk)
        else:
            update_person_fields(actor, person, values, source=SOURCE_COMPARE, message=label)
            filled.append(person.pk)
    outcomes = ((filled, "已补录"), (kept, "名册已有值，未覆盖"), (left_out, "未补录（审核时排除）"))
    for ids, outcome in outcomes:
        for chunk in batched(ids, 1000):
            finding.people.filter(person_id__in=chunk).update(outcome=outcome)
    return "；".join(
        part
        for part in (
            f"已补录 {len(filled)} 人",
            f"{len(kept)} 人名册已有值，未覆盖" if kept else "",
            f"排除 {len(left_out)} 人" if left_out else "",
        )
        if part
    )


@transaction.atomic
def exclude_people(actor, finding: Finding, person_ids: Iterable[int], *, excluded: bool = True) -> int:
    """Leave people of an open fill finding out of it (or take them back in) before it is accepted.
    Returns how many changed."""
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_scope(actor, finding)
    if not finding.is_fill or finding.status != Status.OPEN:
        return 0
    wanted = finding.people.filter(person_id__in=list(person_ids)).exclude(excluded=excluded)
    names = list(wanted.values_list("person__name", "row_no"))
    changed = wanted.update(excluded=excluded)
    if changed:
        listed = "、".join(f"{name}（第{row}行）" for name, row in names[:50])
        audit(
            Action.UPDATE,
            actor=actor,
            obj=finding,
            message=(f"名册补录排除 {changed} 人：" if excluded else f"名册补录恢复 {changed} 人：")
            + listed
            + ("等" if changed > 50 else ""),
        )
    return changed


def _field_label(name: str) -> str:
    from bangfu.compare.rules import LABELS

    return LABELS.get(name, name)


def _create_employment(actor, person: Person, job: dict, finding: Finding) -> bool:
    from bangfu.areas.models import Area
    from bangfu.employment.models import EmploymentRecord, Source

    started = dt.date.fromisoformat(job["started_on"])
    existing = EmploymentRecord.objects.filter(person=person, started_on=started)
    existing = (
        existing.filter(credit_code=job["credit_code"])
        if job["credit_code"]
        else existing.filter(employer_name=job["employer_name"])
    )
    if existing.exists():
        return False
    work_area = (job.get("work_area") or "").ljust(12, "0") if job.get("work_area") else None
    if work_area and not Area.objects.filter(code=work_area).exists():
        work_area = None
    record = EmploymentRecord.objects.create(
        person=person,
        area_id=person.area_id,
        employer_name=job["employer_name"][:100],
        credit_code=job["credit_code"],
        work_area_id=work_area,
        place=job.get("place") or "",
        started_on=started,
        ended_on=dt.date.fromisoformat(job["ended_on"]) if job.get("ended_on") else None,
        monthly_wage=job.get("monthly_wage"),
        source=Source.COMPARE,
        source_ref=f"compare:{finding.pk}",
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=record,
        message=f"数据比对新增就业记录：{record.employer_name}，{started.isoformat()} 入职",
    )
    return True


@transaction.atomic
def reject(actor, finding: Finding, note: str = "") -> Finding:
    finding = Finding.objects.select_for_update().get(pk=finding.pk)
    _check_scope(actor, finding)
    if finding.status != Status.OPEN:
        return finding
    finding.status = Status.REJECTED
    finding.decided_by = actor if getattr(actor, "pk", None) else None
    finding.decided_at = timezone.now()
    finding.outcome = ("驳回：" + note.strip())[:500] if note.strip() else "驳回，名册未修改"
    finding.save(update_fields=["status", "decided_by", "decided_at", "outcome"])
    audit(Action.UPDATE, actor=actor, obj=finding, message=f"驳回比对结果：{finding.difference}"[:1000])
    return finding


def decide_many(actor, findings, *, accepting: bool, note: str = "") -> int:
    """Accept or reject every open finding of `findings` (already scoped to the actor), each in its own
    transaction: one failure does not undo the others. Returns how many were decided."""
    count = 0
    for finding in findings.filter(status=Status.OPEN).order_by("id").iterator():
        _decide(actor, finding, accepting, note)
        count += 1
    return count


def _decide(actor, finding: Finding, accepting: bool, note: str) -> None:
    if accepting:
        accept(actor, finding)
    else:
        reject(actor, finding, note)


# Deciding at most this much in the request (open findings, and the people of their fills: a village's
# fill is one finding for hundreds of people, each filled on their own); more goes to the background
# (BulkDecision): a province's first 社保 run leaves some 380,000 open findings and 3 million fill people.
BULK_IN_REQUEST = 300


def bulk_work(findings) -> int:
    """How much deciding the open findings of `findings` would be: the findings, their fills' people."""
    pending = findings.filter(status=Status.OPEN)
    fills = pending.filter(kind=Kind.FILL).values("pk")
    return pending.count() + FillPerson.objects.filter(finding__in=fills, excluded=False).count()


@transaction.atomic
def queue_bulk_decision(actor, findings, *, accepting: bool, note: str = "", filters: dict) -> BulkDecision:
    """Decide the open findings of `findings` (scoped to the actor, matched by the findings page's
    `filters`) in the background; those of later runs are left out (`last_id`)."""
    pending = findings.filter(status=Status.OPEN)
    bulk = BulkDecision.objects.create(
        area=actor.area,
        user=actor,
        accepting=accepting,
        note=note.strip()[:200],
        filters={k: v for k, v in filters.items() if v not in (None, "")},
        last_id=pending.order_by("-id").values_list("id", flat=True).first() or 0,
        total=pending.count(),
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=bulk,
        message=f"批量{bulk.verb}比对结果（后台处理）：{bulk.total} 条，筛选条件：{bulk.filters_shown}",
    )
    transaction.on_commit(lambda: _enqueue_bulk(bulk.pk))
    return bulk


def _enqueue_bulk(bulk_id: int) -> None:
    from bangfu.compare.tasks import decide_bulk_task

    decide_bulk_task.enqueue(bulk_id)


def bulk_findings(bulk: BulkDecision):
    """The findings a bulk decision still has to decide: open, matched by its filters, in its area and
    still in its user's (one moved or deactivated meanwhile decides nothing more), up to its last id."""
    from bangfu.compare.filters import FindingFilter

    scoped = Finding.objects.for_user(bulk.user).for_area(bulk.area)
    filterset = FindingFilter(bulk.filters, queryset=scoped)
    if not filterset.is_valid():  # a filter that no longer reads (a kind renamed): not "every finding"
        return Finding.objects.none()
    return filterset.qs.filter(status=Status.OPEN, id__lte=bulk.last_id).order_by("id")


BULK_PROGRESS_EVERY = 2.0  # seconds between progress writes


def run_bulk_decision(bulk: BulkDecision) -> BulkDecision:
    """Decide a queued bulk decision's findings one by one, its progress kept on it. A finding that fails
    is logged and counted (the first reasons kept for the page); the others go on. What a stopped one
    (the worker killed) left open, a bulk decision submitted again takes."""
    bulk.status, bulk.started_at = RunStatus.RUNNING, timezone.now()
    bulk.save(update_fields=["status", "started_at"])
    actor, reasons, saved = bulk.user, [], time.monotonic()
    for finding in bulk_findings(bulk).iterator(chunk_size=500):
        try:
            _decide(actor, finding, bulk.accepting, bulk.note)
            bulk.done += 1
        except Exception as exc:  # one finding's failure does not stop the others; the page says how many
            logger.exception("bulk decision %s: finding %s failed", bulk.pk, finding.pk)
            bulk.failed += 1
            if len(reasons) < 5:
                reasons.append(f"结果 {finding.pk}：{_reason(exc)}")
        if time.monotonic() - saved >= BULK_PROGRESS_EVERY:
            bulk.save(update_fields=["done", "failed"])
            saved = time.monotonic()
    bulk.status, bulk.finished_at = RunStatus.DONE, timezone.now()
    bulk.message = (
        f"已{bulk.verb} {bulk.done} 条"
        + (
            f"，{bulk.failed} 条未能处理（{'；'.join(reasons)}{'等' if bulk.failed > len(reasons) else ''}）"
            if bulk.failed
            else ""
        )
        + "。"
    )
    bulk.save(update_fields=["done", "failed", "status", "finished_at", "message"])
    return bulk


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    if isinstance(exc, PermissionDenied):
        return str(exc) or "无权处理"
    return "系统错误，请联系管理员查看日志"


# --------------------------------------------------------------------------------------------------
# Unreachable laborers (联系不上)


@transaction.atomic
def flag_unreachable(actor, person: Person, note: str = "", on: dt.date | None = None) -> Unreachable:
    if not actor.area.contains(person.area_id):
        raise PermissionDenied("此人不在您的管辖区域内。")
    current = Unreachable.objects.filter(person=person, cleared_at__isnull=True).first()
    if current is not None:
        return current
    flag = Unreachable.objects.create(
        person=person,
        area_id=person.area_id,
        flagged_on=on or timezone.localdate(),
        flagged_by=actor,
        note=note[:200],
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=flag,
        message=f"标记联系不上：{person.name}" + (f"（{note}）" if note else ""),
    )
    return flag


@transaction.atomic
def clear_unreachable(actor, flag: Unreachable, note: str = "") -> Unreachable:
    flag = Unreachable.objects.select_for_update().select_related("person").get(pk=flag.pk)
    if not actor.area.contains(flag.area_id):
        raise PermissionDenied("此人不在您的管辖区域内。")
    if flag.cleared_at is not None:
        return flag
    flag.cleared_at, flag.cleared_by, flag.clear_note = timezone.now(), actor, note[:200]
    flag.save(update_fields=["cleared_at", "cleared_by", "clear_note"])
    audit(Action.UPDATE, actor=actor, obj=flag, message=f"取消联系不上标记：{flag.person.name}")
    return flag
