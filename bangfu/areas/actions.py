"""Loading the shipped division codes into the database."""

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from bangfu.areas import dataset
from bangfu.areas.models import NATION_CODE, Area, AreaCodeChange, Level
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.audit.log import record
from bangfu.audit.models import Action

BATCH_SIZE = 5000


@dataclass
class LoadResult:
    loaded: int
    retired: int
    code_changes: int


def _wanted(division: dataset.Division, prefixes: tuple[str, ...]) -> bool:
    """Keep a division inside one of the prefixes, or an ancestor of one."""
    natural = division.code[: LEVEL_DIGITS[division.level]]
    return any(division.code.startswith(p) or p.startswith(natural) for p in prefixes)


def _nation() -> Area:
    area, _ = Area.objects.get_or_create(
        code=NATION_CODE, defaults={"name": "全国", "full_name": "全国", "level": Level.NATION}
    )
    return area


@transaction.atomic
def load_areas(
    *, province: str | None = None, within: Iterable[str] = (), actor=None, progress=None
) -> LoadResult:
    """Insert or update the divisions of the whole country, one province, or some subtrees.

    `within` lists natural-length code prefixes (e.g. "433124"): only those subtrees and their ancestors
    are loaded. Re-running is safe: names are updated, nothing is duplicated, and codes that vanished
    from a fully loaded scope are kept but marked as no longer current.
    """
    nation = _nation()
    prefixes = tuple(within)
    full_names: dict[str, str] = {NATION_CODE: ""}
    batch: list[Area] = []
    seen: set[str] = set()
    loaded = 0

    def flush():
        Area.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "full_name", "level", "parent", "is_current"],
            batch_size=BATCH_SIZE,
        )
        batch.clear()

    if prefixes and province is None:  # only the provinces the subtrees lie in are read
        provinces = sorted({p[:2] for p in prefixes})
        divisions = itertools.chain.from_iterable(dataset.iter_divisions(p) for p in provinces)
    else:
        divisions = dataset.iter_divisions(province)
    for division in divisions:
        if prefixes and not _wanted(division, prefixes):
            continue
        parent = division.parent_code or nation.code
        full_name = full_names.get(parent, "") + division.name
        if division.level < Level.VILLAGE:
            full_names[division.code] = full_name
        batch.append(
            Area(
                code=division.code,
                name=division.name,
                full_name=full_name,
                level=division.level,
                parent_id=parent,
                is_current=True,
            )
        )
        seen.add(division.code)
        loaded += 1
        if len(batch) >= BATCH_SIZE:
            flush()
            if progress:
                progress(loaded)
    flush()

    retired = 0
    if not prefixes:
        scope = Area.objects.exclude(code=NATION_CODE).filter(is_current=True)
        if province:
            scope = scope.for_area(Area.objects.get(code=dataset.pad_code(province)))
        stale = [code for code in scope.values_list("code", flat=True).iterator() if code not in seen]
        for start in range(0, len(stale), BATCH_SIZE):
            retired += Area.objects.filter(code__in=stale[start : start + BATCH_SIZE]).update(
                is_current=False
            )

    changes = load_code_changes()
    record(
        Action.IMPORT,
        actor=actor,
        area_code=NATION_CODE if not province else dataset.pad_code(province),
        message=f"载入 {dataset.DATASET_YEAR} 年统计用区划代码 {loaded} 条"
        + (f"（{province}）" if province else "")
        + (f"，停用 {retired} 条" if retired else ""),
    )
    return LoadResult(loaded=loaded, retired=retired, code_changes=changes)


def load_code_changes() -> int:
    """Record old → current code mappings whose current code is loaded."""
    present = None
    changes = list(dataset.iter_code_changes())
    if changes:
        present = set(
            Area.objects.filter(code__in={c.new_code for c in changes}).values_list("code", flat=True)
        )
    rows = [
        AreaCodeChange(old_code=c.old_code, new_area_id=c.new_code, last_year=c.last_year, note=c.note)
        for c in changes
        if present and c.new_code in present and c.old_code != c.new_code
    ]
    AreaCodeChange.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["old_code"],
        update_fields=["new_area", "last_year", "note"],
        batch_size=BATCH_SIZE,
    )
    return len(rows)
