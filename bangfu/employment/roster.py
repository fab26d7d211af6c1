"""A registry row's 务工状态 settled against the employment records (the registry's status keeper,
registry/claims.py), set-based: a handful of statements per import chunk, no Python per person.

- A claim the records explain (the status derived from them on the import date is the claim) changes
  nothing.
- A claim of work (县内务工, 省内县外务工, 省外务工) they don't explain becomes a record of its own source,
  名册导入: employer unknown, 务工地域 from the claim, no end. Its start date is read from the row's
  务工时间(月) m (empty or 0 counting as 1, since the row says the person is in work): the first day of
  the month m − 1 months before the import date's month, so that the derived 务工时间(月) is the row's,
  up to the months of the year gone by; but never before the start of a record already in force, so that
  the new record is the latest started and the derived status is the claim.
- A claim of 未务工 while a record is in force becomes an entry of 名册与就业记录不一致 (Mismatch) for
  staff to settle; the record and the derived status stay as they are.
Importing the same file again creates nothing: every claim is then explained or already listed.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
from django.db import connection
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.core.bulk import insert_frame
from bangfu.employment import status as derivation
from bangfu.employment.actions import records_changed_on_commit, refresh_status
from bangfu.employment.models import EmploymentRecord, Mismatch, MismatchStatus, Source
from bangfu.registry import vocab

EMPLOYED = list(vocab.EMPLOYED)


def claimed_months(months: pl.Expr, on: dt.date) -> pl.Expr:
    """务工时间(月) on `on` of a 名册导入 record started at `roster_start(months, on)`."""
    return months.fill_null(1).clip(1, on.month)  # 0 or empty counts as 1: the row says in work


def roster_start(months: pl.Expr, on: dt.date) -> pl.Expr:
    """The start of a 名册导入 record from the row's 务工时间(月) (see the module's docstring)."""
    m = months.fill_null(1).clip(1, None)
    index = on.year * 12 + on.month - 1 - (m - 1)  # months since year 0 of the start month
    return pl.date(index // 12, index % 12 + 1, 1)


class RosterKeeper:
    """registry.claims.StatusKeeper backed by the employment records."""

    def fresh(self, people: pl.DataFrame, on: dt.date) -> pl.DataFrame:
        status, months = pl.col("employment_status"), pl.col("work_months")
        employed = status.is_in(EMPLOYED)
        return people.with_columns(
            pl.when(employed)
            .then(status)
            .otherwise(pl.lit(derivation.NOT_WORKING))
            .alias("employment_status"),
            pl.when(employed)
            .then(claimed_months(months, on))
            .otherwise(pl.lit(0))
            .cast(people.schema["work_months"])
            .alias("work_months"),
        )

    def settle(self, claims: pl.DataFrame, *, actor, source: str, batch, on: dt.date) -> None:
        settle(claims, actor=actor, source=source, batch=batch, on=on)


def in_force(person_ids: list[int], on: dt.date) -> pl.DataFrame:
    """Per person with a record in force on `on`: the record the status is derived from (record_id,
    place) and the latest start among those in force (latest)."""
    people, params = derivation.people_sql(person_ids=person_ids)
    day, day_value = derivation.date_param(on)
    sql = f"""
        SELECT person_id, id, place, CAST(latest AS TEXT) FROM (
            SELECT r.person_id, r.id, r.place,
                   MAX(r.started_on) OVER (PARTITION BY r.person_id) AS latest,
                   ROW_NUMBER() OVER (PARTITION BY r.person_id ORDER BY {derivation.CHOSEN_ORDER}) AS rn
            FROM {derivation.RECORDS} r
            WHERE r.person_id IN ({people})
              AND r.started_on <= {day} AND (r.ended_on IS NULL OR r.ended_on >= {day})
        ) ranked WHERE rn = 1"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, day_value, day_value])
        rows = cursor.fetchall()
    frame = pl.DataFrame(
        rows,
        schema={"person_id": pl.Int64, "record_id": pl.Int64, "place": pl.String, "latest": pl.String},
        orient="row",
    )
    # SQLite gives dates as text, PostgreSQL as dates: one type either way.
    return frame.with_columns(pl.col("latest").str.to_date("%Y-%m-%d"))


def settle(claims: pl.DataFrame, *, actor, source: str, batch, on: dt.date) -> tuple[int, int]:
    """Settle `claims` (registry.claims.CLAIM_SCHEMA) as the module's docstring says; inside the caller's
    transaction. Returns (records created, disagreements listed)."""
    if claims.is_empty():
        return 0, 0
    claims = claims.with_columns(pl.col("work_months").cast(pl.Int64))
    new = claims.filter(pl.col("new") & pl.col("employment_status").is_in(EMPLOYED))
    known = claims.filter(~pl.col("new"))
    starts = [new.with_columns(roster_start(pl.col("work_months"), on).alias("started_on"))]
    listed = pl.DataFrame(schema={"person_id": pl.Int64, "area_id": pl.String, "record_id": pl.Int64})
    if not known.is_empty():
        current = in_force(known["person_id"].to_list(), on)
        known = known.join(current, on="person_id", how="left")
        derived = (
            pl.when(pl.col("record_id").is_null())
            .then(pl.lit(derivation.NOT_WORKING))
            .otherwise(pl.col("place").replace_strict(derivation.STATUS_OF_PLACE, default=""))
        )
        known = known.with_columns(derived.alias("derived"))
        unexplained = known.filter(
            pl.col("employment_status").is_in(EMPLOYED) & (pl.col("employment_status") != pl.col("derived"))
        )
        start = roster_start(pl.col("work_months"), on)
        starts.append(
            unexplained.with_columns(
                pl.when(pl.col("latest").is_not_null() & (pl.col("latest") > start))
                .then(pl.col("latest"))
                .otherwise(start)
                .alias("started_on")
            ).select([*new.columns, "started_on"])
        )
        listed = known.filter(
            (pl.col("employment_status") == derivation.NOT_WORKING) & pl.col("record_id").is_not_null()
        ).select("person_id", "area_id", "record_id")
    records = pl.concat(starts).select(
        pl.col("person_id").alias("person"),
        pl.col("area_id").alias("area"),
        pl.col("employment_status").replace_strict(derivation.PLACE_OF_STATUS).alias("place"),
        "started_on",
    )
    now = timezone.now()
    who = actor if getattr(actor, "pk", None) else None
    insert_frame(
        EmploymentRecord,
        records,
        {
            "employer_name": "",
            "credit_code": "",
            "channel": "",
            "end_reason": "",
            "source": Source.ROSTER,
            "source_ref": f"registry-import:{batch.pk}" if getattr(batch, "pk", None) else "",
            "created_by": who.pk if who else None,
            "created_at": now,
            "updated_at": now,
        },
    )
    listed_count = _list_disagreements(listed, batch=batch, on=on)
    if not known.is_empty():
        refresh_status(actor, known["person_id"].to_list(), source=source, on=on, batch=batch)
    if records.height or listed_count:
        audit(
            Action.IMPORT,
            actor=actor,
            area_code=getattr(batch, "area_id", None),
            message=f"名册务工状态与就业记录核对：新增名册导入就业记录 {records.height} 条，"
            f"名册与就业记录不一致 {listed_count} 人",
        )
    records_changed_on_commit(records["person"].to_list())
    return records.height, listed_count


def _list_disagreements(listed: pl.DataFrame, *, batch, on: dt.date) -> int:
    """Insert the (person, record) disagreements not listed before; how many were new."""
    if listed.is_empty():
        return 0
    seen = pl.DataFrame(
        list(
            Mismatch.objects.filter(person_id__in=listed["person_id"].to_list()).values_list(
                "person_id", "record_id"
            )
        ),
        schema={"person_id": pl.Int64, "record_id": pl.Int64},
        orient="row",
    )
    fresh = listed.join(seen, on=["person_id", "record_id"], how="anti").select(
        pl.col("person_id").alias("person"),
        pl.col("record_id").alias("record"),
        pl.col("area_id").alias("area"),
    )
    return insert_frame(
        Mismatch,
        fresh,
        {
            "claimed_status": derivation.NOT_WORKING,
            "found_on": on,
            "batch": getattr(batch, "pk", None),
            "status": MismatchStatus.OPEN,
            "note": "",
            "created_at": timezone.now(),
        },
    )


KEEPER = RosterKeeper()
