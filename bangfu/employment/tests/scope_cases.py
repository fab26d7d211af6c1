"""Area-scope rows for employment-record URLs: records, 名册与就业记录不一致, and the employment records file
import (导入就业信息)."""

import datetime as dt
import tempfile
from pathlib import Path

from bangfu.employment.models import EmploymentRecord, Mismatch

OBJECT_VIEWS = {
    "employment:create": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "employment:end": (lambda o: {"pk": o["employment"].pk}, ["get", "post"]),
    "employment:mismatch_settle": (lambda o: {"pk": o["mismatch"].pk}, ["get", "post"]),
    "employment:import_detail": (lambda o: {"pk": o["employment_import"].pk}, ["get"]),
    "employment:import_report": (lambda o: {"pk": o["employment_import"].pk}, ["get"]),
    "employment:import_resume": (lambda o: {"pk": o["employment_import"].pk}, ["post"]),
}
LIST_VIEWS = {"employment:list": "", "employment:mismatches": "", "employment:import_list": ""}
# The import form works on the user's own area.
OWN_OR_PUBLIC = {"employment:import_new"}
A_MARKERS = {"marker-employment-A"}


def objects(users, base):
    """A record and a 不一致 entry of 龙春生, and an employment file of county A with a bad row (a batch
    with an error report)."""
    from bangfu.employment.importer import create_employment_import, run_employment_import
    from bangfu.exchange.report import write_table
    from bangfu.registry.tests.conftest import HEAD_ID

    person = base["person"]
    record = EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="范围测试单位", place="省外", channel="自主外出",
        started_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    mismatch = Mismatch.objects.create(
        person=person, record=record, area_id=person.area_id, found_on=dt.date(2026, 2, 1)
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-employment-A.xlsx"
        write_table(
            path,
            ["证件号码", "姓名", "单位名称", "工作地区划代码", "入职日期"],
            [
                [HEAD_ID, "龙春生", "范围测试单位", "440105", "2026-01-05"],
                [HEAD_ID, "龙春生", "", "1", "昨天"],
            ],
        )
        batch = run_employment_import(
            create_employment_import(area=users["county_a"].area, user=users["county_a"], path=path)
        )
    assert batch.report
    return {"employment": record, "mismatch": mismatch, "employment_import": batch}
