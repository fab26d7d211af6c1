"""Entrepreneurship in the area-scope tests (core/tests/test_area_scope_everywhere.py): 龙春生's venture in
county A with a loan, and an incubator of county A with the venture resident."""

import datetime as dt
from decimal import Decimal

OBJECT_VIEWS = {
    "ventures:detail": (lambda o: {"pk": o["venture"].pk}, ["get"]),
    "ventures:jobs": (lambda o: {"pk": o["venture"].pk}, ["post"]),
    "ventures:close": (lambda o: {"pk": o["venture"].pk}, ["post"]),
    "ventures:loan_new": (lambda o: {"pk": o["venture"].pk}, ["post"]),
    "ventures:loan_detail": (lambda o: {"pk": o["loan"].pk}, ["get"]),
    "ventures:repay": (lambda o: {"pk": o["loan"].pk}, ["post"]),
    "ventures:loan_status": (lambda o: {"pk": o["loan"].pk}, ["post"]),
    "ventures:incubator_detail": (lambda o: {"pk": o["incubator"].pk}, ["get"]),
    "ventures:move_in": (lambda o: {"pk": o["incubator"].pk}, ["post"]),
    "ventures:move_out": (lambda o: {"pk": o["residency"].pk}, ["post"]),
}
LIST_VIEWS = {"ventures:index": "", "ventures:incubators": ""}
OWN_OR_PUBLIC = {"ventures:new"}
A_MARKERS = {"marker-venture-A", "marker-incubator-A"}


def objects(users, base):
    from bangfu.conftest import COUNTY_A, area
    from bangfu.ventures import actions

    county = users["county_a"]
    venture = actions.register_venture(
        county,
        base["person"],
        name="marker-venture-A 农家乐",
        kind="个体工商户",
        started_on=dt.date(2026, 2, 1),
        jobs=2,
    )
    loan = actions.grant_loan(
        county,
        venture,
        bank="农商银行",
        contract="MARKER-A-1",
        amount=Decimal("50000"),
        rate=Decimal("4.35"),
        term_months=24,
        granted_on=dt.date(2026, 2, 10),
    )
    incubator = actions.create_incubator(
        county, area=area(COUNTY_A), name="marker-incubator-A 创业园", kind="创业园区"
    )
    residency = actions.move_in(
        county, incubator, venture, moved_in=dt.date(2026, 3, 1), free_rent=Decimal("800")
    )
    return {"venture": venture, "loan": loan, "incubator": incubator, "residency": residency}
