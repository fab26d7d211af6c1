"""Registry import, phase one: read the whole file, check every row, and decide what would be saved.

Nothing is written here: `actions.save_import` saves the valid rows in short transactions, and
`actions.run_registry_import` runs both phases for one batch.

A large CSV file is read by polars and checked column-wise (`columnar.check_cells`); spreadsheets and
small files row by row (`rows.clean_row`). Either way the accepted rows become one frame of records, and
the checks across rows — within the file, then against the registry — run on that frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import attrgetter

import polars as pl

from bangfu.areas.models import Area
from bangfu.core.bulk import select_by_keys
from bangfu.exchange.frames import can_read_fast, raw_cells, read_csv_frame
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.registry.columnar import check_cells, frame_records, records_frame
from bangfu.registry.models import Household, Person
from bangfu.registry.rows import (
    AREA_CODE,
    COLUMNS,
    FIELD_COLUMNS,
    HOUSEHOLD_FIELDS,
    TOWNSHIP,
    VILLAGE,
    AreaLookup,
    PersonRecord,
    clean_row,
)

# The column a household field is read from, to name it in messages.
HOUSEHOLD_COLUMNS = {name: FIELD_COLUMNS[name] for name in ("village_code", *HOUSEHOLD_FIELDS)}
HOUSEHOLD_KEY = ("village_code", *HOUSEHOLD_FIELDS)  # what members of one household share


@dataclass
class Validation:
    header: list[str]
    records: pl.DataFrame
    """The accepted rows, one column per PersonRecord field (columnar.RECORD_SCHEMA), in file order."""
    problems: list[RowProblem]
    total_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    def record_list(self) -> list[PersonRecord]:
        return frame_records(self.records)


def area_lookup(area: Area) -> AreaLookup:
    """The lookup for rows imported by the staff of `area`: its current subtree."""
    rows = Area.objects.for_area(area).current().values_list("code", "name", "level", "parent_id")

    def outside(code: str) -> str | None:
        found = Area.objects.filter(code=code).values_list("full_name", flat=True).first()
        return found or None

    return AreaLookup(area.code, area.level, rows.iterator(chunk_size=10000), outside)


_household_key = attrgetter(*HOUSEHOLD_KEY)


def open_registry_sheet(path):
    """The sheet, with the registry's columns found; SpreadsheetError when the file cannot be used."""
    sheet = open_sheet(path, COLUMNS)
    if AREA_CODE not in sheet.columns and not {TOWNSHIP, VILLAGE} <= set(sheet.columns):
        raise SpreadsheetError(
            f"缺少区划列：请提供“{AREA_CODE}”（12 位村级代码），或“{TOWNSHIP}”和“{VILLAGE}”两列。",
            missing=(AREA_CODE,),
            seen=tuple(sheet.header),
        )
    return sheet


def sheet_warnings(sheet) -> list[str]:
    """What the reader noticed about the file as a whole, the unknown columns among them (listed once)."""
    return list(sheet.warnings)


def validate_file(
    path,
    area: Area,
    *,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Validation:
    """Every row checked; raises SpreadsheetError when the file as a whole cannot be used (unreadable,
    no header, a part in another encoding), before any row is accepted."""
    today = today or dt.date.today()
    sheet = open_registry_sheet(path)
    lookup = area_lookup(area)
    problems: list[RowProblem] = []
    if can_read_fast(sheet):
        raw, cells = read_csv_frame(sheet, [c.name for c in COLUMNS])
        if progress:
            progress(f"校验（共 {cells.height} 行）")
        records, rejected = check_cells(cells, lookup, today)
        problems.extend(RowProblem(number, None, errors) for number, errors in rejected)
        total = cells.height
    else:
        accepted: list[PersonRecord] = []
        total = 0
        for total, row in enumerate(sheet.rows(), start=1):
            record, errors = clean_row(row.cells, lookup, row_number=row.number, today=today)
            if errors:
                problems.append(RowProblem(row.number, row.raw, errors))
            else:
                accepted.append(record)
            if progress and total % 10000 == 0:
                progress(f"校验（已读 {total} 行）")
        records = records_frame(accepted)
        raw = None
    records = _without_file_conflicts(records, problems)
    records = _without_outsiders(records, area, problems)
    fill_raw_cells(problems, sheet, raw)
    problems.sort(key=lambda p: p.row_number)
    return Validation(list(sheet.header), records, problems, total, sheet_warnings(sheet))


def fill_raw_cells(problems: list[RowProblem], sheet, raw) -> None:
    """Rows rejected after cleaning carry no cells yet: the report shows them as uploaded."""
    missing = {p.row_number: p for p in problems if p.raw_cells is None}
    if not missing:
        return
    if raw is not None:
        found = raw_cells(raw, missing)
    else:
        found = {row.number: row.raw for row in sheet.rows() if row.number in missing}
    for number, problem in missing.items():
        problem.raw_cells = found.get(number, [])


def _without_file_conflicts(records: pl.DataFrame, problems: list[RowProblem]) -> pl.DataFrame:
    """Within the file, the first row of a person wins (a later row with the same ID is reported), and
    every row of a household must carry the household's values as its first row does.

    Decided in file order, row by row, for the rows that take part in a conflict: rows whose ID is
    repeated or whose household disagrees with itself. Every other row is certainly accepted."""
    split = (
        records.group_by("household_number")
        .agg(pl.any_horizontal(pl.col(name).n_unique() > 1 for name in HOUSEHOLD_KEY).alias("split"))
        .filter("split")
    )
    split_household = pl.col("household_number").is_in(split["household_number"].implode())
    involved = pl.col("id_number").is_duplicated() | split_household
    flagged = records.with_columns(involved.alias("involved"))
    if not flagged["involved"].any():
        return records
    row_of_id: dict[str, int] = {}
    households: dict[str, tuple[int, tuple]] = {}
    rejected = set()
    for record in frame_records(flagged.filter("involved")):
        errors = _file_conflicts(record, row_of_id, households)
        if errors:
            problems.append(RowProblem(record.row_number, None, errors))
            rejected.add(record.row_number)
        else:
            row_of_id[record.id_number] = record.row_number
            households.setdefault(record.household_number, (record.row_number, _household_key(record)))
    return records.filter(~pl.col("row_number").is_in(list(rejected)))


def _file_conflicts(record: PersonRecord, row_of_id, households) -> list[CellError]:
    if (first := row_of_id.get(record.id_number)) is not None:
        return [CellError("证件号码", record.id_number, f"与第 {first} 行重复：同一人在文件中只能出现一次")]
    if (seen := households.get(record.household_number)) is not None:
        first_row, key = seen
        mine = _household_key(record)
        if mine != key:
            names = [n for n, a, b in zip(HOUSEHOLD_KEY, key, mine, strict=True) if a != b]
            columns = [HOUSEHOLD_COLUMNS[n] for n in names]
            return [
                CellError(
                    columns[0],
                    getattr(record, names[0]),
                    f"同一户编号的{'、'.join(columns)}与第 {first_row} 行不一致：一户的户信息应相同",
                )
            ]
    return []


def _without_outsiders(records: pl.DataFrame, area: Area, problems: list[RowProblem]) -> pl.DataFrame:
    """People and households registered outside the importer's subtree are reported, never moved."""
    if records.is_empty():
        return records
    low, high = area.code_range
    outside = "area_id < %s OR area_id > %s"
    people = dict(
        select_by_keys(
            Person,
            "id_number",
            records["id_number"].to_list(),
            ["id_number", "area"],
            where=outside,
            params=(low, high),
        )
    )
    homes = dict(
        select_by_keys(
            Household,
            "number",
            records["household_number"].unique().to_list(),
            ["number", "area"],
            where=outside,
            params=(low, high),
        )
    )
    if not people and not homes:
        return records
    counties = _county_names(set(people.values()) | set(homes.values()))
    rejected = set()
    concerned = records.filter(
        pl.col("id_number").is_in(list(people)) | pl.col("household_number").is_in(list(homes))
    )
    for number, id_number, household_number in concerned.select(
        "row_number", "id_number", "household_number"
    ).iter_rows():
        if (code := people.get(id_number)) is not None:
            where = counties.get(code[:6].ljust(12, "0"), code[:6])
            message = (
                f"此人已在{where}登记，不在您的管辖区域内，未导入也未迁移；如确已迁入，请与原登记地核实后办理"
            )
            problems.append(RowProblem(number, None, [CellError("证件号码", id_number, message)]))
        else:
            where = counties.get(homes[household_number][:6].ljust(12, "0"), homes[household_number][:6])
            message = f"户编号已被{where}的家庭使用，不在您的管辖区域内"
            problems.append(RowProblem(number, None, [CellError("户编号", household_number, message)]))
        rejected.add(number)
    return records.filter(~pl.col("row_number").is_in(list(rejected)))


def _county_names(codes: set[str]) -> dict[str, str]:
    counties = {code[:6].ljust(12, "0") for code in codes}
    return dict(Area.objects.filter(code__in=counties).values_list("code", "full_name"))
