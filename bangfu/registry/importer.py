"""Registry import, phase one: read the whole file, check every row, and decide what would be saved.

Nothing is written here: `actions.save_import` saves the valid rows in short transactions, and
`actions.run_registry_import` runs both phases for one batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import attrgetter

from bangfu.areas.models import Area
from bangfu.core.bulk import select_by_keys
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
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

CHECK_CHUNK = 5000
# The column a household field is read from, to name it in messages.
HOUSEHOLD_COLUMNS = {name: FIELD_COLUMNS[name] for name in ("village_code", *HOUSEHOLD_FIELDS)}


@dataclass
class Validation:
    header: list[str]
    records: list[PersonRecord]
    problems: list[RowProblem]
    total_rows: int = 0
    warnings: list[str] = field(default_factory=list)


def area_lookup(area: Area) -> AreaLookup:
    """The lookup for rows imported by the staff of `area`: its current subtree."""
    rows = Area.objects.for_area(area).current().values_list("code", "name", "level", "parent_id")

    def outside(code: str) -> str | None:
        found = Area.objects.filter(code=code).values_list("full_name", flat=True).first()
        return found or None

    return AreaLookup(area.code, area.level, rows.iterator(chunk_size=10000), outside)


_household_key = attrgetter("village_code", *HOUSEHOLD_FIELDS)  # what members of one household share


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
    warnings = list(sheet.warnings)
    if sheet.unknown_columns:
        warnings.append("以下列不是名册列，已忽略：" + "、".join(sheet.unknown_columns))
    return warnings


def check_rows(
    rows: Iterable,
    area: Area,
    problems: list[RowProblem],
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[PersonRecord]]:
    """Check rows in file order; yield the accepted records every CHECK_CHUNK rows, and append every
    rejected row to `problems`. Checks within the file (a person twice, a household that disagrees with
    itself) and against the registry (people and households registered outside the area) included."""
    lookup = area_lookup(area)
    today = today or dt.date.today()
    row_of_id: dict[str, int] = {}
    households: dict[str, tuple[int, tuple]] = {}
    pending: list[tuple[PersonRecord, list]] = []  # rows still to check against the registry
    for total, row in enumerate(rows, start=1):
        record, errors = clean_row(row.cells, lookup, row_number=row.number, today=today)
        if record is not None:
            errors = _file_conflicts(record, row.cells, row_of_id, households)
        if errors:
            problems.append(RowProblem(row.number, row.raw, errors))
        else:
            pending.append((record, row.raw))
            row_of_id[record.id_number] = row.number
            households.setdefault(record.household_number, (row.number, _household_key(record)))
        if len(pending) >= CHECK_CHUNK:
            yield _check_registry(pending, area, problems)
        if progress and total % 10000 == 0:
            progress(total)
    if pending:
        yield _check_registry(pending, area, problems)


def validate_file(
    path,
    area: Area,
    *,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    accept: Callable[[list[PersonRecord]], None] | None = None,
) -> Validation:
    """Every row checked; raises SpreadsheetError when the file as a whole cannot be used.

    With `accept`, accepted rows are handed over chunk by chunk as they pass (in file order, each final:
    later rows never reject earlier ones) instead of being collected in `Validation.records`. The whole
    file is then proven readable first, so that a file which breaks half-way is refused before any row
    is handed over."""
    sheet = open_registry_sheet(path)
    if accept is not None:
        sheet.check_readable()
    problems: list[RowProblem] = []
    records: list[PersonRecord] = []
    accepted = 0
    for chunk in check_rows(sheet.rows(), area, problems, today=today, progress=progress):
        accepted += len(chunk)
        if accept is None:
            records.extend(chunk)
        elif chunk:
            accept(chunk)
    problems.sort(key=lambda p: p.row_number)
    total = accepted + len(problems)
    return Validation(list(sheet.header), records, problems, total, sheet_warnings(sheet))


def _file_conflicts(record, cells, row_of_id, households) -> list[CellError]:
    if (first := row_of_id.get(record.id_number)) is not None:
        return [
            CellError("证件号码", cells.get("证件号码"), f"与第 {first} 行重复：同一人在文件中只能出现一次")
        ]
    if (seen := households.get(record.household_number)) is not None:
        first_row, key = seen
        mine = _household_key(record)
        if mine != key:
            names = ("village_code", *HOUSEHOLD_FIELDS)
            columns = [HOUSEHOLD_COLUMNS[n] for n, a, b in zip(names, key, mine, strict=True) if a != b]
            return [
                CellError(
                    columns[0],
                    cells.get(columns[0]),
                    f"同一户编号的{'、'.join(columns)}与第 {first_row} 行不一致：一户的户信息应相同",
                )
            ]
    return []


def _check_registry(pending, area: Area, problems: list) -> list[PersonRecord]:
    """Move pending rows to `records`, except people or households registered outside the importer's
    subtree: those are reported, never moved."""
    low, high = area.code_range
    ids = [record.id_number for record, _ in pending]
    numbers = list({record.household_number for record, _ in pending})
    outside = "area_id < %s OR area_id > %s"
    people = dict(
        select_by_keys(Person, "id_number", ids, ["id_number", "area"], where=outside, params=(low, high))
    )
    homes = dict(
        select_by_keys(Household, "number", numbers, ["number", "area"], where=outside, params=(low, high))
    )
    counties = _county_names(set(people.values()) | set(homes.values())) if people or homes else {}
    records = []
    for record, raw in pending:
        if (code := people.get(record.id_number)) is not None:
            where = counties.get(code[:6].ljust(12, "0"), code[:6])
            message = (
                f"此人已在{where}登记，不在您的管辖区域内，未导入也未迁移；如确已迁入，请与原登记地核实后办理"
            )
            problems.append(
                RowProblem(record.row_number, raw, [CellError("证件号码", record.id_number, message)])
            )
        elif (code := homes.get(record.household_number)) is not None:
            where = counties.get(code[:6].ljust(12, "0"), code[:6])
            message = f"户编号已被{where}的家庭使用，不在您的管辖区域内"
            problems.append(
                RowProblem(record.row_number, raw, [CellError("户编号", record.household_number, message)])
            )
        else:
            records.append(record)
    pending.clear()
    return records


def _county_names(codes: set[str]) -> dict[str, str]:
    counties = {code[:6].ljust(12, "0") for code in codes}
    return dict(Area.objects.filter(code__in=counties).values_list("code", "full_name"))
