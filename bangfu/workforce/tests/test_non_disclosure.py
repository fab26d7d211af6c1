"""The enterprise never learns whether someone is in the registry: for a registry laborer and for someone who
is not, every portal page and answer — the hire's message, the list, the person's page, the month's wages,
the departure, a file's result — is the same once names, ID numbers and record numbers are set aside, costs
the same queries, and never reads the registry; and stays the same after the worker has matched the
registry person and made their employment record."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.core.idnumber import mask_id
from bangfu.employment.models import EmploymentRecord
from bangfu.exchange.report import write_table
from bangfu.workforce.models import Hire
from bangfu.workforce.rows import HIRE_COLUMNS
from bangfu.workforce.tests.conftest import outsider_id

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=60)
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"|"X-CSRFToken": "[^"]+"')
CLOCK = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def same(mine, theirs) -> None:
    """Equal answers; else the lines that differ, to read."""
    if mine != theirs:
        import difflib

        lines = difflib.unified_diff(str(mine[2]).splitlines(), str(theirs[2]).splitlines(), lineterm="", n=0)
        raise AssertionError(f"{mine[:2]} / {theirs[:2]}\n" + "\n".join(list(lines)[:40]))


class Visitor:
    """One person as the employer sees them: the requests it makes about them, normalised for comparing."""

    def __init__(self, client, id_number, name):
        self.client, self.id_number, self.name = client, id_number, name
        self.queries: list[int] = []
        self.hire = None

    def normalise(self, text: str) -> str:
        text = text.replace(self.id_number, "<ID>").replace(mask_id(self.id_number), "<MASKED>")
        text = text.replace(self.name, "<NAME>")
        if self.hire is not None:  # the report's number in links and field names
            text = re.sub(rf"(people/|wage[_-]|insured[_-]){self.hire.pk}(?!\d)", r"\1<PK>", text)
        return CLOCK.sub("<TIME>", CSRF.sub("<CSRF>", text))

    def request(self, method, url, data=None, **extra):
        with CaptureQueriesContext(connection) as queries:
            response = getattr(self.client, method)(url, data or {}, **extra)
        sql = [q["sql"] for q in queries.captured_queries]
        assert not [s for s in sql if "registry_person" in s], "the portal read the registry"
        self.queries.append(len(sql))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        location = response.get("Location", "")
        return response.status_code, self.normalise(location), self.normalise(body.decode())

    def journey(self, factory, tmp_path, *, twice):
        """Everything an employer does about one person; the answers, in order."""
        seen = []
        form = {"employer": factory.pk, "id_number": self.id_number, "name": self.name,
                "started_on": START.isoformat(), "job_title": "装配工", "monthly_wage": "4200"}  # fmt: skip
        if not twice:
            seen.append(self.request("post", reverse("workforce:portal_hire_new"), form))
            self.hire = Hire.objects.get(id_number=self.id_number)
            seen.append(self.request("get", reverse("workforce:portal_list"), {"q": self.name}))
            seen.append(self.request("post", reverse("workforce:portal_hire_new"), form))  # reported again
        seen.append(self.request("get", reverse("workforce:portal_list"), {"q": self.name}))
        seen.append(self.request("get", reverse("workforce:portal_hire", args=[self.hire.pk])))
        sheet = reverse("workforce:portal_wages") + f"?employer={factory.pk}&month={MONTH:%Y-%m}"
        if not twice:
            wage = {f"wage_{self.hire.pk}": "4600", f"insured_{self.hire.pk}": "1"}
            seen.append(self.request("post", sheet, wage))
        path = tmp_path / f"{self.id_number}.csv"
        ended = (TODAY - dt.timedelta(days=1)).isoformat() if twice else ""
        reason = "合同到期" if twice else ""
        row = [self.id_number, self.name, START.isoformat(), "装配工", "4300", "", ended, reason]
        write_table(path, [c.name for c in HIRE_COLUMNS], [row])
        with open(path, "rb") as handle:
            upload = {"kind": "hires", "employer": factory.pk, "file": handle}
            status, location, body = self.request("post", reverse("workforce:portal_import"), upload)
        seen.append((status, location, body.replace(path.name, "<FILE>")))
        if twice:
            leave = {"ended_on": TODAY.isoformat(), "end_reason": "其他"}
            seen.append(self.request("post", reverse("workforce:portal_leave", args=[self.hire.pk]), leave))
            seen.append(self.request("get", reverse("workforce:portal_hire", args=[self.hire.pk])))
        return seen


def test_registry_and_non_registry_people_get_the_same_answers(world, client_for, apply, tmp_path):
    # Same name length and the same sequence of IDs' shapes: only who they are differs.
    client = client_for(world["boss"])
    registry = Visitor(client, world["long"].id_number, "龙春生")
    stranger = Visitor(client, outsider_id(), "陈明山")
    assert len(registry.normalise(registry.name)) == len(stranger.normalise(stranger.name))

    first = (registry.journey(world["factory"], tmp_path, twice=False),
             stranger.journey(world["factory"], tmp_path, twice=False))  # fmt: skip
    for mine, theirs in zip(*first, strict=True):
        same(mine, theirs)
    assert registry.queries == stranger.queries

    apply()  # the worker matches 龙春生 and makes his record; 陈明山 stays as reported
    assert Hire.objects.get(id_number=world["long"].id_number).record is not None
    assert Hire.objects.get(id_number=outsider_id()).person is None
    registry.queries.clear(), stranger.queries.clear()
    second = (registry.journey(world["factory"], tmp_path, twice=True),
              stranger.journey(world["factory"], tmp_path, twice=True))  # fmt: skip
    for mine, theirs in zip(*second, strict=True):
        same(mine, theirs)
    assert registry.queries == stranger.queries

    apply()
    record = EmploymentRecord.objects.get()
    assert record.person == world["long"] and record.ended_on == TODAY - dt.timedelta(days=1)


def test_the_answers_do_not_change_when_the_registry_record_is_made(world, client_for, apply):
    """The same person's pages before and after the worker matched them: nothing on them moved."""
    client = client_for(world["boss"])
    person = Visitor(client, world["long"].id_number, "龙春生")
    form = {"employer": world["factory"].pk, "id_number": person.id_number, "name": person.name,
            "started_on": START.isoformat()}  # fmt: skip
    person.request("post", reverse("workforce:portal_hire_new"), form)
    person.hire = Hire.objects.get()
    person.request("get", reverse("workforce:portal_list"))  # the message of the hire, shown once
    sheet = reverse("workforce:portal_wages") + f"?employer={world['factory'].pk}&month={MONTH:%Y-%m}"
    pages = [reverse("workforce:portal_list"), reverse("workforce:portal_hire", args=[person.hire.pk]), sheet]
    before = [person.request("get", page) for page in pages]
    apply()
    assert EmploymentRecord.objects.filter(person=world["long"]).exists()
    for mine, theirs in zip([person.request("get", page) for page in pages], before, strict=True):
        same(mine, theirs)
