"""The errors of an import as its result page lists them: row, column, value and reason of the first
`ERROR_LIST_CAP` problems are kept on the batch (the error report holds every rejected row), shown a page
at a time, with ID numbers and phones masked for users who may not see them whole."""

from __future__ import annotations

from django.core.paginator import Paginator

from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.exchange.spreadsheet import as_text

ERROR_LIST_CAP = 1000  # cells kept for the page; a million bad rows still make one small JSON value
ERRORS_PER_PAGE = 50
VALUE_LIMIT = 100
MASKS = {"证件号码": mask_id, "联系电话": mask_phone}


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


def error_page(request, errors: list[dict], *, reveal: bool) -> dict:
    """Template context for one page of a batch's kept errors (`?errors=N`)."""
    page = Paginator(errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("errors"))
    shown = []
    for error in page.object_list:
        mask = None if reveal else MASKS.get(error["column"])
        shown.append({**error, "value": mask(error["value"]) if mask and error["value"] else error["value"]})
    return {
        "errors_page": page,
        "errors_shown": shown,
        "errors_capped": len(errors or []) >= ERROR_LIST_CAP,
        "errors_cap": ERROR_LIST_CAP,
    }
