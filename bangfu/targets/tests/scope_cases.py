"""Targets' rows in the area-scope tests (core/tests/test_area_scope_everywhere.py): county A's targets, split
to 龙潭镇 and on to 土地村, and a targets file of county A with a bad row."""

import tempfile
from pathlib import Path

OBJECT_VIEWS = {
    "targets:split": (lambda o: {"pk": o["target"].pk}, ["get", "post"]),
    "targets:import_detail": (lambda o: {"pk": o["target_import"].pk}, ["get"]),
    "targets:import_report": (lambda o: {"pk": o["target_import"].pk}, ["get"]),
    "target-detail": (lambda o: {"pk": o["village_target"].pk}, ["get"]),
}
LIST_VIEWS = {
    "targets:index": "",
    "targets:import_list": "",
    "target-list": "",
}
# The form sets targets for the user's own area and the one below; the area is resolved through for_user.
OWN_OR_PUBLIC = {"targets:set", "targets:import_new"}
A_MARKERS = {"marker-targets-A.xlsx"}


def objects(users, base):
    from bangfu.conftest import TOWNSHIP_A, VILLAGE_A, area
    from bangfu.exchange.report import write_table
    from bangfu.stats.figures import figure
    from bangfu.targets import actions
    from bangfu.targets.importer import create_target_import, run_target_import

    key = figure("务工人数").key
    county = actions.set_target(users["county_a"], users["county_a"].area, year=2026, figure=key, value=2)
    actions.split_target(users["county_a"], county, [actions.SplitPart(area(TOWNSHIP_A), 2)])
    village = actions.set_target(users["county_a"], area(VILLAGE_A), year=2026, figure=key, value=2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-targets-A.xlsx"
        write_table(
            path,
            ["年度", "区划代码", "指标", "目标值"],
            [[2026, "433124", "务工人数", 2], [2026, "433123", "务工人数", 1]],
        )
        batch = run_target_import(
            create_target_import(area=users["county_a"].area, user=users["county_a"], path=path)
        )
    assert batch.report
    return {"target": county, "village_target": village, "target_import": batch}
