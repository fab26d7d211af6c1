"""The areas app's designation pages in the area-scope tests (core/tests/test_area_scope_everywhere.py)."""

import tempfile
from pathlib import Path

from bangfu.conftest import COUNTY_A, TOWNSHIP_A

OBJECT_VIEWS = {
    # Listing pages of an area by its code: county B gets 404 on county A's areas.
    "areas:designation_list": (lambda o: {"code": COUNTY_A}, ["get"]),
    "areas:designation_new": (lambda o: {"code": TOWNSHIP_A}, ["get", "post"]),
    "areas:designation_detail": (lambda o: {"pk": o["designation"].pk}, ["get"]),
    "areas:designation_edit": (lambda o: {"pk": o["designation"].pk}, ["post"]),
    "areas:designation_end": (lambda o: {"pk": o["designation"].pk}, ["post"]),
    "areas:designation_void": (lambda o: {"pk": o["designation"].pk}, ["post"]),
    "areas:designation_import_detail": (lambda o: {"pk": o["designation_import"].pk}, ["get"]),
    "areas:designation_import_report": (lambda o: {"pk": o["designation_import"].pk}, ["get"]),
    "areas:designation_import_resume": (lambda o: {"pk": o["designation_import"].pk}, ["post"]),
}
LIST_VIEWS = {"areas:designation_import_list": ""}
# The import form works on the user's own area.
OWN_OR_PUBLIC = {"areas:designation_import_new"}
A_MARKERS = {"marker-designations-A"}


def objects(users, base):
    """土地村 listed as a 脱贫村 by county A, and a designations file of county A with a bad row."""
    import datetime as dt

    from bangfu.areas.actions import Listing, add_designation
    from bangfu.areas.importer import create_designation_import, run_designation_import
    from bangfu.conftest import VILLAGE_A, area
    from bangfu.exchange.report import write_table

    designation = add_designation(
        users["county_a"], Listing(area(VILLAGE_A), "exited_village", dt.date(2019, 12, 20), basis="marker-A")
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-designations-A.xlsx"
        write_table(
            path,
            ["区划代码", "认定类别", "起始日期"],
            [[VILLAGE_A, "安置点", "2018-06-30"], [VILLAGE_A, "示范村", "2018-06-30"]],
        )
        batch = run_designation_import(
            create_designation_import(area=users["county_a"].area, user=users["county_a"], path=path)
        )
    assert batch.report
    return {"designation": designation, "designation_import": batch}
