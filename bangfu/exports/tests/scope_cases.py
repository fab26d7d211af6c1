"""Area-scope rows for 我的导出: an export county A's user asked for (written by the worker) is a 404 to
county B; the list shows one's own exports only."""

from django.test import override_settings

OBJECT_VIEWS = {
    "exports:detail": (lambda o: {"pk": o["export"].pk}, ["get"]),
    "exports:download": (lambda o: {"pk": o["export"].pk}, ["get"]),
}
OWN_OR_PUBLIC = {"exports:list"}


def objects(users, base):
    from bangfu.exports.tests.helpers import run_worker

    with override_settings(BANGFU_EXPORT_INLINE_ROWS=0):
        export = run_worker(users["county_a"], "ledger.laborers", {}, "csv")
    return {"export": export}
