"""Data comparison's rows in the area-scope tests (core/tests/test_area_scope_everywhere.py)."""

import tempfile
from pathlib import Path

from bangfu.registry.tests.conftest import HEAD_ID

OBJECT_VIEWS = {
    "compare:run_detail": (lambda o: {"pk": o["run"].pk}, ["get"]),
    "compare:run_results": (lambda o: {"pk": o["run"].pk}, ["get"]),
    "compare:run_report": (lambda o: {"pk": o["run"].pk}, ["get"]),
    "compare:run_again": (lambda o: {"pk": o["run"].pk}, ["post"]),
    "compare:finding_detail": (lambda o: {"pk": o["finding"].pk}, ["get"]),
    "compare:finding_decide": (lambda o: {"pk": o["finding"].pk}, ["post"]),
    "compare:finding_people": (lambda o: {"pk": o["fill"].pk}, ["post"]),
    "compare:bulk_detail": (lambda o: {"pk": o["bulk"].pk}, ["get"]),
    "comparison-run-detail": (lambda o: {"pk": o["run"].pk}, ["get"]),
    "comparison-finding-detail": (lambda o: {"pk": o["finding"].pk}, ["get"]),
    "comparison-finding-accept": (lambda o: {"pk": o["finding"].pk}, ["post"]),
    "comparison-finding-reject": (lambda o: {"pk": o["finding"].pk}, ["post"]),
    "comparison-finding-people": (lambda o: {"pk": o["fill"].pk}, ["get"]),
    "comparison-finding-exclude": (lambda o: {"pk": o["fill"].pk}, ["post"]),
}
LIST_VIEWS = {
    "compare:run_list": "",
    "compare:finding_list": "",
    "compare:finding_export": "?format=csv",
    "comparison-run-list": "",
    "comparison-finding-list": "",
}
# The new-run form works on the user's own area; bulk decisions start from the user's own findings
# (compare/tests/test_views.py checks that another county's ids change nothing).
# The old addresses of the 联系不上 list redirect to tracking's (whose rows are in tracking/tests).
OWN_OR_PUBLIC = {
    "compare:run_new",
    "compare:finding_bulk",
    "compare:unreachable_moved",
    "compare:unreachable_export_moved",
}
A_MARKERS = {"marker-compare-A"}


def objects(users, base):
    """A death run of county A (one bad row, so it has an error report) proposing 龙春生's death, a 社保
    run filling his pension status (a fill finding of his village), a bulk rejection of county A's
    findings queued."""
    from bangfu.compare.actions import create_run, queue_bulk_decision
    from bangfu.compare.models import Finding
    from bangfu.compare.run import run_comparison
    from bangfu.compare.tests.conftest import write_source

    with tempfile.TemporaryDirectory() as tmp:
        path = write_source(
            Path(tmp) / "marker-compare-A.xlsx",
            [
                {"姓名": "龙春生", "证件号码": HEAD_ID, "死亡日期": "2025-03-01"},
                {"姓名": "龙春生", "证件号码": HEAD_ID, "死亡日期": "不详"},
            ],
        )
        run = create_run(area=users["county_a"].area, user=users["county_a"], source_type="death", path=path)
        run = run_comparison(run)
        path = write_source(
            Path(tmp) / "marker-compare-A-社保.xlsx",
            [{"姓名": "龙春生", "证件号码": HEAD_ID, "险种": "城乡居民养老保险", "参保状态": "参保缴费"}],
        )
        pension = create_run(
            area=users["county_a"].area, user=users["county_a"], source_type="social-insurance", path=path
        )
        pension = run_comparison(pension)
    finding = Finding.objects.get(run=run, change="death")
    fill = Finding.objects.get(run=pension, kind="fill")
    bulk = queue_bulk_decision(
        users["county_a"], Finding.objects.filter(run=run), accepting=False, filters={"run": str(run.pk)}
    )
    return {"run": run, "finding": finding, "fill": fill, "bulk": bulk}
