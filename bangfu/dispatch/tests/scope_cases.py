"""Dispatch's rows in the area-scope tests: county A's round of January (its townships, 龙潭镇 among them,
frozen) — county B gets 404 on it and never sees it listed."""

OBJECT_VIEWS = {
    "dispatch:round_detail": (lambda o: {"pk": o["round"].pk}, ["get"]),
    "dispatch:round_file": (lambda o: {"pk": o["round"].pk, "kind": "xlsx"}, ["get"]),
    "dispatch-round-detail": (lambda o: {"pk": o["round"].pk}, ["get"]),
}
LIST_VIEWS = {
    "dispatch:round_list": "",
    "dispatch:annual": "",
    "dispatch-round-list": "",
}
# Starting a round works on the user's own area; the annual report's file is the user's own area's, or an
# area resolved through for_user (test_scope.py: county B asking for county A's gets 404).
OWN_OR_PUBLIC = {"dispatch:round_start", "dispatch:annual_file"}
A_MARKERS = {"花垣县2026年1月"}


def objects(users, base):
    from bangfu.dispatch.actions import publish_round

    return {"round": publish_round(users["county_a"], users["county_a"].area, year=2026, month=1)}
