"""Area-scope rows for employment-record URLs."""

import datetime as dt

from bangfu.employment.models import EmploymentRecord, Mismatch

OBJECT_VIEWS = {
    "employment:create": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "employment:end": (lambda o: {"pk": o["employment"].pk}, ["get", "post"]),
    "employment:mismatch_settle": (lambda o: {"pk": o["mismatch"].pk}, ["get", "post"]),
}
LIST_VIEWS = {"employment:list": "", "employment:mismatches": ""}


def objects(users, base):
    person = base["person"]
    record = EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="范围测试单位", place="省外", channel="自主外出",
        started_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    mismatch = Mismatch.objects.create(
        person=person, record=record, area_id=person.area_id, found_on=dt.date(2026, 2, 1)
    )
    return {"employment": record, "mismatch": mismatch}
