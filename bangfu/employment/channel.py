"""就业渠道 as the data say it, one rule for one record and for a million (EXCHANGE §5):

- work at an employer of kind 扶贫车间 or 就业帮扶车间 is 扶贫车间;
- work outside the home county at a 劳务协作基地, or inside the receiving area of a labor cooperation
  (劳务协作) whose sending area holds the person's village, in force on the day the work started, is
  有组织输出;
- otherwise the caller's default (推荐就业 for a referral hire, empty when nothing is known).

The rule is one polars expression (`channel_expr`) over columns of home village, work area, employer kind
and day; `channel_for` (employment.actions) evaluates it on a one-row frame, the employment import on the
whole file at once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

WORKSHOP, ORGANISED = "扶贫车间", "有组织输出"  # Channel values
WORKSHOP_KINDS = ("扶贫车间", "就业帮扶车间")  # EmployerKind values
COOPERATION_BASE = "劳务协作基地"

HOME, WORK, KIND, DAY = "home_code", "work_code", "employer_kind", "started_on"


@dataclass(frozen=True)
class Term:
    """One labor cooperation as the rule reads it: code ranges of the two areas and when it is in force
    (started, or no start given, and not ended on or before the day: CooperationQuerySet.active_on)."""

    sending: tuple[str, str]
    receiving: tuple[str, str]
    started_on: dt.date | None
    ended_on: dt.date | None


def cooperation_terms() -> list[Term]:
    """Every labor cooperation of the platform (a few hundred at most), for `channel_expr`."""
    from bangfu.employers.models import Cooperation

    return [
        Term(c.sending_area.code_range, c.receiving_area.code_range, c.started_on, c.ended_on)
        for c in Cooperation.objects.select_related("sending_area", "receiving_area")
    ]


def outside_home_county(home_code: str, work_code: str) -> bool:
    """Only work outside the home county can be an organised export: cooperations matter only then."""
    return bool(work_code) and work_code[:6] != home_code[:6]


def channel_expr(terms: list[Term], default: pl.Expr | str = "") -> pl.Expr:
    """The channel of each row of a frame with columns `home_code` (12-digit village), `work_code` (area
    code, empty or null when unknown), `employer_kind` (empty or null when no ledger employer) and
    `started_on` (a date)."""
    kind = pl.col(KIND).fill_null("")
    work = pl.col(WORK).fill_null("")
    home = pl.col(HOME)
    outside = (work != "") & (work.str.slice(0, 6) != home.str.slice(0, 6))
    work12 = work.str.pad_end(12, "0")
    cooperating = pl.lit(False)
    for term in terms:
        low, high = term.sending
        term_holds = home.is_between(pl.lit(low), pl.lit(high))
        low, high = term.receiving
        term_holds &= work12.is_between(pl.lit(low), pl.lit(high))
        if term.started_on is not None:
            term_holds &= pl.col(DAY) >= term.started_on
        if term.ended_on is not None:
            term_holds &= pl.col(DAY) < term.ended_on
        cooperating |= term_holds
    otherwise = default if isinstance(default, pl.Expr) else pl.lit(default, dtype=pl.String)
    return (
        pl.when(kind.is_in(WORKSHOP_KINDS))
        .then(pl.lit(WORKSHOP))
        .when(outside & ((kind == COOPERATION_BASE) | cooperating))
        .then(pl.lit(ORGANISED))
        .otherwise(otherwise)
    )


def channel_of(home_code: str, work_code: str, kind: str, day: dt.date, terms: list[Term], default="") -> str:
    """The rule for one record (the same expression, on one row)."""
    frame = pl.DataFrame(
        {HOME: [home_code], WORK: [work_code or ""], KIND: [kind or ""], DAY: [day]},
        schema={HOME: pl.String, WORK: pl.String, KIND: pl.String, DAY: pl.Date},
    )
    return frame.select(channel_expr(terms, default)).item()
