"""The designations file (区域认定名单, docs/exchange.md): `bangfu import designations FILE --area
CODE` and 导入名单 on the pages, in two phases — read and check every row, then save the valid ones in one
transaction (a failure saves nothing), each row in a savepoint so that a row clashing with a stored
listing is reported and the others kept.

A listing is identified by (区划代码, 认定类别, 起始日期): a row imported again with the same end and basis
changes nothing; with another end or basis it updates the listing, audited with what it was.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from bangfu.areas import rows as designation_rows
from bangfu.areas.actions import ImportCounts, Listing, save_listing
from bangfu.areas.kinds import DESIGNATION_LEVELS
from bangfu.areas.models import Area, AreaCodeChange, DesignationImport, Level
from bangfu.audit import batches as audited
from bangfu.core import batches
from bangfu.core.batches import ImportStatus
from bangfu.core.files import shown_names
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet

SUFFIXES = ("村民委员会", "居民委员会", "村委会", "居委会", "社区", "村")


@dataclass
class Checked:
    number: int
    raw: object
    listing: Listing


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    checked: list[Checked] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _same_name(given: str, area: Area) -> bool:
    def bare(text: str) -> str:
        for suffix in SUFFIXES:
            if text.endswith(suffix) and len(text) > len(suffix):
                return text[: -len(suffix)]
        return text

    return given in (area.name, area.full_name) or bare(given) == bare(area.name)


def _current_areas(area: Area, codes: set[str]) -> tuple[dict[str, Area], int]:
    """{code as in the file: the current area of `area`'s subtree it names} and how many codes were old
    ones: a list of 2014 names villages by the codes of then, some since changed (`AreaCodeChange`, the
    same table `Area.objects.resolve` follows for one code)."""
    found = Area.objects.for_area(area).in_bulk(codes)
    stale = [code for code in codes if code not in found or not found[code].is_current]
    moved = dict(AreaCodeChange.objects.filter(old_code__in=stale).values_list("old_code", "new_area_id"))
    if moved:
        now = Area.objects.for_area(area).current().in_bulk(set(moved.values()))
        for old, new in moved.items():
            if new in now:
                found[old] = now[new]
    return found, sum(1 for old in moved if old in found and found[old].code != old)


def validate_designations_file(path: Path, area: Area) -> Validation:
    """Phase one: read and check every row, writing nothing. SpreadsheetError when the file is unusable."""
    sheet = open_sheet(path, designation_rows.COLUMNS)
    validation = Validation(header=sheet.header)
    cleaned = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = designation_rows.clean_designation_row(row.cells)
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
        else:
            cleaned.append((record, row))
    validation.warnings = list(sheet.warnings)
    found, moved = _current_areas(area, {record.code for record, _ in cleaned})
    if moved:
        validation.warnings.append(f"文件中有 {moved} 个已变更的区划代码，已按区划代码变更表认定给现行区域。")
    place = area.full_name or area.name
    seen: dict[tuple, int] = {}
    for record, row in cleaned:
        listed = found.get(record.code)
        wanted = DESIGNATION_LEVELS[record.kind]
        errors = []
        if listed is None:
            errors.append(
                CellError(
                    designation_rows.CODE, record.code, f"不在导入区域（{place}）内，或没有这个区划代码"
                )
            )
        elif listed.code == area.code:
            errors.append(
                CellError(designation_rows.CODE, record.code, "区域认定由上级区域登记：不能认定导入区域本身")
            )
        elif record.name and not _same_name(record.name, listed):
            errors.append(
                CellError(designation_rows.NAME, record.name, f"与区划代码对应的名称（{listed.name}）不一致")
            )
        elif listed.level != wanted:
            kind_name = designation_rows.NAMES[record.kind]
            errors.append(
                CellError(
                    designation_rows.KIND,
                    kind_name,
                    f"{kind_name}只能认定给{Level(wanted).label}区域；{listed.name}是{Level(listed.level).label}区域",
                )
            )
        elif record.key in seen:
            errors.append(
                CellError(None, None, f"与第 {seen[record.key]} 行重复（区划代码、认定类别、起始日期相同）")
            )
        if errors:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
            continue
        seen[record.key] = row.number
        validation.checked.append(
            Checked(
                row.number,
                row.raw,
                Listing(listed, record.kind, record.starts_on, record.ends_on, record.basis),
            )
        )
    return validation


@transaction.atomic
def save_designations(validation: Validation, *, actor) -> ImportCounts:
    """Phase two, one transaction: each checked row in order of area and date (a 贫困村 before the 脱贫村 that
    ends it), in its own savepoint; a row that clashes with a stored listing becomes a problem."""
    counts = ImportCounts()
    order = sorted(validation.checked, key=lambda c: (c.listing.area.code, c.listing.starts_on, c.number))
    for item in order:
        try:
            with transaction.atomic():
                save_listing(actor, item.listing, counts)
        except ValidationError as exc:
            reason = "；".join(exc.messages)
            validation.problems.append(RowProblem(item.number, item.raw, [CellError(None, None, reason)]))
    validation.problems.sort(key=lambda p: p.row_number)
    return counts


def create_designation_import(*, area: Area, user, path: Path | None = None, upload=None, name: str = ""):
    batch = DesignationImport(area=area, user=user if getattr(user, "pk", None) else None)
    return audited.keep(batch, path=path, upload=upload, name=name)


def run_designation_import(batch: DesignationImport, *, report_path: Path | None = None) -> DesignationImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    batches.start(batch)
    try:
        return _run(batch, report_path=report_path)
    except Exception as exc:
        audited.fail_if_running(batch, exc)
        raise


def _run(batch: DesignationImport, *, report_path) -> DesignationImport:
    try:
        validation = validate_designations_file(Path(batch.file.path), batch.area)
    except SpreadsheetError as exc:
        return audited.finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    counts = save_designations(validation, actor=batch.user)
    batch.total_rows = validation.total_rows
    batch.error_rows = len({p.row_number for p in validation.problems})
    batch.valid_rows = batch.total_rows - batch.error_rows
    batch.errors = error_list(validation.problems)
    batch.created, batch.updated, batch.unchanged, batch.ended = (
        counts.created, counts.updated, counts.unchanged, counts.ended,
    )  # fmt: skip
    if validation.problems:
        batches.attach_report(batch, validation.header, validation.problems, report_path)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增认定 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}；"
        f"因新认定终止原认定 {counts.ended} 条"
    )
    return audited.finish(batch, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))
