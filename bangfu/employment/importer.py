"""The employment records file (EXCHANGE §5): `bangfu import employment FILE --area CODE` and 导入就业信息
on the pages, in two phases — read and check every row, writing nothing; then save the valid rows in one
transaction (a failure saves nothing), set-based, for a million rows in a minute.

- Large CSV files are read by polars and checked column-wise (employment/columnar.py), other files row by
  row (employment/rows.py); the checks across rows run on the frame of accepted rows: the person is a
  living registry person of the importing area's subtree with the same name (core.bulk.select_by_keys),
  the work area a loaded area code, and a record appears once in the file.
- A record is identified by (证件号码, 入职日期, employer), the employer being 统一社会信用代码 when given,
  else 单位名称. A new one is inserted (core.bulk.insert_frame) as a record of source 就业信息导入; an
  existing one — of any source — is updated when the row changes it (core.bulk.update_frame): the row's
  employer, work area and 务工地域 replace the record's, and its 离职日期, 离职原因, 月工资 and 就业渠道 when
  given (an empty cell never erases a value: a file older than a record's end does not reopen it).
  Unchanged rows write nothing.
- 务工地域 comes from the work area and the person's village (status.place_between); 就业渠道 when empty
  from the employer ledger and labor cooperations (employment/channel.py, the rule `channel_for` uses).
- Then 务工状态 and 务工时间(月) of the people touched are derived again (actions.refresh_status) and
  `records_changed` goes out on commit, so the warning engine reacts (an ended record: 就业转失业).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path

import polars as pl
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.core.bulk import insert_frame, refresh_statistics, roomy_cache, select_by_keys, update_frame
from bangfu.core.files import shown_names
from bangfu.employers.models import Employer
from bangfu.employment import channel as channels
from bangfu.employment import rows
from bangfu.employment.actions import records_changed_on_commit, refresh_status
from bangfu.employment.columnar import RECORD_SCHEMA, check_cells, records_frame
from bangfu.employment.models import EmploymentImport, EmploymentRecord, Source
from bangfu.employment.status import derived_frame, place_between
from bangfu.exchange.errors import error_list
from bangfu.exchange.frames import can_read_fast, read_csv_frame
from bangfu.exchange.report import CellError, RowProblem, write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.registry.importer import fill_raw_cells
from bangfu.registry.models import ImportStatus, Person

STATUS_SOURCE = "就业信息导入"  # registry Change.source of the 务工状态 derived after the import
ANALYZE_AFTER = 10000  # records written before the planner's statistics are refreshed


@dataclass
class Validation:
    header: list[str]
    records: pl.DataFrame
    """The accepted rows: RECORD_SCHEMA plus `person_id` and `home_code` (the person's village)."""
    problems: list[RowProblem]
    total_rows: int = 0
    warnings: list[str] = field(default_factory=list)


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changed: int = 0


def frame_of(rows: list[tuple], schema: dict) -> pl.DataFrame:
    """Database rows as a frame, built column by column (from rows, polars converts value by value)."""
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in schema]
    return pl.DataFrame(
        [
            pl.Series(name, list(values), dtype=dtype)
            for (name, dtype), values in zip(schema.items(), columns, strict=True)
        ]
    )


def employer_key() -> pl.Expr:
    """§5's employer of a record: the credit code when given, else the name."""
    return pl.when(pl.col("credit_code") != "").then(pl.col("credit_code")).otherwise(pl.col("employer_name"))


KEY = ("person_id", "started_on", "employer_key")


# --------------------------------------------------------------------------------------------------
# Phase one


def validate_file(
    path, area: Area, *, today: dt.date | None = None, progress: Callable[[str], None] | None = None
) -> Validation:
    """Every row checked, nothing written; SpreadsheetError when the file as a whole cannot be used."""
    today = today or timezone.localdate()
    sheet = open_sheet(path, rows.COLUMNS)
    problems: list[RowProblem] = []
    raw = None
    if can_read_fast(sheet):
        raw, cells = read_csv_frame(sheet, rows.COLUMN_NAMES)
        if progress:
            progress(f"校验（共 {cells.height} 行）")
        records, rejected = check_cells(cells, today)
        problems += [RowProblem(number, None, errors) for number, errors in rejected]
        total = cells.height
    else:
        accepted = []
        total = 0
        for row in sheet.rows():
            total += 1
            record, errors = rows.clean_employment_row(row.cells, today=today, row_number=row.number)
            if errors:
                problems.append(RowProblem(row.number, row.raw, errors))
            else:
                accepted.append(record)
        records = records_frame(accepted)
    if progress:
        progress("核对名册人员和工作地")
    records = _against_registry(records, area, problems)
    records = _without_repeats(records, problems)
    fill_raw_cells(problems, sheet, raw)
    problems.sort(key=lambda p: p.row_number)
    return Validation(list(sheet.header), records, problems, total, list(sheet.warnings))


def _against_registry(records: pl.DataFrame, area: Area, problems: list[RowProblem]) -> pl.DataFrame:
    """The person of each row: registered in the importing area's subtree, alive, with the row's name; the
    work area: a loaded area code. Rows failing either are reported (every reason of the row at once)."""
    people = frame_of(
        select_by_keys(
            Person,
            "id_number",
            records["id_number"].unique().to_list(),
            ["id_number", "id", "name", "area", "is_deceased"],
            where="area_id BETWEEN %s AND %s",
            params=area.code_range,
        ),
        {
            "id_number": pl.String,
            "person_id": pl.Int64,
            "registered_name": pl.String,
            "home_code": pl.String,
            "is_deceased": pl.Boolean if connection.vendor == "postgresql" else pl.Int8,
        },
    ).with_columns(pl.col("is_deceased").cast(pl.Boolean))
    codes = records["work_code"].unique().to_list()
    known = set()
    for chunk in batched(codes, 1000):
        known.update(Area.objects.filter(code__in=chunk).values_list("code", flat=True))
    records = records.join(people, on="id_number", how="left", maintain_order="left").with_columns(
        pl.col("work_code").is_in(list(known)).alias("area_known")
    )
    bad = (
        pl.col("person_id").is_null()
        | (pl.col("registered_name") != pl.col("name"))
        | pl.col("is_deceased")
        | ~pl.col("area_known")
    )
    place = area.full_name or area.name
    for row in records.filter(bad).iter_rows(named=True):
        errors = []
        if row["person_id"] is None:
            errors.append(CellError(rows.ID, row["id_number"], f"导入区域（{place}）的名册中没有此证件号码"))
        elif row["is_deceased"]:
            errors.append(CellError(rows.ID, row["id_number"], "该人员已去世，不能导入就业记录"))
        elif row["registered_name"] != row["name"]:
            message = f"与名册登记的姓名（{row['registered_name']}）不一致"
            errors.append(CellError(rows.NAME, row["name"], message))
        if not row["area_known"]:
            errors.append(CellError(rows.WORK_AREA, row["work_code"], "不是已登记的行政区划代码"))
        problems.append(RowProblem(row["row_number"], None, errors))
    return records.filter(~bad.fill_null(True)).drop("registered_name", "is_deceased", "area_known")


def _without_repeats(records: pl.DataFrame, problems: list[RowProblem]) -> pl.DataFrame:
    """A record appears once in a file: a later row with the same key is reported with the first's number."""
    key = ["id_number", "started_on", "employer_key"]
    records = records.with_columns(employer_key().alias("employer_key"))
    first = pl.col("row_number").min().over(key)
    repeated = records.with_columns(first.alias("first")).filter(pl.col("row_number") != pl.col("first"))
    for number, first_row in repeated.select("row_number", "first").iter_rows():
        message = f"与第 {first_row} 行是同一段就业（证件号码、入职日期、单位相同）"
        problems.append(RowProblem(number, None, [CellError(None, None, message)]))
    if repeated.is_empty():
        return records
    return records.filter(~pl.col("row_number").is_in(repeated["row_number"].implode()))


# --------------------------------------------------------------------------------------------------
# Phase two

STORED = ("employer", "employer_name", "credit_code", "work_area", "place", "channel")
STORED += ("ended_on", "end_reason", "monthly_wage")
_DATES = {"started_on", "ended_on"}


def _existing(person_ids: list[int]) -> pl.DataFrame:
    """Every record of these people (several may share a key: `_by_key` keeps the latest entered)."""
    names = ["id", "person", "started_on", *STORED]
    found = select_by_keys(EmploymentRecord, "person", person_ids, names, as_text=_DATES)
    date_type = pl.String  # ISO text, parsed below
    schema = {
        "record_id": pl.Int64,
        "person_id": pl.Int64,
        "started_on": date_type,
        "old_employer": pl.Int64,
        "old_employer_name": pl.String,
        "old_credit_code": pl.String,
        "old_work_area": pl.String,
        "old_place": pl.String,
        "old_channel": pl.String,
        "old_ended_on": date_type,
        "old_end_reason": pl.String,
        "old_monthly_wage": pl.Int64,
    }
    frame = frame_of(found, schema).with_columns(pl.col("started_on", "old_ended_on").str.to_date("%Y-%m-%d"))
    key = pl.when(pl.col("old_credit_code") != "").then("old_credit_code").otherwise("old_employer_name")
    return frame.with_columns(key.alias("employer_key"))


def _by_key(existing: pl.DataFrame) -> pl.DataFrame:
    """One record per key: the latest entered when several share one."""
    return existing.sort("record_id").unique(list(KEY), keep="last", maintain_order=False)


def _after(existing: pl.DataFrame, fresh: pl.DataFrame, changed: pl.DataFrame, people: list[int]):
    """The records of `people` as they stand once the import is written, as status.derived_frame reads
    them: the existing ones with the changes applied, and the new ones with the ids the database will
    give them — larger than any existing id, in the order they are inserted."""
    columns = {
        "person_id": pl.Int64,
        "id": pl.Int64,
        "started_on": pl.Date,
        "ended_on": pl.Date,
        "place": pl.String,
    }
    before = (
        existing.filter(pl.col("person_id").is_in(pl.Series(people).implode()))
        .join(
            changed.select(pl.col("id").alias("record_id"), "ended_on", "place"), on="record_id", how="left"
        )
        .select(
            "person_id",
            pl.col("record_id").alias("id"),
            "started_on",
            pl.when(pl.col("ended_on").is_not_null() | pl.col("place").is_not_null())
            .then(pl.col("ended_on"))
            .otherwise(pl.col("old_ended_on"))
            .alias("ended_on"),
            pl.coalesce("place", "old_place").alias("place"),
        )
    )
    start = (existing["record_id"].max() or 0) + 1
    new = fresh.select(
        "person_id",
        pl.int_range(start, start + fresh.height, dtype=pl.Int64).alias("id"),
        "started_on",
        "ended_on",
        "place",
    )
    return pl.concat([before.cast(columns), new.cast(columns)])


def _ledger(codes: list[str]) -> pl.DataFrame:
    found = select_by_keys(Employer, "credit_code", codes, ["credit_code", "id", "kind"]) if codes else []
    return frame_of(found, {"credit_code": pl.String, "employer_id": pl.Int64, "employer_kind": pl.String})


def _places(frame: pl.DataFrame) -> pl.DataFrame:
    """务工地域 by status.place_between, asked once per pair of home county and work area prefix (it reads
    no more of either code)."""
    pairs = frame.select(
        pl.col("home_code").str.slice(0, 6).alias("home6"), pl.col("work_code").str.slice(0, 6).alias("work6")
    ).unique()
    places = [place_between(home, work) for home, work in pairs.iter_rows()]
    return pairs.with_columns(pl.Series("place", places, dtype=pl.String))


def save_records(
    records: pl.DataFrame, *, actor, batch: EmploymentImport | None = None, on: dt.date | None = None
) -> Counts:
    """Phase two for the validated rows (Validation.records): inserted, updated or left alone by their key,
    then the people's 务工状态 derived again; call inside a transaction."""
    counts = Counts()
    if records.is_empty():
        return counts
    now = timezone.now()
    frame = records.join(
        _ledger(records.filter(pl.col("credit_code") != "")["credit_code"].unique().to_list()),
        on="credit_code",
        how="left",
        maintain_order="left",
    )
    frame = frame.with_columns(
        pl.col("home_code").str.slice(0, 6).alias("home6"), pl.col("work_code").str.slice(0, 6).alias("work6")
    )
    frame = frame.join(_places(frame), on=["home6", "work6"], how="left", maintain_order="left")
    derived = channels.channel_expr(channels.cooperation_terms())
    frame = frame.with_columns(derived.alias("derived_channel"))
    existing = _existing(frame["person_id"].unique().to_list())
    frame = frame.join(_by_key(existing), on=list(KEY), how="left", maintain_order="left")

    # In person order (ids follow villages): the inserts then extend the (person, …) and (area, …) indexes
    # in order; the order is kept, for _after knows the ids the database gives by it.
    fresh = frame.filter(pl.col("record_id").is_null()).sort("person_id", "started_on", maintain_order=True)
    given = pl.col("channel") != ""
    insert_frame(
        EmploymentRecord,
        fresh.select(
            pl.col("person_id").alias("person"),
            pl.col("home_code").alias("area"),
            pl.col("employer_id").alias("employer"),
            "employer_name",
            "credit_code",
            pl.col("work_code").alias("work_area"),
            "place",
            pl.when(given).then("channel").otherwise("derived_channel").alias("channel"),
            "started_on",
            "ended_on",
            "end_reason",
            "monthly_wage",
        ),
        {
            "source": Source.IMPORT,
            "source_ref": f"导入批次{batch.pk}" if batch is not None and batch.pk else "",
            "created_by": actor.pk if getattr(actor, "pk", None) else None,
            "job": None,
            "created_at": now,
            "updated_at": now,
        },
    )
    known = frame.filter(pl.col("record_id").is_not_null())
    kept_channel = pl.when(pl.col("old_channel") != "").then("old_channel").otherwise("derived_channel")
    wanted = known.select(
        pl.col("record_id").alias("id"),
        "person_id",
        # A record matched by name keeps its ledger link; one matched by credit code takes the ledger's.
        pl.when(pl.col("credit_code") != "").then("employer_id").otherwise("old_employer").alias("employer"),
        "employer_name",
        "credit_code",
        pl.col("work_code").alias("work_area"),
        "place",
        pl.when(given).then("channel").otherwise(kept_channel).alias("channel"),
        pl.coalesce("ended_on", "old_ended_on").alias("ended_on"),
        pl.when(pl.col("end_reason") != "")
        .then("end_reason")
        .otherwise("old_end_reason")
        .alias("end_reason"),
        pl.coalesce("monthly_wage", "old_monthly_wage").alias("monthly_wage"),
        *(pl.col(f"old_{name}") for name in STORED),
    )
    differs = pl.any_horizontal(pl.col(name).ne_missing(pl.col(f"old_{name}")) for name in STORED)
    changed = wanted.filter(differs)
    update_frame(EmploymentRecord, changed.select("id", *STORED), {"updated_at": now})
    counts.created, counts.updated = fresh.height, changed.height
    counts.unchanged = known.height - changed.height
    touched = sorted(set(fresh["person_id"].to_list()) | set(changed["person_id"].to_list()))
    if counts.created + counts.updated >= ANALYZE_AFTER:
        # The status refresh below joins the records just written: planned on statistics that still say
        # the table is small, SQLite's join ran five times slower (inside the transaction: both databases
        # keep statistics transactionally).
        refresh_statistics(EmploymentRecord)
    if touched:
        # Derived from the records in memory (every record of the file's people was read above): one pass,
        # where asking the database would read a million people's records again, 50,000 at a time.
        derived = derived_frame(_after(existing, fresh, changed, touched), on or timezone.localdate())
        counts.status_changed = refresh_status(actor, touched, source=STATUS_SOURCE, on=on, derived=derived)
        records_changed_on_commit(touched)
    return counts


# --------------------------------------------------------------------------------------------------
# Batches


@transaction.atomic
def create_employment_import(*, area: Area, user, path: Path | None = None, upload=None, name: str = ""):
    """Keep the file with the batch, so what was imported can always be looked at again."""
    batch = EmploymentImport(area=area, user=user if getattr(user, "pk", None) else None)
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(Action.IMPORT, actor=user, obj=batch, message=f"提交就业信息导入：{batch.original_name}")
    return batch


def run_employment_import(
    batch: EmploymentImport, *, today: dt.date | None = None, report_path: Path | None = None
) -> EmploymentImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction). The cyclic
    garbage collector is paused for the run, as for the registry import (no cycles among its objects)."""
    batch.runner = runner_id()
    batch.started_at = timezone.now()
    EmploymentImport.objects.filter(pk=batch.pk).update(
        status=ImportStatus.RUNNING, runner=batch.runner, started_at=batch.started_at, phase="校验"
    )
    enabled = gc.isenabled()
    gc.disable()
    try:
        with roomy_cache():
            return _run(batch, today=today, report_path=report_path)
    except Exception as exc:  # whatever broke, the batch must not stay 处理中 in a process that lives on
        if EmploymentImport.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
            _finish(batch, status=ImportStatus.FAILED, message=f"导入出错，未保存任何就业记录：{exc}")
        raise
    finally:
        if enabled:
            gc.enable()


def reap_employment_imports(queryset) -> int:
    """Mark 中断 the batches of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=EmploymentImport.stopped_message,
    )


@transaction.atomic
def resume_employment_import(actor, batch: EmploymentImport) -> EmploymentImport:
    """Submit an interrupted import again (nothing of it was saved: one transaction)."""
    reap_employment_imports(EmploymentImport.objects.filter(pk=batch.pk))
    batch = EmploymentImport.objects.select_for_update().get(pk=batch.pk)
    if not batch.resumable:
        raise ValidationError("只有中断的导入可以重新提交；其他情况请改正文件后重新上传。")
    batch.status, batch.finished_at, batch.runner, batch.phase = ImportStatus.PENDING, None, "", ""
    batch.message = "已重新提交。"
    batch.save(update_fields=["status", "finished_at", "runner", "phase", "message"])
    audit(Action.IMPORT, actor=actor, obj=batch, message=f"重新提交就业信息导入：{batch.original_name}")
    return batch


def _run(batch: EmploymentImport, *, today, report_path) -> EmploymentImport:
    def progress(phase: str) -> None:
        EmploymentImport.objects.filter(pk=batch.pk).update(phase=phase)

    try:
        validation = validate_file(Path(batch.file.path), batch.area, today=today, progress=progress)
    except SpreadsheetError as exc:
        return _finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    batch.total_rows = validation.total_rows
    batch.valid_rows = validation.records.height
    batch.error_rows = len(validation.problems)
    batch.errors = error_list(validation.problems)
    if validation.problems:
        _write_report(batch, validation, report_path)
    progress(f"保存（{batch.valid_rows} 行）")
    with transaction.atomic():
        counts = save_records(validation.records, actor=batch.user, batch=batch, on=today)
    for name, value in counts.__dict__.items():
        setattr(batch, name, value)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增就业记录 {counts.created} 条、更新 {counts.updated} 条、未变化 {counts.unchanged} 条；"
        f"务工状态或务工时间随之变化 {counts.status_changed} 人"
    )
    return _finish(batch, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))


def _write_report(batch: EmploymentImport, validation: Validation, report_path: Path | None) -> None:
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, validation.header, validation.problems)
    name = target.name if report_path else batch.report_filename
    with open(target, "rb") as fh:
        batch.report.save(name, ContentFile(fh.read()), save=False)
    if report_path is None:
        target.unlink()


@transaction.atomic
def _finish(batch: EmploymentImport, *, status: str, message: str) -> EmploymentImport:
    batch.status, batch.message, batch.finished_at, batch.phase = status, message, timezone.now(), ""
    batch.save()
    prefix = "就业信息导入完成：" if status == ImportStatus.DONE else "就业信息导入失败："
    audit(Action.IMPORT, actor=batch.user, obj=batch, message=prefix + message)
    return batch


__all__ = ["RECORD_SCHEMA", "create_employment_import", "run_employment_import", "validate_file"]
