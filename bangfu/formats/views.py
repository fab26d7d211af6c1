"""数据交换说明: the page listing every file the platform reads, and each import's template (.xlsx)."""

import io
import tempfile
from pathlib import Path

from django.http import FileResponse, Http404
from django.shortcuts import render

from bangfu.areas.models import Area
from bangfu.core.access import staff_required
from bangfu.formats.catalog import DOC_PLACE, GENERAL, Place, catalog
from bangfu.formats.template import write_template


def place_for(user) -> Place:
    """The examples are placed in the first village of the user's subtree, so the template's example row
    is accepted as it stands; an area without villages keeps the document's example place."""
    village = (
        Area.objects.for_user(user)
        .current()
        .filter(level=5)
        .order_by("code")
        .select_related("parent__parent")
        .first()
    )
    if village is None:
        return DOC_PLACE
    township = village.parent
    county = township.parent if township is not None and township.level == 3 else None
    return Place(village.code, county.name if county else "", township.name if township else "", village.name)


@staff_required
def index(request):
    book = catalog(place_for(request.user))
    return render(
        request,
        "formats/index.html",
        {
            "registry": book.registry,
            "jobs": book.jobs,
            "followups": book.followups,
            "sources": book.sources,
            # every other file (政策规则, …), in the catalog's order
            "more": [
                layout
                for layout in book.layouts
                if layout not in (book.registry, book.jobs, book.followups, *book.sources)
            ],
            "general": GENERAL,
            "nav": "formats",
        },
    )


@staff_required
def template(request, key: str):
    layout = catalog(place_for(request.user)).get(key)
    if layout is None:
        raise Http404("没有这种导入模板。")
    name = f"{layout.title.replace('：', '-').replace('/', '、')}-导入模板.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.xlsx"
        write_template(layout, path)
        content = path.read_bytes()
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=name)
