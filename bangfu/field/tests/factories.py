"""Entries as the phone's script makes them."""

import datetime as dt
import uuid

from django.utils import timezone


def entry(kind: str, person, **data) -> dict:
    return {
        "key": str(uuid.uuid4()),
        "kind": kind,
        "person": person.pk,
        "recorded_at": (timezone.now() - dt.timedelta(hours=3)).isoformat(),
        "data": {k: str(v) for k, v in data.items()},
    }


def visit(person, day: dt.date, result="在岗", method="上门", note="") -> dict:
    return entry("visit", person, visited_on=day, method=method, result=result, note=note)


def send(client, entries: list[dict], user=None):
    import json

    body = {"entries": entries}
    if user is not None:
        body["user"] = user.pk
    return client.post("/field/sync/", data=json.dumps(body), content_type="application/json")
