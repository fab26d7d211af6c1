"""村级离线工作 in the area-scope tests (core/tests/test_area_scope_everywhere.py): the laborer list the phone
keeps and the entries the server received are county A's only; the shell, its manifest and its service
worker hold no area data. What the sync does with an entry for a person outside the sender's area is
tested in field/tests/test_sync_api.py."""

import datetime as dt

LIST_VIEWS = {
    "field:people": "",
    "field:sync": "",
}
OWN_OR_PUBLIC = {"field:app", "field:manifest", "field:service_worker"}


def objects(users, base):
    from bangfu.field.actions import receive
    from bangfu.field.tests.factories import visit

    received = receive(users["county_a"], visit(base["person"], dt.date(2026, 3, 2)))
    assert received.entry.status == "applied", received.entry.reason
    return {"field_entry": received.entry}
