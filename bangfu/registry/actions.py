"""Writes to the registry: imports in short transactions, manual edits, each with field history and audit."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.background import reap, runner_id
from bangfu.core.bulk import (
    indexes_built_after,
    insert_frame,
    insert_rows,
    refresh_statistics,
    select_by_keys,
)
from bangfu.core.files import shown_names
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import write_error_report
from bangfu.exchange.spreadsheet import SpreadsheetError
from bangfu.registry import claims, vocab
from bangfu.registry.claims import KEPT_FIELDS
from bangfu.registry.columnar import frame_records
from bangfu.registry.importer import Validation, validate_file
from bangfu.registry.models import (
    SEARCH_KEY_FIELDS,
    Change,
    Household,
    ImportBatch,
    ImportStatus,
    Person,
    WindowCheck,
    search_keys,
)
from bangfu.registry.names import full_pinyin, initials
from bangfu.registry.rows import HOUSEHOLD_FIELDS, PERSON_FIELDS, PersonRecord

# Rows per transaction: settings.BANGFU_IMPORT_CHUNK_ROWS, 50,000 by default (a couple of seconds each).
BULK_LOAD_ROWS = 100_000  # a first load at least this large builds the people's indexes once, at the end
ANALYZE_AFTER = 10000  # rows changed by one import before the planner's statistics are refreshed
SOURCE_IMPORT, SOURCE_MANUAL, SOURCE_API = "导入", "手工", "接口"
PERSON_UPDATE_FIELDS = [
    *(f for f in PERSON_FIELDS if f != "id_number"),
    *SEARCH_KEY_FIELDS,
    "household",
    "area",
]
HOUSEHOLD_UPDATE_FIELDS = [*HOUSEHOLD_FIELDS, "area"]


def display(value) -> str:
    """A value as history and messages show it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Household):
        return value.number
    return str(value)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


COUNT_FIELDS = ("created", "updated", "unchanged", "households_created", "households_updated")


@dataclass
class SaveCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    households_created: int = 0
    households_updated: int = 0

    def add(self, other: SaveCounts) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def save_records(
    records: list[PersonRecord],
    *,
    actor,
    source: str,
    batch: ImportBatch | None = None,
    on: dt.date | None = None,
) -> SaveCounts:
    """Insert or update the people and households of `records`; call inside a transaction.

    A person is found by ID number, a household by 户编号; changed fields get a history entry, unchanged
    rows are only counted, so saving the same rows twice changes nothing. New rows are inserted as plain
    tuples (core.bulk), which is what makes a million-row import fit in a minute.

    务工状态 and 务工时间(月) are claims when a status keeper is registered (registry/claims.py): never
    compared or written here, but settled by the keeper as of `on` (today) — only claims that differ from
    the stored status, and new people's.
    """
    keeper = claims.keeper()
    on = on or timezone.localdate()
    compared = PERSON_FIELDS if keeper is None else tuple(f for f in PERSON_FIELDS if f not in KEPT_FIELDS)
    counts = SaveCounts()
    changes: list[Change] = []
    who = actor if getattr(actor, "pk", None) else None
    now = timezone.now()

    def change(field, before, after, *, person=None, household=None):
        changes.append(
            Change(
                actor=who,
                source=source,
                batch=batch,
                person=person,
                household=household,
                field=field,
                before=display(before),
                after=display(after),
                at=now,
            )
        )

    # Households: the first row of each household carries its attributes (the import checked they agree).
    firsts: dict[str, PersonRecord] = {}
    for rec in records:
        firsts.setdefault(rec.household_number, rec)
    # Which already exist: a plain key query; their values then through the ORM, for typed comparison.
    known = [pk for _, pk in select_by_keys(Household, "number", list(firsts), ["number", "id"])]
    current = (
        {
            row[0]: row[1:]
            for row in Household.objects.filter(pk__in=known).values_list(
                "number", "id", "area_id", *HOUSEHOLD_FIELDS
            )
        }
        if known
        else {}
    )
    new_households, changed_households = [], {}
    for number, rec in firsts.items():
        wanted = (rec.village_code, *(getattr(rec, f) for f in HOUSEHOLD_FIELDS))
        if number not in current:
            new_households.append((number, *wanted, "", None, None, now, now))
        elif current[number][1:] != wanted:
            changed_households[current[number][0]] = rec
    insert_rows(
        Household,
        [
            "number",
            "area",
            *HOUSEHOLD_FIELDS,
            "poverty_causes",
            "risk_identified_on",
            "risk_eliminated_on",
            "created_at",
            "updated_at",
        ],
        new_households,
    )
    household_ids = {number: row[0] for number, row in current.items()}
    if new_households:
        household_ids.update(
            select_by_keys(Household, "number", [h[0] for h in new_households], ["number", "id"])
        )
    for household in Household.objects.filter(pk__in=list(changed_households)):
        rec = changed_households[household.pk]
        wanted = {"area": rec.village_code, **{f: getattr(rec, f) for f in HOUSEHOLD_FIELDS}}
        for name, value in wanted.items():
            before = household.area_id if name == "area" else getattr(household, name)
            if before != value:
                change(_label(Household, name), before, value, household=household)
                setattr(household, "area_id" if name == "area" else name, value)
        household.updated_at = now
        household.save(update_fields=[*HOUSEHOLD_UPDATE_FIELDS, "updated_at"])
        # Members not in this file move with their household.
        Person.objects.filter(household=household).exclude(area_id=household.area_id).update(
            area_id=household.area_id
        )
    counts.households_created, counts.households_updated = len(new_households), len(changed_households)

    ids = [rec.id_number for rec in records]
    known = [pk for _, pk in select_by_keys(Person, "id_number", ids, ["id_number", "id"])]
    existing = (
        {
            row[0]: row[1:]
            for row in Person.objects.filter(pk__in=known).values_list(
                "id_number", "id", "household_id", *compared, "employment_status"
            )
        }
        if known
        else {}
    )
    new_people, changed_people, claimed = [], {}, []
    for rec in records:
        household_id = household_ids[rec.household_number]
        wanted = (household_id, *(getattr(rec, f) for f in compared))
        found = existing.get(rec.id_number)
        if found is None:
            keys = (*search_keys(rec.name, rec.phone), rec.id_number[::-1])
            values = (household_id, *(getattr(rec, f) for f in PERSON_FIELDS))
            new_people.append((*values, rec.village_code, *keys, "", False, now, now))
            continue
        if found[1:-1] != wanted:
            changed_people[found[0]] = (rec, household_id)
        else:
            counts.unchanged += 1
        if keeper is not None and rec.employment_status and rec.employment_status != found[-1]:
            claimed.append((found[0], rec.village_code, rec.employment_status, rec.work_months, False))
    status_at = 1 + PERSON_FIELDS.index("employment_status")
    # New people's claims of work, as given (by ID number), before the keeper's values replace them.
    employed = {row[2]: row for row in new_people if row[status_at] in vocab.EMPLOYED}
    if keeper is not None and new_people:
        new_people = _fresh_rows(keeper, new_people, on)
    insert_rows(
        Person,
        [
            "household",
            *PERSON_FIELDS,
            "area",
            *SEARCH_KEY_FIELDS,
            "id_reversed",
            "entrepreneurship_wish",
            "is_deceased",
            "created_at",
            "updated_at",
        ],
        new_people,
    )
    if changed_people:
        numbers = dict(
            Household.objects.filter(pk__in={h for _, h in changed_people.values()}).values_list(
                "id", "number"
            )
        )
        updated = []
        for person in Person.objects.select_related("household").filter(pk__in=list(changed_people)):
            rec, household_id = changed_people[person.pk]
            for name in compared:
                value = getattr(rec, name)
                if getattr(person, name) != value:
                    change(_label(Person, name), getattr(person, name), value, person=person)
                    setattr(person, name, value)
            if person.household_id != household_id:
                change(
                    _label(Person, "household"), person.household.number, numbers[household_id], person=person
                )
                person.household_id = household_id
            person.area_id = rec.village_code
            person.name_initials, person.name_pinyin, person.phone_reversed = search_keys(
                person.name, person.phone
            )
            person.updated_at = now
            updated.append(person)
        written = [f for f in PERSON_UPDATE_FIELDS if keeper is None or f not in KEPT_FIELDS]
        Person.objects.bulk_update(updated, [*written, "updated_at"], batch_size=1000)
    Change.objects.bulk_create(changes, batch_size=1000)
    counts.created, counts.updated = len(new_people), len(changed_people)
    if keeper is not None:
        for id_number, person_id, area_id in select_by_keys(
            Person, "id_number", list(employed), ["id_number", "id", "area"]
        ):
            row = employed[id_number]
            claimed.append((person_id, area_id, row[status_at], row[status_at + 1], True))
        if claimed:
            frame = pl.DataFrame(claimed, schema=claims.CLAIM_SCHEMA, orient="row")
            keeper.settle(frame, actor=actor, source=source, batch=batch, on=on)
    return counts


def _fresh_rows(keeper: claims.StatusKeeper, rows: list[tuple], on: dt.date) -> list[tuple]:
    """New people's insert rows (household, *PERSON_FIELDS, …) with the keeper's status values."""
    status_at = 1 + PERSON_FIELDS.index("employment_status")
    given = pl.DataFrame(
        [(row[status_at], row[status_at + 1]) for row in rows],
        schema={"employment_status": pl.String, "work_months": pl.Int64},
        orient="row",
    )
    kept = keeper.fresh(given, on).select(KEPT_FIELDS).rows()
    return [
        (*row[:status_at], *values, *row[status_at + 2 :]) for row, values in zip(rows, kept, strict=True)
    ]


def save_frame(
    frame: pl.DataFrame,
    *,
    actor,
    source: str,
    batch: ImportBatch | None = None,
    known: tuple[set, set] | None = None,
    on: dt.date | None = None,
) -> SaveCounts:
    """Save imported records (a frame, columnar.RECORD_SCHEMA); call inside a transaction.

    Households that are new, with members all new, are inserted column-wise (core.bulk.insert_frame),
    which is what makes a million-row first import fit in a minute. A household already registered, or
    with a member already registered, goes through `save_records`: compared field by field, with history.
    `known` is (registered 户编号, registered ID numbers) when the caller already knows them. 务工状态 and
    务工时间(月) are claims settled by the status keeper as `save_records` says, column-wise here."""
    if frame.is_empty():
        return SaveCounts()
    keeper = claims.keeper()
    on = on or timezone.localdate()
    if known is None:
        numbers = frame["household_number"].unique().to_list()
        ids = frame["id_number"].to_list()
        known = (
            {n for (n,) in select_by_keys(Household, "number", numbers, ["number"])},
            {n for (n,) in select_by_keys(Person, "id_number", ids, ["id_number"])},
        )
    known_households, known_people = known
    registered = pl.col("household_number").is_in(list(known_households)) | pl.col("id_number").is_in(
        list(known_people)
    )
    frame = frame.with_columns(registered.any().over("household_number").alias("known"))
    counts = SaveCounts()
    if known_households or known_people:
        counts = save_records(
            frame_records(frame.filter("known")), actor=actor, source=source, batch=batch, on=on
        )
    fresh = frame.filter(~pl.col("known"))
    if fresh.is_empty():
        return counts
    now = timezone.now()
    households = fresh.unique("household_number", keep="first", maintain_order=True).select(
        pl.col("household_number").alias("number"), pl.col("village_code").alias("area"), *HOUSEHOLD_FIELDS
    )
    stamps = {"created_at": now, "updated_at": now}
    last = Household.objects.aggregate(last=Max("id"))["last"] or 0
    insert_frame(
        Household,
        households,
        {"poverty_causes": "", "risk_identified_on": None, "risk_eliminated_on": None, **stamps},
    )
    numbers = households["number"].to_list()
    ids = pl.DataFrame(
        # Only rows just inserted: a key lookup over a table growing inside one long first load can be
        # planned as a scan of the whole table (its statistics still say empty).
        select_by_keys(Household, "number", numbers, ["number", "id"], where="id > %s", params=[last]),
        schema={"household_number": pl.String, "household": pl.Int64},
        orient="row",
    )
    names = fresh["name"].unique().to_list()
    people = fresh.join(ids, on="household_number", how="left", maintain_order="left").select(
        "household",
        *PERSON_FIELDS,
        pl.col("village_code").alias("area"),
        pl.col("name").replace_strict(names, [initials(n)[:30] for n in names]).alias("name_initials"),
        pl.col("name").replace_strict(names, [full_pinyin(n)[:150] for n in names]).alias("name_pinyin"),
        pl.col("phone")
        .fill_null("")
        .str.replace_all(r"\D", "")
        .str.reverse()
        .str.slice(0, 20)
        .alias("phone_reversed"),
        pl.col("id_number").str.reverse().alias("id_reversed"),
    )
    if keeper is not None:
        claimed = people.select("id_number", "area", *KEPT_FIELDS)
        people = keeper.fresh(people, on)
    last_person = Person.objects.aggregate(last=Max("id"))["last"] or 0
    insert_frame(Person, people, {"entrepreneurship_wish": "", "is_deceased": False, **stamps})
    if keeper is not None:
        _settle_new(keeper, claimed, last_person, actor=actor, source=source, batch=batch, on=on)
    counts.created += people.height
    counts.households_created += households.height
    return counts


def _settle_new(keeper, people: pl.DataFrame, last_person: int, *, actor, source, batch, on) -> None:
    """The keeper settles the claims of work of people just inserted (ids > `last_person`)."""
    employed = people.filter(pl.col("employment_status").is_in(list(vocab.EMPLOYED)))
    if employed.is_empty():
        return
    ids = pl.DataFrame(
        select_by_keys(
            Person,
            "id_number",
            employed["id_number"].to_list(),
            ["id_number", "id"],
            where="id > %s",
            params=[last_person],
        ),
        schema={"id_number": pl.String, "person_id": pl.Int64},
        orient="row",
    )
    frame = employed.join(ids, on="id_number").select(
        "person_id",
        pl.col("area").alias("area_id"),
        "employment_status",
        pl.col("work_months").cast(pl.Int64),
        pl.lit(True).alias("new"),
    )
    keeper.settle(frame, actor=actor, source=source, batch=batch, on=on)


def _household_chunks(frame: pl.DataFrame, size: int) -> Iterable[pl.DataFrame]:
    """Chunks of about `size` rows that never split a household, households in order of first row."""
    if frame.is_empty():
        return
    first = pl.col("row_number").min().over("household_number")
    ordered = frame.with_columns(first.alias("first")).sort("first", "row_number", maintain_order=True)
    start = pl.col("index").min().over("household_number")
    ordered = ordered.with_row_index().with_columns((start // size).alias("chunk")).drop("first", "index")
    yield from ordered.partition_by("chunk", maintain_order=True, include_key=False)


def save_import(
    batch: ImportBatch,
    validation: Validation,
    *,
    actor,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    on: dt.date | None = None,
) -> SaveCounts:
    """Phase two: save the valid rows, one short transaction per chunk (a crash loses at most the chunk
    in flight, and re-running the file completes it without duplicates). A dry run rolls every chunk back.

    The first load of a large file into an empty registry is one transaction instead, with the people's
    search indexes built once at its end (`core.bulk.indexes_built_after`): all or nothing, and several
    times faster than keeping six indexes up to date row by row."""
    if not batch.dry_run and validation.records.height >= BULK_LOAD_ROWS and not Person.objects.exists():
        ImportBatch.objects.filter(pk=batch.pk).update(phase="首次载入：保存全部行并建立索引")
        with transaction.atomic(), indexes_built_after(Person):
            # Looked up once, before the tables grow: nobody is registered yet, a household may be.
            numbers = validation.records["household_number"].unique().to_list()
            known = ({n for (n,) in select_by_keys(Household, "number", numbers, ["number"])}, set())
            counts = SaveCounts()
            for chunk in _household_chunks(
                validation.records, chunk_size or settings.BANGFU_IMPORT_CHUNK_ROWS
            ):
                counts.add(
                    save_frame(chunk, actor=actor, source=SOURCE_IMPORT, batch=batch, known=known, on=on)
                )
        ImportBatch.objects.filter(pk=batch.pk).update(processed_rows=validation.records.height)
        if progress:
            progress(validation.records.height)
        return counts
    records, counts, done = validation.records, SaveCounts(), 0
    saved = ImportBatch.objects.filter(pk=batch.pk).values(
        *COUNT_FIELDS, "processed_rows", "resume_after_row"
    )[0]
    if saved["resume_after_row"] and not batch.dry_run:
        # Submitted again after an interruption: the households saved by then (their first row at or before
        # the mark) are left as they are, and the counts go on from what was saved.
        first = pl.col("row_number").min().over("household_number")
        records = records.filter(first > saved["resume_after_row"])
        counts = SaveCounts(**{name: saved[name] for name in COUNT_FIELDS})
        done = saved["processed_rows"]
    for chunk in _household_chunks(records, chunk_size or settings.BANGFU_IMPORT_CHUNK_ROWS):
        with transaction.atomic():
            chunk_counts = save_frame(
                chunk, actor=actor, source=SOURCE_IMPORT, batch=None if batch.dry_run else batch, on=on
            )
            if batch.dry_run:
                transaction.set_rollback(True)
            counts.add(chunk_counts)
            done += chunk.height
            progress_fields = {"processed_rows": done, "phase": f"保存（已保存 {done} 行）"}
            if not batch.dry_run:  # what is saved, committed with the rows themselves
                mark = chunk["row_number"].max()
                ImportBatch.objects.filter(pk=batch.pk).update(
                    resume_after_row=mark, **counts.__dict__, **progress_fields
                )
        if batch.dry_run:
            ImportBatch.objects.filter(pk=batch.pk).update(**progress_fields)
        if progress:
            progress(done)
    return counts


@transaction.atomic
def create_import_batch(*, area, user, path: Path | None = None, upload=None, name: str = "", dry_run=False):
    """Keep the file with the batch, so what was imported can always be looked at again."""
    batch = ImportBatch(area=area, user=user if getattr(user, "pk", None) else None, dry_run=dry_run)
    if upload is not None:
        batch.original_name = name or upload.name
        batch.file.save(Path(batch.original_name).name, upload, save=False)
    else:
        batch.original_name = name or path.name
        with open(path, "rb") as fh:
            batch.file.save(path.name, ContentFile(fh.read()), save=False)
    batch.save()
    audit(
        Action.IMPORT,
        actor=user,
        obj=batch,
        message=f"提交名册导入：{batch.original_name}" + ("（仅校验）" if dry_run else ""),
    )
    return batch


def run_registry_import(
    batch: ImportBatch, *, today: dt.date | None = None, report_path: Path | None = None
) -> ImportBatch:
    """Both phases for one batch, recording status, counts, error report and audit on the batch.

    The cyclic garbage collector is paused for the run: an import holds up to millions of small,
    acyclic objects, and walking them again and again cost a third of the time at a million rows."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_registry_import(batch, today=today, report_path=report_path)
    except Exception as exc:
        # Whatever broke, the batch must not stay 处理中 in a process that lives on (the web server).
        if ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING).exists():
            _finish(batch, batch.user, status=ImportStatus.FAILED, message=_failure_message(batch, exc))
        raise
    finally:
        if enabled:
            gc.enable()


def _failure_message(batch: ImportBatch, exc: Exception) -> str:
    batch.refresh_from_db(fields=["processed_rows", "resume_after_row", "dry_run", "valid_rows"])
    if batch.saved_rows:
        return (
            f"保存时出错：{exc}。已保存 {batch.saved_rows} 行（共 {batch.valid_rows} 行有效），其余尚未保存；"
            "点“继续导入”从中断处接着保存，已保存的行不会重复。"
        )
    return f"导入出错，未保存任何数据：{exc}"


def _run_registry_import(
    batch: ImportBatch, *, today: dt.date | None = None, report_path: Path | None = None
) -> ImportBatch:
    actor = batch.user
    batch.status, batch.started_at, batch.phase = ImportStatus.RUNNING, timezone.now(), "校验"
    batch.runner = runner_id()
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=batch.status, started_at=batch.started_at, phase=batch.phase, runner=batch.runner
    )

    def validating(phase: str) -> None:
        ImportBatch.objects.filter(pk=batch.pk).update(phase=phase)

    try:
        validation = validate_file(batch.file.path, batch.area, today=today, progress=validating)
    except SpreadsheetError as exc:
        return _finish(batch, actor, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    _record_validation(batch, validation, report_path)
    counts = save_import(
        batch, validation, actor=actor, on=today
    )  # a failure: run_registry_import says what stays
    for name, value in counts.__dict__.items():
        setattr(batch, name, value)
    if not batch.dry_run and counts.created + counts.updated >= ANALYZE_AFTER:
        refresh_statistics(Person, Household)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增 {counts.created} 人、更新 {counts.updated} 人、未变化 {counts.unchanged} 人；"
        f"新增 {counts.households_created} 户、更新 {counts.households_updated} 户"
        + ("（仅校验，未保存）" if batch.dry_run else "")
    )
    message = "；".join([summary, *validation.warnings])
    return _finish(batch, actor, status=ImportStatus.DONE, message=message)


def _record_validation(batch: ImportBatch, validation: Validation, report_path: Path | None) -> None:
    batch.total_rows = validation.total_rows
    batch.valid_rows = validation.total_rows - len(validation.problems)
    batch.error_rows = len(validation.problems)
    batch.errors = error_list(validation.problems)
    ImportBatch.objects.filter(pk=batch.pk).update(
        total_rows=batch.total_rows,
        valid_rows=batch.valid_rows,
        error_rows=batch.error_rows,
        errors=batch.errors,
        phase="保存",
    )
    if validation.problems:
        _write_report(batch, validation, report_path)


def _write_report(batch: ImportBatch, validation: Validation, report_path: Path | None) -> None:
    target = Path(report_path) if report_path else Path(batch.file.path).with_suffix(".errors.xlsx")
    write_error_report(target, validation.header, validation.problems)
    if report_path is None:
        with open(target, "rb") as fh:
            batch.report.save(batch.report_filename, ContentFile(fh.read()), save=False)
        target.unlink()
    else:
        with open(target, "rb") as fh:
            batch.report.save(target.name, ContentFile(fh.read()), save=False)
    ImportBatch.objects.filter(pk=batch.pk).update(report=batch.report.name)


def reap_imports(queryset) -> int:
    """Mark 中断 the batches of `queryset` left 处理中 by a process that is gone (core.background)."""
    return reap(
        queryset,
        running=ImportStatus.RUNNING,
        stopped=ImportStatus.STOPPED,
        message=ImportBatch.stopped_message,
    )


@transaction.atomic
def resume_import(actor, batch: ImportBatch) -> ImportBatch:
    """Submit an interrupted (or failed) import again: it checks the kept file again and saves what was not
    saved yet; the rows saved before are left as they are and counted as before."""
    reap_imports(ImportBatch.objects.filter(pk=batch.pk))
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if not batch.resumable:
        raise ValidationError("只有中断或保存到一半失败的导入可以继续。")
    batch.status, batch.finished_at, batch.runner = ImportStatus.PENDING, None, ""
    batch.message = (
        f"已重新提交：已保存的 {batch.saved_rows} 行保持不变，其余行等待保存。"
        if batch.saved_rows
        else "已重新提交。"
    )
    batch.save(update_fields=["status", "finished_at", "runner", "message"])
    audit(Action.IMPORT, actor=actor, obj=batch, message=f"重新提交名册导入：{batch.original_name}")
    return batch


@transaction.atomic
def _finish(batch: ImportBatch, actor, *, status: str, message: str) -> ImportBatch:
    batch.status, batch.message, batch.finished_at, batch.phase = status, message, timezone.now(), ""
    batch.processed_rows = batch.valid_rows if status == ImportStatus.DONE else batch.processed_rows
    batch.save()
    audit(
        Action.IMPORT,
        actor=actor,
        obj=batch,
        message=("名册导入完成：" if status == ImportStatus.DONE else "名册导入失败：") + message,
    )
    return batch


def _person_snapshot(person: Person | None) -> dict | None:
    if person is None:
        return None
    values = {f: display(getattr(person, f)) for f in PERSON_FIELDS}
    # The audit log is readable by every member of staff of the area: sensitive values go in masked.
    values["id_number"], values["phone"] = mask_id(person.id_number), mask_phone(person.phone)
    values["household"] = person.household.number
    values["area"] = person.area_id
    values.update({f: display(getattr(person.household, f)) for f in HOUSEHOLD_FIELDS})
    return values


@transaction.atomic
def save_person(actor, record: PersonRecord, *, source: str = SOURCE_MANUAL) -> Person:
    """Create or edit one person (and their household's fields) as a member of staff, with the same
    validation as the import (the caller cleaned `record` with rows.clean_row inside the actor's subtree)."""
    existing = Person.objects.select_related("household").filter(id_number=record.id_number).first()
    if existing is not None and not actor.area.contains(existing.area_id):
        raise PermissionDenied("此人已在其他地区登记，不在您的管辖区域内。")
    household = Household.objects.filter(number=record.household_number).first()
    if household is not None and not actor.area.contains(household.area_id):
        raise PermissionDenied("该户编号已被其他地区的家庭使用。")
    before = _person_snapshot(existing)
    counts = save_records([record], actor=actor, source=source)
    person = Person.objects.select_related("household", "area").get(id_number=record.id_number)
    if counts.created or counts.updated or counts.households_created or counts.households_updated:
        audit(
            Action.CREATE if counts.created else Action.UPDATE,
            actor=actor,
            obj=person,
            before=before,
            after=_person_snapshot(person),
            message="登记人员" if counts.created else "修改人员信息",
        )
    return person


@dataclass(frozen=True)
class WindowAnswer:
    found: bool
    masked_id: str
    home: str = ""  # the home county's full name
    status: str = ""
    person: Person | None = None  # set only when the person is inside the asking user's subtree


WINDOW_CHECK, REGISTRATION_CHECK = "窗口实名核验", "登记人员时核验"  # who asked, in the log


class WindowCheckLimited(PermissionDenied):
    """Too many checks by one user in the last minutes (BANGFU_WINDOW_CHECK_MAX per
    BANGFU_WINDOW_CHECK_MINUTES): nothing is looked up."""

    def __init__(self):
        super().__init__(
            f"核验过于频繁：每人每 {settings.BANGFU_WINDOW_CHECK_MINUTES} 分钟最多核验 "
            f"{settings.BANGFU_WINDOW_CHECK_MAX} 次（含登记人员时的核验），请稍后再试。"
        )


class RegisteredElsewhere(PermissionDenied):
    """A registration refused because the ID number is registered outside the actor's subtree; the reason
    says what the window check says, no more."""

    def __init__(self, answer: WindowAnswer):
        self.answer = answer
        super().__init__(
            f"此证件号码已在{answer.home or '其他地区'}登记（{answer.status}），不在您的管辖区域内，"
            "不能在此登记；如需转入，请与登记地联系。"
        )


def check_window_rate(actor) -> None:
    """Refuses (WindowCheckLimited) before anything is looked up once the actor has made
    BANGFU_WINDOW_CHECK_MAX checks in the last BANGFU_WINDOW_CHECK_MINUTES; counted from the kept checks."""
    since = timezone.now() - dt.timedelta(minutes=settings.BANGFU_WINDOW_CHECK_MINUTES)
    if WindowCheck.objects.filter(user=actor, at__gte=since).count() >= settings.BANGFU_WINDOW_CHECK_MAX:
        raise WindowCheckLimited()


@transaction.atomic
def window_check(actor, id_number: str) -> WindowAnswer:
    """窗口实名核验: is this ID number registered anywhere? Outside the asker's own subtree the answer is
    the home county and the status only. Every check is kept and audited, and limited per user."""
    check_window_rate(actor)
    return _window_answer(actor, id_number, Person.objects.window_lookup(id_number), WINDOW_CHECK)


def check_new_registration(actor, id_number: str) -> None:
    """Before a person is registered by hand (page or API): an ID number registered outside the actor's
    subtree is refused with the window check's answer, kept and audited as a check and counted against
    the same limit, so that registering cannot be used to probe the registry more than the window can.

    The limit is applied before the whole registry is looked up, so a refusal for too many checks says
    nothing about the number. Call it outside any transaction: the check stays recorded although the
    registration is refused."""
    if Person.objects.for_user(actor).filter(id_number=id_number).exists():
        return  # the actor's own person: the caller sends them to the person's page
    check_window_rate(actor)
    person = Person.objects.window_lookup(id_number)
    if person is None:
        return
    with transaction.atomic():
        answer = _window_answer(actor, id_number, person, REGISTRATION_CHECK)
    raise RegisteredElsewhere(answer)


def _window_answer(actor, id_number: str, person: Person | None, asked_by: str) -> WindowAnswer:
    """The answer to a check, kept as a WindowCheck and audited (inside the caller's transaction)."""
    masked = mask_id(id_number)
    if person is None:
        answer = WindowAnswer(False, masked, status="未在帮扶对象名册中登记")
    else:
        county = Area.objects.filter(code=person.area_id[:6].ljust(12, "0")).values_list(
            "full_name", flat=True
        )
        household = person.household
        kind = household.household_type or "在册人员"
        if household.monitoring_type:
            kind += f"（{household.monitoring_type}）"
        status = f"已登记：{kind}" + ("，已故" if person.is_deceased else "")
        own = actor.area.contains(person.area_id)
        answer = WindowAnswer(
            True, masked, home=county.first() or "", status=status, person=person if own else None
        )
    result = f"{answer.home} {answer.status}".strip()
    if asked_by != WINDOW_CHECK:
        result = f"{result}（{asked_by}）"
    WindowCheck.objects.create(
        user=actor,
        area=actor.area,
        masked_id=masked,
        person=person,
        found=answer.found,
        result=result[:200],
    )
    audit(
        Action.VIEW_SENSITIVE,
        actor=actor,
        area_code=actor.area_id,
        message=f"{asked_by} {masked}：{answer.status}" + (f"（{answer.home}）" if answer.home else ""),
    )
    return answer


HOUSEHOLD_EDIT_FIELDS = (*HOUSEHOLD_FIELDS, "risk_identified_on", "risk_eliminated_on", "poverty_causes")


@transaction.atomic
def save_household(actor, *, number: str, area, values: dict, source: str = SOURCE_MANUAL) -> Household:
    """Create a household, or change its own fields (its members change through their rows)."""
    household = Household.objects.filter(number=number).first()
    if household is not None and not actor.area.contains(household.area_id):
        raise PermissionDenied("该户编号已被其他地区的家庭使用。")
    if household is None:
        household = Household.objects.create(number=number, area=area, **values)
        audit(
            Action.CREATE,
            actor=actor,
            obj=household,
            after={k: display(v) for k, v in values.items()},
            message="新增户",
        )
        return household
    diff = {f: (getattr(household, f), v) for f, v in values.items() if getattr(household, f) != v}
    if area.code != household.area_id:
        diff["area"] = (household.area_id, area.code)
    if not diff:
        return household
    for name, (_, after) in diff.items():
        setattr(household, "area_id" if name == "area" else name, after)
    household.save()
    if "area" in diff:
        Person.objects.filter(household=household).update(area_id=household.area_id)
    Change.objects.bulk_create(
        Change(
            actor=actor,
            source=source,
            household=household,
            field=_label(Household, name),
            before=display(b),
            after=display(a),
        )
        for name, (b, a) in diff.items()
    )
    audit(
        Action.UPDATE,
        actor=actor,
        obj=household,
        message="修改户信息",
        before={k: display(b) for k, (b, _) in diff.items()},
        after={k: display(a) for k, (_, a) in diff.items()},
    )
    return household


SOURCE_COMPARE = "比对"


def _apply_fields(actor, obj, values: dict, *, source: str, message: str) -> dict:
    """Set some fields of a locked Person or Household: the row saved, one history entry per changed
    field and one UPDATE audit event. {field: (before, after)} of what changed."""
    diff = {f: (getattr(obj, f), v) for f, v in values.items() if getattr(obj, f) != v}
    if not diff:
        return {}
    for name, (_, after) in diff.items():
        setattr(obj, name, after)
    obj.save(update_fields=[*diff, "updated_at"])
    who = actor if getattr(actor, "pk", None) else None
    owner = {"person": obj} if isinstance(obj, Person) else {"household": obj}
    Change.objects.bulk_create(
        Change(
            actor=who, source=source, field=_label(type(obj), n), before=display(b), after=display(a), **owner
        )
        for n, (b, a) in diff.items()
    )
    audit(
        Action.UPDATE,
        actor=actor,
        obj=obj,
        message=message,
        before={k: display(b) for k, (b, _) in diff.items()},
        after={k: display(a) for k, (_, a) in diff.items()},
    )
    return diff


@transaction.atomic
def update_person_fields(actor, person: Person, values: dict, *, source: str, message: str = "") -> dict:
    """Set some of one person's own fields (not the §1 row: status fields such as 已故, 务工状态, 残疾,
    参保), with a history entry per changed field and one UPDATE audit event, as a manual edit writes.

    Returns {field: (before, after)} of what changed; values already in place change nothing. Marking a
    person deceased sends `signals.person_deceased` once the transaction commits."""
    from bangfu.registry.signals import person_deceased

    person = Person.objects.select_for_update().select_related("household").get(pk=person.pk)
    diff = _apply_fields(actor, person, values, source=source, message=message or "修改人员信息")
    if diff.get("is_deceased", (None, None))[1] is True:
        who = actor if getattr(actor, "pk", None) else None
        transaction.on_commit(lambda: person_deceased.send(sender=Person, person=person, actor=who))
    return diff


@transaction.atomic
def update_household_fields(
    actor, household: Household, values: dict, *, source: str, message: str = ""
) -> dict:
    """Like update_person_fields, for a household's own fields (是否低保, 是否特困 …)."""
    household = Household.objects.select_for_update().get(pk=household.pk)
    return _apply_fields(actor, household, values, source=source, message=message or "修改户信息")
