"""An import's kept errors (exchange.errors.error_list) shown a page at a time on its result page, with ID
numbers and phones masked for users who may not see them whole."""

from __future__ import annotations

from django.core.paginator import Paginator

from bangfu.core.idnumber import mask_id, mask_phone

ERRORS_PER_PAGE = 50
MASKS = {"证件号码": mask_id, "联系电话": mask_phone}


def error_page(request, errors: list[dict], *, reveal: bool, cap: int) -> dict:
    """Template context for one page of a batch's kept errors (`?errors=N`); `cap` is how many are kept."""
    page = Paginator(errors or [], ERRORS_PER_PAGE).get_page(request.GET.get("errors"))
    shown = []
    for error in page.object_list:
        mask = None if reveal else MASKS.get(error["column"])
        shown.append({**error, "value": mask(error["value"]) if mask and error["value"] else error["value"]})
    return {
        "errors_page": page,
        "errors_shown": shown,
        "errors_capped": len(errors or []) >= cap,
        "errors_cap": cap,
    }
