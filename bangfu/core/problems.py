"""An import's kept errors (exchange.errors.error_list) shown a page at a time on its result page, with ID
numbers and phones masked for users who may not see them whole: a file about people is seen whole by its
uploader and by users who may see sensitive data (`may_see_whole`), as is its error report
(`audit.batches.report_response`)."""

from __future__ import annotations

from django.core.paginator import Paginator

from bangfu.core.idnumber import mask_id, mask_phone
from bangfu.exchange import errors as kept_errors

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


def may_see_whole(user, batch) -> bool:
    """Whether `user` sees the rejected values of a file about people as uploaded (ID numbers, phones)."""
    return batch.user_id == user.pk or user.can_view_sensitive


def batch_errors(request, batch, *, personal: bool) -> dict:
    """`error_page` for a kept batch: a file about people (`personal`) masked for those who may not see it
    whole; a file of employers, jobs, areas or targets as it is."""
    reveal = not personal or may_see_whole(request.user, batch)
    return error_page(request, batch.errors, reveal=reveal, cap=kept_errors.ERROR_LIST_CAP)
