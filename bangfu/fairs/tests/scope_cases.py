"""Area-scope rows for job-fair URLs: a fair hosted by county A's township, with one invitation."""

import datetime as dt

from django.utils import timezone

from bangfu.conftest import TOWNSHIP_A, area
from bangfu.fairs.models import Invitation, JobFair

_fair = lambda o: {"pk": o["fair"].pk}  # noqa: E731
OBJECT_VIEWS = {
    "fairs:detail": (_fair, ["get"]),
    "fairs:edit": (_fair, ["get", "post"]),
    "fairs:invite": (_fair, ["post"]),
    "fairs:attendance": (_fair, ["get", "post"]),
    "fairs:refer": (_fair, ["post"]),
    "fairs:interviews": (_fair, ["get", "post"]),
}
LIST_VIEWS = {"fairs:list": ""}
# The fair form's job search lists open postings: public to all staff by design (jobs/tests/scope_cases.py).
OWN_OR_PUBLIC = {"fairs:create", "fairs:job_search"}


def objects(users, base):
    start = timezone.now() + dt.timedelta(days=3)
    fair = JobFair.objects.create(
        title="龙潭镇送岗下乡", kind="送岗下乡", area=area(TOWNSHIP_A), starts_at=start,
        ends_at=start + dt.timedelta(hours=6), created_by=users["county_a"],
    )  # fmt: skip
    if "job" in base:
        fair.jobs.add(base["job"])
    Invitation.objects.create(fair=fair, person=base["person"], job=base.get("job"), score=70)
    return {"fair": fair}
