"""A run's checked source rows as uploaded, kept as one Parquet file beside the run (`ComparisonRun.rows`)
and read by row number when a finding is shown, exported or served by the API.

A province's run has millions of findings; each used to carry its row's cells as JSON, which made the
cells the larger part of what a run wrote to the database (docs/benchmarks.md). Now a finding keeps only
the numbers of the rows it covers (`Finding.source`: {} for its own `row_no`, {"rows": [n, …]} for
several) and the cells are written once, column-wise, nearly in row order: Parquet's row-group statistics let
a lookup of a few rows read only the groups that hold them.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from bangfu.compare.models import ComparisonRun

logger = logging.getLogger(__name__)

ROW_GROUP_ROWS = 32_768  # a lookup reads one group: about 6 MB of cells at most
# zstd at level 1, not DuckDB's default 3: at 5 million rows 182 MB instead of 178, in 3.0 CPU-s instead of
# 4.2 (lz4 and snappy: 1.8 times the size for no less time).


def write_rows(con, relation: str, target: Path) -> None:
    """`relation` (DuckDB: row_no, cells) to `target`, in the relation's order: the reader's, which is
    row order but for the few rows it checked one by one, at the end (not sorted again: 2 s at 5 million
    rows; a lookup reads their group as well)."""
    con.execute(
        f"COPY (SELECT row_no, cells FROM {relation}) TO '{target}' "
        f"(FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1, ROW_GROUP_SIZE {ROW_GROUP_ROWS})"
    )


def read_rows(path: str | Path, numbers: Iterable[int]) -> dict[int, dict]:
    """{row number: {column: text}} of the wanted rows that the file holds."""
    import pyarrow.parquet as pq

    wanted = sorted({int(n) for n in numbers})
    if not wanted:
        return {}
    table = pq.read_table(path, columns=["row_no", "cells"], filters=[("row_no", "in", wanted)])
    return {
        number: json.loads(cells)
        for number, cells in zip(
            table.column("row_no").to_pylist(), table.column("cells").to_pylist(), strict=True
        )
    }


def _numbers(finding) -> list[int] | None:
    """The row numbers a finding of the rows-file form covers; None for a finding holding its cells."""
    source = finding.source or {}
    rows = source.get("rows")
    if isinstance(rows, list) and all(isinstance(r, int) for r in rows) and rows:
        return rows
    if source:
        return None  # cells held by the finding (runs before the rows file)
    return [finding.row_no] if finding.row_no else []


def covered_rows(findings: Iterable) -> dict[int, list[dict]]:
    """{finding pk: its source rows}: one row's cells, or several rows each with 源行号 first. Reads each
    run's rows file once for all the given findings of that run."""
    findings = list(findings)
    wanted: dict[int, set[int]] = defaultdict(set)
    for finding in findings:
        numbers = _numbers(finding)
        if numbers:
            wanted[finding.run_id].update(numbers)
    found: dict[int, dict[int, dict]] = {}
    if wanted:
        files = dict(ComparisonRun.objects.filter(pk__in=list(wanted)).values_list("pk", "rows"))
        for run_id, numbers in wanted.items():
            path = _path(files[run_id]) if files.get(run_id) else None
            if path is not None and not path.exists():
                # Lost (not restored from a backup): the findings stay, without their rows' cells.
                logger.warning("comparison run %s: rows file %s is missing", run_id, path)
                path = None
            found[run_id] = read_rows(path, numbers) if path else {}
    result = {}
    for finding in findings:
        numbers = _numbers(finding)
        if numbers is None:
            source = finding.source
            result[finding.pk] = source["rows"] if isinstance(source.get("rows"), list) else [source]
        elif len(numbers) == 1:
            result[finding.pk] = [found[finding.run_id].get(numbers[0], {})]
        elif numbers:
            cells = found[finding.run_id]
            result[finding.pk] = [{"源行号": n, **cells.get(n, {})} for n in numbers]
        else:
            result[finding.pk] = [{}]
    return result


def _path(name: str) -> Path:
    return Path(ComparisonRun._meta.get_field("rows").storage.path(name))  # the field's own storage
