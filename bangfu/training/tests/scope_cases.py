"""Skills training in the area-scope tests (core/tests/test_area_scope_everywhere.py): a course of county A
with 龙春生 enrolled, his need, and a roster of county A with a bad row."""

import datetime as dt

OBJECT_VIEWS = {
    "training:need_drop": (lambda o: {"pk": o["need"].pk}, ["post"]),
    "training:course_detail": (lambda o: {"pk": o["course"].pk}, ["get"]),
    "training:course_enrol": (lambda o: {"pk": o["course"].pk}, ["post"]),
    "training:course_enrol_many": (lambda o: {"pk": o["course"].pk}, ["post"]),
    "training:enrolment_complete": (lambda o: {"pk": o["enrolment"].pk}, ["post"]),
    "training:enrolment_attendance": (lambda o: {"pk": o["enrolment"].pk}, ["post"]),
    "training:enrolment_drop": (lambda o: {"pk": o["enrolment"].pk}, ["post"]),
    "training:youth_follow": (lambda o: {"pk": o["person"].pk}, ["post"]),
    "training:import_detail": (lambda o: {"pk": o["roster_import"].pk}, ["get"]),
    "training:import_report": (lambda o: {"pk": o["roster_import"].pk}, ["get"]),
}
LIST_VIEWS = {
    "training:needs": "",
    "training:untrained": "",
    "training:providers": "",
    "training:courses": "",
    "training:import_list": "",
    "training:youth": "",
}
OWN_OR_PUBLIC = {
    "training:index",
    "training:need_new",
    "training:needs_registry",
    "training:course_new",
    "training:import_new",
}
A_MARKERS = {"marker-course-A", "marker-youth-A"}


def objects(users, base):
    import tempfile
    from pathlib import Path

    from bangfu.conftest import COUNTY_A, area
    from bangfu.exchange.report import write_table
    from bangfu.training import actions
    from bangfu.training.importer import create_import, run_import

    county = users["county_a"]
    provider = actions.create_provider(
        county, area=area(COUNTY_A), name="marker-course-A 职校", kind="技工院校"
    )
    course = actions.create_course(
        county,
        provider=provider,
        area=area(COUNTY_A),
        number="PX-A-1",
        title="marker-course-A 焊工班",
        kind="就业技能培训",
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2099, 3, 20),
        capacity=30,
        days=15,
    )
    need = actions.record_need(
        county, base["person"], kind="就业技能培训", source="调查", recorded_on=dt.date(2026, 1, 5)
    )
    enrolment = actions.enrol(county, course, base["person"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-course-A.xlsx"
        write_table(path, ["班级编号", "证件号码", "姓名"], [["PX-A-1", base["person"].id_number, "别人"]])
        batch = run_import(create_import(area=county.area, user=county, path=path))
    assert batch.report
    from bangfu.referrals.tests.factories import make_person
    from bangfu.training.models import YouthRule

    YouthRule.objects.create(region_prefix="43", effective_from=dt.date(2020, 1, 1), min_age=15, max_age=22)
    make_person(
        "marker-youth-A", "433124102201", birth="2008-05-06", education="初中", student_status="非在校生"
    )
    return {"course": course, "need": need, "enrolment": enrolment, "roster_import": batch}
