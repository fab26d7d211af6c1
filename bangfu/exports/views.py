"""我的导出: the user's own exports with their progress (htmx) and downloads; and `export_response`, the one
way an app's export URL answers — the file at once when small, else a job and its page."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from bangfu.core.access import staff_required
from bangfu.core.views import paginate
from bangfu.exports import actions, kinds
from bangfu.exports.models import Export, Status


class _TemporaryDownload(io.FileIO):
    """A file that removes itself (and its folder) once the response has sent it."""

    def close(self):
        super().close()
        path = Path(self.name)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            path.parent.rmdir()


def export_response(request, key: str, *, back: str):
    """Answer an export URL: `key` is the export kind, the request's query its filters (and `format`),
    `back` the list to return to when the export is refused."""
    fmt = "csv" if request.GET.get("format") == "csv" else "xlsx"
    params = kinds.params_of(request.GET)
    folder = Path(tempfile.mkdtemp(prefix="bangfu-export-"))
    try:
        asked = actions.ask(request.user, key, params, fmt, folder=folder)
    except ValidationError as exc:
        folder.rmdir()
        messages.error(request, "；".join(exc.messages))
        query = request.GET.copy()
        query.pop("format", None)
        return redirect(f"{reverse(back)}?{query.urlencode()}" if query else reverse(back))
    except BaseException:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
        raise
    if asked.job is None:
        return FileResponse(_TemporaryDownload(asked.path, "r"), as_attachment=True, filename=asked.filename)
    folder.rmdir()
    messages.info(request, f"共 {asked.job.total} 行，已转入后台导出。完成后可在“我的导出”中下载。")
    return redirect("exports:detail", pk=asked.job.pk)


def _mine(request):
    """The user's own exports: in their area (scope) and asked for by them; anyone else's is a 404."""
    return Export.objects.for_user(request.user).filter(user=request.user)


@staff_required
def export_list(request):
    actions.reap_exports(_mine(request))
    exports = _mine(request)
    context = paginate(request, exports)
    running = any(not e.finished for e in context["object_list"])
    context.update({"running": running, "keep_days": settings.BANGFU_EXPORT_KEEP_DAYS, "nav": "exports"})
    if request.headers.get("HX-Request"):
        return render(request, "exports/_list_table.html", context)
    return render(request, "exports/export_list.html", context)


@staff_required
def export_detail(request, pk: int):
    export = get_object_or_404(_mine(request).select_related("area"), pk=pk)
    if actions.reap_exports(Export.objects.filter(pk=export.pk)):
        export.refresh_from_db()
    context = {
        "export": export,
        "conditions": kinds.shown(export.params),
        "downloadable": actions.downloadable(export),
        "nav": "exports",
    }
    if request.headers.get("HX-Request"):
        return render(request, "exports/_progress.html", context)
    return render(request, "exports/export_detail.html", context)


@staff_required
def export_download(request, pk: int):
    export = get_object_or_404(_mine(request), pk=pk)
    if not actions.downloadable(export):
        if export.status in (Status.DONE, Status.EXPIRED):
            raise Http404("文件已过保留期限，已删除。请重新导出。")
        raise Http404("导出尚未完成。")
    try:
        handle = export.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("文件已不存在，请重新导出。") from exc
    actions.record_download(request.user, export)
    return FileResponse(handle, as_attachment=True, filename=export.filename)
