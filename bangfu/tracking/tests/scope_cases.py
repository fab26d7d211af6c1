"""Tracking's rows in the area-scope tests (core/tests/test_area_scope_everywhere.py): follow-up visits,
warnings as work and 帮扶责任人."""

import datetime as dt
import tempfile
from pathlib import Path

OBJECT_VIEWS = {
    "tracking:visit_new": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "tracking:unreachable_flag": (lambda o: {"person_pk": o["person"].pk}, ["post"]),
    "tracking:unreachable_clear": (lambda o: {"pk": o["unreachable"].pk}, ["post"]),
    "tracking:import_detail": (lambda o: {"pk": o["visit_import"].pk}, ["get"]),
    "tracking:import_report": (lambda o: {"pk": o["visit_import"].pk}, ["get"]),
    "tracking:import_resume": (lambda o: {"pk": o["visit_import"].pk}, ["post"]),
    "tracking:warning_detail": (lambda o: {"pk": o["warning"].pk}, ["get"]),
    "tracking:warning_start": (lambda o: {"pk": o["warning"].pk}, ["post"]),
    "tracking:warning_assign": (lambda o: {"pk": o["warning"].pk}, ["post"]),
    "tracking:warning_help": (lambda o: {"pk": o["warning"].pk}, ["post"]),
    "tracking:warning_close": (lambda o: {"pk": o["warning"].pk}, ["post"]),
    "tracking:person_responsible": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "tracking:household_responsible": (lambda o: {"pk": o["person"].household_id}, ["get", "post"]),
    "warning-detail": (lambda o: {"pk": o["warning"].pk}, ["get"]),
    "warning-status": (lambda o: {"pk": o["warning"].pk}, ["get", "post"]),
    "warning-assign": (lambda o: {"pk": o["warning"].pk}, ["get", "post"]),
    "warning-help": (lambda o: {"pk": o["warning"].pk}, ["get", "post"]),
    # The receiving pages' county-A object is a laborer of 宁乡市 whose record in force works in 土地村:
    # county A (where he works) opens it, county B (neither home nor work) gets 404 and sees no list row.
    "tracking:receiving_detail": (lambda o: {"pk": o["receiving_record"].pk}, ["get"]),
    "tracking:receiving_confirm": (lambda o: {"pk": o["receiving_record"].pk}, ["post"]),
    "tracking:receiving_visit": (lambda o: {"pk": o["receiving_record"].pk}, ["post"]),
}
LIST_VIEWS = {
    "tracking:due": "",
    "tracking:visit_list": "",
    "tracking:unreachable_list": "",
    "tracking:unreachable_export": "?format=csv",
    "tracking:import_list": "",
    "tracking:warning_list": "",
    "tracking:warning_export": "?format=csv",
    "warning-list": "",
    # trajectory: the 三线 table and the lists behind its numbers; the receiving area
    "tracking:lines": "",
    "tracking:lines_people": "?figure=laborers",
    "tracking:lines_export": "?format=csv",
    "tracking:receiving": "",
}
# The import form works on the user's own area.
OWN_OR_PUBLIC = {"tracking:import_new"}
A_MARKERS = {"marker-visits-A", "范围测试预警", "宁乡外来工"}


def objects(users, base):
    """龙春生 visited and unreachable (on the 联系不上 list), a laborer of 土地村 registered long ago (due a
    visit), and a visits file of county A with a bad row (a batch with an error report)."""
    from bangfu.exchange.report import write_table
    from bangfu.registry.models import Person
    from bangfu.registry.tests.conftest import HEAD_ID
    from bangfu.tracking.actions import record_visit
    from bangfu.tracking.importer import create_visit_import, run_visit_import
    from bangfu.tracking.tests.factories import due_laborer

    person = base["person"]
    outcome = record_visit(
        users["county_a"], person, visited_on=dt.date.today() - dt.timedelta(days=3), method="上门",
        result="联系不上", note="marker-visits-A",
    )  # fmt: skip
    due_laborer("回访甲")
    assert Person.objects.filter(name="回访甲").exists()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-visits-A.xlsx"
        write_table(
            path,
            ["证件号码", "姓名", "回访日期", "回访方式", "回访结果"],
            [
                [HEAD_ID, "龙春生", "2026-01-05", "电话", "在岗"],
                [HEAD_ID, "龙春生", "2026-01-06", "飞鸽", "在岗"],
            ],
        )
        batch = run_visit_import(
            create_visit_import(area=users["county_a"].area, user=users["county_a"], path=path)
        )
    assert batch.report
    from bangfu.tracking.models import Warning

    warning = Warning.objects.create(
        kind="就业转失业", person=person, household_id=person.household_id, area_id=person.area_id,
        basis="record:scope", raised_on=dt.date(2026, 1, 5), detail="范围测试预警：离职未就业",
        due_on=dt.date(2026, 1, 12),
    )  # fmt: skip
    return {
        "unreachable": outcome.flagged,
        "visit_import": batch,
        "warning": warning,
        "receiving_record": _incomer_record(),
    }


def _incomer_record():
    """A laborer of 宁乡市 whose record in force works in 土地村 (county A receives him)."""
    from bangfu.conftest import VILLAGE_A, area
    from bangfu.employment.models import EmploymentRecord
    from bangfu.referrals.tests.factories import make_person

    incomer = make_person("宁乡外来工", "430182001001")
    return EmploymentRecord.objects.create(
        person=incomer, area_id=incomer.area_id, work_area=area(VILLAGE_A), employer_name="土地村合作社",
        place="省内县外", started_on=dt.date(2026, 1, 5),
    )  # fmt: skip
