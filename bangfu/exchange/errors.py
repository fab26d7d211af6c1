"""The errors of an import as its result page lists them: row, column, value and reason of the first
`ERROR_LIST_CAP` problems, small enough to keep on the batch (the error report holds every rejected row)."""

from __future__ import annotations

from bangfu.exchange.spreadsheet import as_text

ERROR_LIST_CAP = 1000  # cells kept for the page; a million bad rows still make one small JSON value
VALUE_LIMIT = 100


def error_list(problems) -> list[dict]:
    """[{row, column, value, message}] of the first ERROR_LIST_CAP errors of `problems` (RowProblem)."""
    kept: list[dict] = []
    for problem in problems:
        for error in problem.errors:
            if len(kept) >= ERROR_LIST_CAP:
                return kept
            value = as_text(error.value).strip()
            kept.append(
                {
                    "row": problem.row_number,
                    "column": error.column or "",
                    "value": value[:VALUE_LIMIT] + ("…" if len(value) > VALUE_LIMIT else ""),
                    "message": error.message,
                }
            )
    return kept
