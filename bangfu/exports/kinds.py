"""What can be exported: each app registers its kinds from `AppConfig.ready()` (the registry's 人员名册,
the comparison's findings, every ledger), and the export mechanism (`actions.py`) runs any of them the
same way — in the request when small, else in the background — without importing the apps.

A kind turns (user, area, filter parameters) into a `Table`: its header, its rows streamed from the
database and how many there will be. The queryset it starts from is `Model.objects.for_user(user)
.for_area(area)`: a background job keeps the asking user's area, and a user moved or deactivated
meanwhile gets nothing more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import QueryDict


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Callable[[], Iterable[Sequence[object]]]  # called once, by whoever writes the file
    count: Callable[[], int]  # the rows the file will hold (the progress's total, the Excel limit)
    # The same rows as polars frames, when the kind can make them (faster to write: exchange.write_frames).
    frames: Callable[[], Iterable] | None = None


@dataclass(frozen=True)
class ExportKind:
    key: str
    title: str  # what the file holds: 人员名册, 比对结果, 贫困劳动力台账 …
    # build(user, area, params, sensitive) -> Table; raises django ValidationError for bad filters.
    build: Callable[..., Table]
    noun: str = "条"  # the unit the audit counts in: 人, 条, 户 …
    # Why `user` may not export this kind at all ("" when they may), asked again when a job starts.
    refusal: Callable[[object], str] = lambda user: ""
    # Whether the file holds whole ID numbers and phones for this user (masked otherwise).
    sensitive: Callable[[object], bool] = lambda user: bool(user.can_view_sensitive)


KINDS: dict[str, ExportKind] = {}


def register(kind: ExportKind) -> ExportKind:
    KINDS[kind.key] = kind
    return kind


def get(key: str) -> ExportKind:
    return KINDS[key]


IGNORED_PARAMS = ("format", "page")


def params_of(query: QueryDict) -> dict[str, list[str]]:
    """The filter parameters of a request as a job keeps them: every value of every name, blanks left out."""
    return {
        name: [value for value in values if value]
        for name, values in query.lists()
        if name not in IGNORED_PARAMS and any(values)
    }


def as_query(params: dict[str, list[str]]) -> QueryDict:
    """Kept parameters back as the QueryDict a FilterSet reads."""
    query = QueryDict(mutable=True)
    for name, values in params.items():
        query.setlist(name, list(values))
    return query


def shown(params: dict[str, list[str]]) -> str:
    """The conditions in words, for the audit log and the 我的导出 page."""
    return "；".join(f"{name}={'、'.join(values)}" for name, values in params.items())
