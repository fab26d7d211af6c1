"""Area-scope cases of the rules page (see core/tests/test_area_scope_everywhere.py): an area's rules and
new versions open only inside one's subtree; county A's page shows a rule 龙潭镇 scheduled for itself."""

import datetime as dt

from bangfu.conftest import COUNTY_A

OBJECT_VIEWS = {
    "rules:area": (lambda o: {"code": COUNTY_A.ljust(12, "0")}, ["get"]),
    "rules:new": (lambda o: {"code": COUNTY_A.ljust(12, "0"), "kind": "labor-age"}, ["get", "post"]),
    "rules:withdraw": (lambda o: {"kind": "labor-age", "pk": o["scheduled_rule"].pk}, ["post"]),
}
LIST_VIEWS = {"rules:index": ""}
# Loading a rules file: each row's region is checked against the user's own subtree (test_rules_load_page.py).
OWN_OR_PUBLIC = {"rules:load"}


def objects(users, base):
    from bangfu.conftest import TOWNSHIP_A
    from bangfu.registry.models import LaborAgeRule

    rule = LaborAgeRule.objects.create(
        region_prefix=TOWNSHIP_A, effective_from=dt.date(2099, 1, 1), min_age=16, max_age=60
    )
    return {"scheduled_rule": rule}
