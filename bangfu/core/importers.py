"""`bangfu import KIND FILE --area CODE [--report PATH]` (EXCHANGE.md §4): one command, each app's importer.

An app that imports a kind of file registers an `Importer` from its `AppConfig.ready()`; the command
(core/management/commands/import.py) checks what every import needs — the file exists, the area is a
loaded code — runs the importer as that area's staff would, and gives every kind the same exit status:
0 done; 3 done but some rows were rejected (the error report says which and why); 1 failed, nothing
changed; 2 usage error. Nothing here knows the kinds, so the command depends on no app that imports.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bangfu.areas.models import Area


@dataclass(frozen=True)
class Outcome:
    """What an import did, as the command reports it."""

    failed: bool
    message: str  # the import's own summary, or why it failed (Chinese)
    error_rows: int = 0
    report: str = ""  # where the error report is, when rows were rejected


@dataclass(frozen=True)
class Importer:
    kind: str  # the sub-command: `bangfu import <kind>`
    help: str
    area_help: str
    # run(area, path, report=Path | None, options=dict) → Outcome; `options` holds add_arguments' values.
    run: Callable[..., Outcome]
    add_arguments: Callable[[ArgumentParser], None] | None = None


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> None:
    _IMPORTERS[importer.kind] = importer


def importers() -> list[Importer]:
    """The registered importers, in the order their apps are installed."""
    return list(_IMPORTERS.values())


def run(kind: str, area: Area, path: Path, *, report: Path | None, options: dict) -> Outcome:
    return _IMPORTERS[kind].run(area, path, report=report, options=options)
