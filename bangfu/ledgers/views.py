"""Ledger pages under /ledgers/: the index, and one page per registered ledger with its counts, filters,
a page of rows (ID numbers and phones masked) and its export (exports.views: in the background when large)."""

from django.shortcuts import render

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.exports.views import export_response
from bangfu.ledgers.base import LEDGERS, get
from bangfu.registry.views import _styled, _sub_areas


@staff_required
def index(request):
    return render(request, "ledgers/index.html", {"ledgers": LEDGERS.values(), "nav": "ledgers"})


@staff_required
def ledger_list(request, key: str):
    ledger = get(key)
    filterset = _styled(ledger.filtered(request.user, request.user.area, request.GET), ledger.placeholders)
    valid = filterset.is_valid()
    records = filterset.qs if valid else ledger.records(request.user, request.user.area).none()
    context = paginate(request, ledger.values(records))
    rows = ledger.page_rows(context["object_list"])
    context.update(
        {
            "ledger": ledger,
            "ledgers": LEDGERS.values(),
            "filter": filterset,
            "counts": ledger.counts(records),
            "headers": ledger.columns,
            "rows": [list(zip(ledger.columns, cells, strict=True)) for cells in rows],
            "sub_areas": _sub_areas(request.user),
            "export_query": context["querystring_base"].rstrip("&"),
            "nav": "ledgers",
        }
    )
    return render(request, "ledgers/ledger.html", context)


@staff_required
def ledger_export(request, key: str):
    """The ledger as filtered on its page, .xlsx or .csv; whole ID numbers and phones only for users who may
    see them; audited with its row count."""
    ledger = get(key)
    return export_response(request, ledger.export_key, back=f"ledgers:{key}")
