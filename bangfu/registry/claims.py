"""务工状态 and 务工时间(月) are kept by the app that owns the employment records (EXCHANGE §5: derived from
them). A registry row's values for them — an imported file, the API — are *claims* the keeper settles: it
may record work the records do not know of, or list a disagreement for staff. The employment app registers
its keeper from its AppConfig.ready(); without one (the registry on its own) the values are stored as
given. The registry calls the keeper and imports nothing from it (the registry is below the apps)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

import polars as pl

KEPT_FIELDS = ("employment_status", "work_months")


class StatusKeeper(Protocol):
    def fresh(self, people: pl.DataFrame, on: dt.date) -> pl.DataFrame:
        """For people about to be registered (no records yet): `people` with its `employment_status` and
        `work_months` claims replaced by the values the keeper will make true (plain polars, no queries)."""

    def settle(self, claims: pl.DataFrame, *, actor, source: str, batch, on: dt.date) -> None:
        """After people were saved, in the same transaction: `claims` has person_id, area_id,
        employment_status, work_months (the claims) and new (just registered, values from `fresh`)."""


_keeper: StatusKeeper | None = None


def register(keeper: StatusKeeper | None) -> None:
    global _keeper
    _keeper = keeper


def keeper() -> StatusKeeper | None:
    return _keeper


CLAIM_SCHEMA = {
    "person_id": pl.Int64,
    "area_id": pl.String,
    "employment_status": pl.String,
    "work_months": pl.Int64,
    "new": pl.Boolean,
}
