"""View helpers shared by every app: pagination and query-string keeping for filtered lists."""

from django.core.paginator import Paginator


def paginate(request, queryset, per_page: int = 50) -> dict:
    """Context for a paginated list: page_obj, and the current filters to keep in page links."""
    page_obj = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    base = params.urlencode()
    return {
        "page_obj": page_obj,
        "object_list": page_obj.object_list,
        "querystring_base": f"{base}&" if base else "",
    }
