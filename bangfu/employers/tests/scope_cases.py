"""Area-scope cases of the employers ledger (see core/tests/test_area_scope_everywhere.py).

County A's objects: 土地村苗绣扶贫车间 (registered in 土地村) with an enterprise account, and a labor
cooperation from 龙潭镇 to 广州市海珠区. The enterprise portal pages serve enterprise accounts only and
show their own jobs (tested in test_portal.py), so they are classified as own.
"""

from bangfu.conftest import TOWNSHIP_A, VILLAGE_A
from bangfu.employers.creditcode import make_credit_code

OBJECT_VIEWS = {
    "employers:detail": (lambda o: {"pk": o["ledger_employer"].pk}, ["get"]),
    "employers:edit": (lambda o: {"pk": o["ledger_employer"].pk}, ["get", "post"]),
    "employers:account_create": (lambda o: {"pk": o["ledger_employer"].pk}, ["get", "post"]),
    "employers:account_unlink": (
        lambda o: {"pk": o["ledger_employer"].pk, "user_pk": o["enterprise_user"].pk},
        ["post"],
    ),
    "employers:cooperation_end": (lambda o: {"pk": o["cooperation"].pk}, ["post"]),
    "employer-detail": (lambda o: {"pk": o["ledger_employer"].pk}, ["get", "patch"]),
}
LIST_VIEWS = {
    "employers:list": "",
    "employers:cooperation_list": "",
    "employer-list": "",
}
OWN_OR_PUBLIC = {
    "employers:create",
    "employers:cooperation_create",
    "employers:portal",
    "employers:portal_job_create",
    "employers:portal_job_edit",
    "employers:portal_job_status",
}
A_MARKERS = {"土地村苗绣扶贫车间"}


def objects(users, base):
    from bangfu.areas.models import Area
    from bangfu.employers import actions
    from bangfu.employers.models import Employer, EmployerKind

    actor = users["county_a"]
    employer = actions.save_employer(
        actor,
        Employer(
            credit_code=make_credit_code("433124", 7001),
            name="土地村苗绣扶贫车间",
            kind=EmployerKind.POVERTY_WORKSHOP,
            area=Area.objects.get(code=VILLAGE_A),
            contact_name="龙秀英",
            contact_phone="13912345678",
        ),
    )
    account = actions.create_enterprise_account(
        actor, employer, username="qiye_tudi", password="Qiye-pass-2026", name="苗绣车间"
    )
    cooperation = actions.create_cooperation(
        actor,
        sending_area=Area.objects.get(code=TOWNSHIP_A.ljust(12, "0")),
        receiving_area=Area.objects.get(code="440105000000"),
        note="粤湘劳务协作",
    )
    return {"ledger_employer": employer, "enterprise_user": account, "cooperation": cooperation}
