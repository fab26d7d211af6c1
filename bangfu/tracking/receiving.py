"""The receiving area (输入地): staff of the area where a laborer from elsewhere works see them, narrowly.

The read itself is `EmploymentRecord.objects.for_receiving_user(user)` (areas/scope.py): records in force
today whose work area lies in the user's subtree, of people whose home is outside it. This module keeps
what such a user is shown to the narrow fields — name, masked ID, home county, employer, start date —
and audits every list and record shown (a VIEW event), so the home county can see who looked.
"""

from __future__ import annotations

from django.db.models import Q

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.models import Action
from bangfu.employment.models import EmploymentRecord

# The only columns a receiving user's page reads (the rest of the person stays with the home county).
NARROW_FIELDS = (
    "id",
    "person_id",
    "work_area_id",
    "employer_name",
    "started_on",
    "ended_on",
    "place",
    "person__id",
    "person__name",
    "person__id_number",  # shown masked only
    "person__area_id",
    "work_area__code",
    "work_area__name",
)


def records_for(user, *, q: str = "", within: Area | None = None):
    """The records a receiving user sees, narrow columns only, newest first; `q` a name (or its start),
    `within` a sub-area of theirs (where the person works)."""
    records = EmploymentRecord.objects.for_receiving_user(user)
    if within is not None:
        low, high = within.code_range
        records = records.filter(work_area__code__range=(low, high))
    q = (q or "").strip()
    if q:
        records = records.filter(Q(person__name__startswith=q) | Q(employer_name__contains=q))
    return records.select_related("person", "work_area").only(*NARROW_FIELDS).order_by("-started_on", "-id")


def home_counties(records) -> dict[str, str]:
    """{county code (6 digits): its name} for the people of `records`, in one query."""
    codes = {r.person.area_id[:6].ljust(12, "0") for r in records}
    return {a.code[:6]: a.name for a in Area.objects.filter(code__in=codes).only("code", "name")}


def audit_list(user, records, *, page: int) -> None:
    """A receiving user was shown these records of other areas' people: one VIEW event with their ids."""
    ids = [r.pk for r in records]
    if not ids:
        return
    audit(
        Action.VIEW,
        actor=user,
        area_code=user.area_id,
        message=f"查看输入地务工人员名单（第 {page} 页，{len(ids)} 人）",
        after={"records": ids, "people": [r.person_id for r in records]},
    )


def audit_record(user, record) -> None:
    """A receiving user opened one record: the event is the home area's (it is their person)."""
    audit(
        Action.VIEW,
        actor=user,
        obj=record,
        message=f"输入地查看就业记录：{record.person.name}（{user.area.name}）",
    )
