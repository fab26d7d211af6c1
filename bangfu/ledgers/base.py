"""A ledger (台账) is one definition: which records (a scoped queryset), one FilterSet, the columns as a
county officer files them, and the counts at its top. From that definition alone come its page under
/ledgers/<key>/, its API /api/v1/ledgers/<key>/ and its export (xlsx or csv, in the background when large),
so the three never disagree. The standard ledgers are in `standard.py`; a program of a later issue
(公益性岗位, training, payouts) adds its own by calling `register(Ledger(...))` from its AppConfig.ready().
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import batched

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from bangfu.areas.models import Area
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.exports import kinds

CHUNK = 5000  # rows fetched from the database at a time
FRAME_ROWS = 50_000  # rows turned into one polars frame for the file writer


class RowContext:
    """What a row's cells may need beside its values: whether whole ID numbers and phones may be shown,
    and the names of the areas the rows are in (read once per county, never joined per row)."""

    def __init__(self, sensitive: bool):
        self.sensitive = sensitive
        self._names: dict[str, str] = {}
        self._loaded: set[str] = set()

    def area_name(self, code: str | None, level: int) -> str:
        """The name of the area of `level` (3 county … 5 village) containing village `code`."""
        if not code:
            return ""
        digits = LEVEL_DIGITS[level]
        prefix = code[:digits]
        key = prefix + "0" * (12 - digits)
        if key not in self._names:
            county = code[: LEVEL_DIGITS[3]]
            if county not in self._loaded:
                self._loaded.add(county)
                low, high = county + "0" * 6, county + "9" * 6
                found = Area.objects.filter(code__gte=low, code__lte=high).values_list("code", "name")
                self._names.update(found)
            self._names.setdefault(key, "")
        return self._names[key]


def plain(value, ctx: RowContext):
    """A number as it is: None stays None (an empty cell, null in the API)."""
    return value


def text(value, ctx: RowContext) -> str:
    return "" if value is None else str(value)


def yes_no(value, ctx: RowContext) -> str:
    return "" if value is None else ("是" if value else "否")


def area_of(level: int) -> Callable[[object, RowContext], str]:
    return lambda code, ctx: ctx.area_name(code, level)


def id_number(value, ctx: RowContext) -> str:
    return (value if ctx.sensitive else mask_id(value)) if value else ""


def phone(value, ctx: RowContext) -> str:
    return (value if ctx.sensitive else mask_phone(value)) if value else ""


@dataclass(frozen=True)
class Column:
    key: str  # the API's field name
    title: str  # the column's heading, as filed
    path: str  # the value's path for `values_list` (a field, a relation's field or an annotation)
    cell: Callable[[object, RowContext], object] = plain  # the stored value → the cell
    number: bool = False  # an integer in the API's schema (else text)
    compact: bool = False  # left out of the page's table on a phone (still in the export and the API)


@dataclass(frozen=True)
class Ledger:
    key: str  # its URL, API and export name: /ledgers/<key>/
    title: str  # 贫困劳动力台账 …
    noun: str  # what a row is counted in: 人, 条, 家, 场
    description: str
    # (user, area) → the records, starting from `Model.objects.for_user(user).for_area(area)`.
    records: Callable[[object, Area], QuerySet]
    filterset: type
    columns: Sequence[Column]
    order: Sequence[str]
    # The filtered records → [(label, number), …] shown above the list (one aggregate query).
    counts: Callable[[QuerySet], list[tuple[str, int]]]
    placeholders: dict[str, str] = field(default_factory=dict)

    @property
    def export_key(self) -> str:
        return f"ledger.{self.key}"

    @property
    def paths(self) -> list[str]:
        return list(dict.fromkeys(c.path for c in self.columns))

    def filtered(self, user, area: Area, params):
        """The FilterSet over the user's records in `area` (the page, the API and the export alike)."""
        return self.filterset(params, queryset=self.records(user, area))

    def values(self, queryset: QuerySet) -> QuerySet:
        return queryset.order_by(*self.order).values_list(*self.paths)

    def cells(self, sensitive: bool) -> Callable[[Sequence], list]:
        """A function making a row's cells from its `values` tuple."""
        ctx = RowContext(sensitive)
        where = {p: i for i, p in enumerate(self.paths)}
        plan = [(where[c.path], c.cell) for c in self.columns]
        return lambda values: [cell(values[i], ctx) for i, cell in plan]

    def rows(self, queryset: QuerySet, sensitive: bool) -> Iterator[list]:
        """Every row of `queryset`, streamed from the database (a server-side cursor on PostgreSQL, chunks
        on SQLite): never a list of model objects."""
        make = self.cells(sensitive)
        for values in self.values(queryset).iterator(chunk_size=CHUNK):
            yield make(values)

    def frames(self, queryset: QuerySet, sensitive: bool) -> Iterator:
        """The rows of `queryset` as polars frames of FRAME_ROWS rows, a column per ledger column (its cells
        made a column at a time), for the file writer (`exchange.report.write_frames`): the same cells as
        `rows`, written by polars instead of one Python call per cell."""
        import polars as pl

        ctx = RowContext(sensitive)
        where = {p: i for i, p in enumerate(self.paths)}
        schema = {c.key: pl.Int64 if c.number else pl.String for c in self.columns}
        for chunk in batched(self.values(queryset).iterator(chunk_size=CHUNK), FRAME_ROWS):
            values = list(zip(*chunk, strict=True))
            data = {c.key: [c.cell(v, ctx) for v in values[where[c.path]]] for c in self.columns}
            yield pl.DataFrame(data, schema=schema)

    def page_rows(self, values: Iterable[Sequence], sensitive: bool = False) -> list[list]:
        make = self.cells(sensitive)
        return [make(v) for v in values]

    def export_table(self, user, area: Area, params, sensitive: bool) -> kinds.Table:
        filterset = self.filtered(user, area, params)
        if not filterset.is_valid():
            raise ValidationError("筛选条件有误，请先改正后再导出。")
        records = filterset.qs
        return kinds.Table(
            [c.title for c in self.columns],
            rows=lambda: self.rows(records, sensitive),
            count=records.count,
            frames=lambda: self.frames(records, sensitive),
        )


LEDGERS: dict[str, Ledger] = {}


def register(ledger: Ledger) -> Ledger:
    """Add a ledger: its page, API and export follow (the URLs are read after every app's ready())."""
    LEDGERS[ledger.key] = ledger
    kinds.register(kinds.ExportKind(key=ledger.export_key, title=ledger.title, noun=ledger.noun,
                                    build=ledger.export_table))  # fmt: skip
    return ledger


def get(key: str) -> Ledger:
    return LEDGERS[key]
