"""Area-scope rows for referral URLs (see bangfu/core/tests/test_area_scope_everywhere.py). Referrals are
scoped by the laborer's village; the enterprise portal is the enterprise's own (tested in test_portal.py)."""

import datetime as dt

from bangfu.conftest import area
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Employer
from bangfu.jobs.models import Job
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import ServiceRecord
from bangfu.referrals.tests.factories import make_person

OBJECT_VIEWS = {
    "referrals:detail": (lambda o: {"pk": o["referral"].pk}, ["get"]),
    "referrals:step": (lambda o: {"pk": o["referral"].pk}, ["post"]),
    "referrals:interview": (lambda o: {"pk": o["referral"].pk}, ["post"]),
    "referrals:person_service": (lambda o: {"pk": o["person"].pk}, ["post"]),
    "referral-detail": (lambda o: {"pk": o["referral"].pk}, ["get"]),
    "referral-step": (lambda o: {"pk": o["referral"].pk}, ["get", "post"]),
}
LIST_VIEWS = {
    "referrals:list": "",
    "referrals:norms": "",
    "referrals:norms_behind": "",
    "referrals:norms_export": "?format=csv",
    "referral-list": "",
    "service-norm-list": "",
}
OWN_OR_PUBLIC = {
    "referrals:create",  # resolves person and job through the user's scope (test_views.py)
    "referrals:services_bulk",  # likewise
    "referrals:portal",
    "referrals:portal_detail",
    "referrals:portal_step",
    "referrals:portal_phone",
}
A_MARKERS = {"麻求职"}


def objects(users, base):
    employer = Employer.objects.create(
        credit_code=make_credit_code("440105", 901), name="海珠范围测试厂", area=area("440105")
    )
    job = Job.objects.create(
        employer=employer, number="SC-1", title="范围测试岗位", openings=3, openings_left=3,
        area=area("440105"), deadline=dt.date(2099, 1, 1),
    )  # fmt: skip
    seeker = make_person("麻求职")  # 土地村, wants work: shows in the 311 list of who is behind
    referral = create_referral(users["county_a"], base["person"], job, score=80, reasons=["测试"])
    ServiceRecord.objects.create(person=seeker, area_id=seeker.area_id, kind="职业指导", date=dt.date.today())
    return {"referral": referral, "job": job, "employer": employer, "seeker": seeker}
