"""补贴发放's rows in the area-scope tests (core/tests/test_area_scope_everywhere.py): a 一次性交通补助 list
of 土地村 with 龙春生's line, his payee account, an employer of county A with an account."""

import datetime as dt
from decimal import Decimal

LIST_KW = (lambda o: {"pk": o["payout_list"].pk}, ["get"])
OBJECT_VIEWS = {
    "payouts:list_detail": LIST_KW,
    "payouts:list_file": LIST_KW,
    "payouts:list_recheck": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
    "payouts:list_approve": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
    "payouts:list_return": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
    "payouts:list_bank": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
    "payouts:person_account": (lambda o: {"pk": o["person"].pk}, ["get", "post"]),
    "payouts:employer_account": (lambda o: {"pk": o["payout_employer"].pk}, ["get", "post"]),
    "payouts:right_toggle": (lambda o: {"pk": o["user"].pk}, ["post"]),
    "payout-list-detail": LIST_KW,
    "payout-list-lines": LIST_KW,
    "payout-list-recheck": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
    "payout-list-approve": (lambda o: {"pk": o["payout_list"].pk}, ["post"]),
}
LIST_VIEWS = {
    "payouts:list_index": "",
    "payouts:summary": "?kind=transport&period=2026&area=433124",
    "payouts:rights": "",
    "payout-list-list": "",
}
# Building a list is for an area of the user's own subtree (resolved through `for_user`).
OWN_OR_PUBLIC = {"payouts:list_new"}


def objects(users, base):
    from bangfu.conftest import area
    from bangfu.employment.models import EmploymentRecord
    from bangfu.payouts import actions
    from bangfu.referrals.tests.factories import make_employer
    from bangfu.subsidies.models import TransportRule

    person = base["person"]
    person.household.household_type = "脱贫户"
    person.household.save(update_fields=["household_type"])
    TransportRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), amount=Decimal("500"), min_months=3
    )
    EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name="外省工厂", place="省外",
        started_on=dt.date(2026, 1, 2), ended_on=dt.date(2026, 6, 30),
    )  # fmt: skip
    for right in ("approve", "export"):  # a valid request from county A succeeds
        actions.grant(None, users["county_a"], right, True)
    payout_list = actions.build(users["county_a"], "transport", area(person.area_id), "2026")
    assert payout_list.passed_count >= 1
    actions.save_account(
        users["county_a"], person=person, card="社会保障卡", bank="农商银行", number="6230901234567890"
    )
    employer = make_employer("范围测试车间", person.area_id, 977)
    actions.save_account(
        users["county_a"], employer=employer, card="单位银行账户", bank="农商银行", number="8230901234567890"
    )
    return {"payout_list": payout_list, "payout_employer": employer}
