"""Area-scope rows for employment-record URLs."""

import datetime as dt

from bangfu.employment.models import EmploymentRecord

OBJECT_VIEWS = {
    "employment:create": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "employment:end": (lambda o: {"pk": o["employment"].pk}, ["get", "post"]),
}
LIST_VIEWS = {"employment:list": ""}


def objects(users, base):
    person = base["person"]
    record = EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="范围测试单位", place="省外", channel="自主外出",
        started_on=dt.date(2026, 1, 5),
    )  # fmt: skip
    return {"employment": record}
