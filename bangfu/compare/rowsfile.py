"""A run's checked source rows as uploaded, kept as one Parquet file beside the run (`ComparisonRun.rows`)
and read by row number when a finding is shown, exported or served by the API.

A province's run has millions of findings; each used to carry its row's cells as JSON, which made the
cells the larger part of what a run wrote to the database (docs/benchmarks.md). Now a finding keeps only
the numbers of the rows it covers (`Finding.source`: {} for its own `row_no`, {"rows": [n, …]} for
several) and the reader writes the rows once (reader.read_source), in row order: `row_no` and one text
column per column of the source type the file has, empty cells null. Parquet's row-group statistics let
a lookup of a few rows read only the groups that hold them. Files of runs before 2026-12-04 hold
`row_no` and `cells` (the row as JSON text), and are read as they are.
"""

from __future__ import annotations

import json
import logging
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa

from bangfu.compare.models import ComparisonRun

logger = logging.getLogger(__name__)

ROW_GROUP_ROWS = 32_768  # a lookup reads one group: about 6 MB of cells at most
# zstd at level 1: at 5 million rows about as small as DuckDB's default level 3, in less time (lz4 and
# snappy: 1.8 times the size for no less time).
COMPRESSION = {"compression": "zstd", "compression_level": 1}


def write_frame(frame, target: Path) -> None:
    """A polars frame of `row_no` and the cells' columns (text, null for empty) as the rows file."""
    frame.write_parquet(target, row_group_size=ROW_GROUP_ROWS, statistics=True, **COMPRESSION)


class RowsWriter:
    """The rows file written a batch at a time, for rows checked one by one: `write` takes their numbers
    and their cells ({column: text}, only the non-empty ones)."""

    def __init__(self, target: Path, names: list[str]):
        import pyarrow.parquet as pq

        self.names = names
        self.schema = pa.schema([("row_no", pa.int64()), *((name, pa.string()) for name in names)])
        self.writer = pq.ParquetWriter(target, self.schema, **COMPRESSION)

    def write(self, numbers: list[int], cells: list[dict]) -> None:
        columns = [numbers, *([c.get(name) for c in cells] for name in self.names)]
        self.writer.write_table(pa.table(columns, schema=self.schema), row_group_size=ROW_GROUP_ROWS)

    def close(self) -> None:
        self.writer.close()


def read_rows(path: str | Path, numbers: Iterable[int]) -> dict[int, dict]:
    """{row number: {column: text}} of the wanted rows that the file holds (non-empty cells only)."""
    import pyarrow.parquet as pq

    wanted = sorted({int(n) for n in numbers})
    if not wanted:
        return {}
    table = pq.read_table(path, filters=[("row_no", "in", wanted)])
    numbers = table.column("row_no").to_pylist()
    if table.column_names == ["row_no", "cells"]:  # runs before 2026-12-04: the row as JSON text
        return {
            n: json.loads(cells) for n, cells in zip(numbers, table.column("cells").to_pylist(), strict=True)
        }
    names = table.column_names[1:]
    rows = zip(*(table.column(name).to_pylist() for name in names), strict=True)
    return {
        n: {name: value for name, value in zip(names, row, strict=True) if value not in (None, "")}
        for n, row in zip(numbers, rows, strict=True)
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
