"""The standard ledgers: one definition gives the page, the API and the export, and the three agree; the
figures at the top count the filtered rows; ID numbers and phones are whole in a file only for users who
may see them; a large export runs in the background by the real worker code."""

import csv
import datetime as dt
import io

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bangfu.compare.tests.conftest import LONG, SHI
from bangfu.conftest import COUNTY_A, TOWNSHIP_A, VILLAGE_A, area, make_user
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Employer, EmployerKind
from bangfu.employment.actions import create_record
from bangfu.employment.models import EmploymentRecord
from bangfu.exports.models import Export
from bangfu.exports.tasks import run_export_task
from bangfu.fairs.models import Invitation, JobFair
from bangfu.ledgers.base import LEDGERS
from bangfu.registry.models import Person


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def world(users, people):
    """龙春生 works in a 扶贫车间 of 土地村 since March (a record in force), 石秀英's record ended; a fair in
    龙潭镇 invited 龙春生, who came."""
    actor = users["county_a"]
    workshop = Employer.objects.create(
        credit_code=make_credit_code("433124", 8101), name="土地村竹编扶贫车间",
        kind=EmployerKind.POVERTY_WORKSHOP, area=area(VILLAGE_A), contact_phone="13900001111",
    )  # fmt: skip
    started = timezone.localdate() - dt.timedelta(days=60)
    create_record(actor, people["long"], EmploymentRecord(
        employer=workshop, employer_name=workshop.name, place="县内", channel="扶贫车间", started_on=started,
    ))  # fmt: skip
    create_record(actor, people["shi"], EmploymentRecord(
        employer=workshop, employer_name=workshop.name, place="县内", started_on=dt.date(2025, 3, 1),
        ended_on=started - dt.timedelta(days=30), end_reason="合同到期",
    ))  # fmt: skip
    start = timezone.now() - dt.timedelta(days=10)
    fair = JobFair.objects.create(
        title="龙潭镇春风行动专场", kind="专场招聘会", area=area(TOWNSHIP_A), starts_at=start,
        ends_at=start + dt.timedelta(hours=5), status="已结束", created_by=actor,
    )  # fmt: skip
    Invitation.objects.create(fair=fair, person=people["long"], attended=True)
    Invitation.objects.create(fair=fair, person=people["shi"])
    return {"workshop": workshop, "fair": fair}


def _laborer_count():
    return Person.objects.for_area(area(COUNTY_A)).laborers().count()


@pytest.mark.parametrize(
    "key, expected_rows, marker",
    [
        ("laborers", _laborer_count, "龙春生"),
        (
            "employment",
            lambda: EmploymentRecord.objects.for_area(area(COUNTY_A)).count(),
            "土地村竹编扶贫车间",
        ),
        ("employers", lambda: 1, "土地村竹编扶贫车间"),
        ("fairs", lambda: 1, "龙潭镇春风行动专场"),
    ],
)
def test_page_api_and_export_agree(key, expected_rows, marker, world, users, client_for):
    ledger = LEDGERS[key]
    client = client_for(users["county_a"])
    expected = expected_rows()
    page = client.get(reverse(f"ledgers:{key}")).content.decode()
    assert ledger.title in page and marker in page
    api = client.get(reverse(f"ledger-{key}-list")).json()
    assert api["count"] == expected
    assert set(api["results"][0]) == {c.key for c in ledger.columns}
    rows = _csv(client.get(reverse(f"ledgers:{key}_export"), {"format": "csv"}))
    assert rows[0] == [c.title for c in ledger.columns] and len(rows) - 1 == expected
    assert any(marker in cell for row in rows for cell in row)
    # County B sees none of it, on any of the three.
    other = client_for(users["county_b"])
    assert marker not in other.get(reverse(f"ledgers:{key}")).content.decode()
    assert marker not in str(other.get(reverse(f"ledger-{key}-list")).json())


def test_the_figures_follow_the_records_and_the_filters(world, users, client_for):
    client = client_for(users["county_a"])
    counts = dict(
        LEDGERS["employers"].counts(LEDGERS["employers"].records(users["county_a"], area(COUNTY_A)))
    )
    assert counts["累计吸纳贫困劳动力"] == 2 and counts["当前在岗"] == 1  # 石秀英 has left
    api = client.get(reverse("ledger-employers-list")).json()["results"][0]
    assert (api["hired"], api["in_work"], api["contact_phone"]) == (2, 1, "139****1111")
    fair = client.get(reverse("ledger-fairs-list")).json()["results"][0]
    assert (fair["invited"], fair["attended"], fair["hired"]) == (2, 1, 0)
    fairs = LEDGERS["fairs"]
    counts = dict(fairs.counts(fairs.records(users["county_a"], area(COUNTY_A))))
    assert (counts["招聘会"], counts["邀请人数"], counts["到场人数"]) == (1, 2, 1)

    working = client.get(reverse("ledger-laborers-list"), {"employment_status": "县内务工"}).json()
    assert [r["name"] for r in working["results"]] == ["龙春生"]  # 务工状态 derived from his record
    page = client.get(reverse("ledgers:laborers"), {"employment_status": "县内务工"}).content.decode()
    assert "石秀英" not in page and "龙春生" in page
    current = {
        r["name"] for r in client.get(reverse("ledger-employment-list"), {"current": "1"}).json()["results"]
    }
    assert "龙春生" in current and "石秀英" not in current
    rows = _csv(client.get(reverse("ledgers:employment_export"), {"format": "csv", "current": "0"}))
    assert len(rows) == 2 and "石秀英" in rows[1] and "合同到期" in rows[1]


def test_whole_ids_only_for_users_who_may_see_them(world, users, client_for):
    plain = make_user("u_plain_a", area(COUNTY_A), can_view_sensitive=False)
    masked = _csv(client_for(plain).get(reverse("ledgers:laborers_export"), {"format": "csv", "q": "龙春生"}))
    whole = _csv(
        client_for(users["county_a"]).get(
            reverse("ledgers:laborers_export"), {"format": "csv", "q": "龙春生"}
        )
    )
    column = masked[0].index("证件号码")
    assert whole[1][column] == LONG and masked[1][column] == f"{LONG[:6]}********{LONG[-4:]}"
    api = client_for(users["county_a"]).get(reverse("ledger-laborers-list"), {"q": SHI}).json()
    assert api["results"][0]["id_number"] != SHI  # API lists are always masked


@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_a_large_ledger_export_runs_in_the_background(world, users, client_for):
    client = client_for(users["county_a"])
    response = client.get(reverse("ledgers:employment_export"), {"channel": "扶贫车间"})
    job = Export.objects.get()
    assert response.url == reverse("exports:detail", args=[job.pk])
    assert (job.kind, job.params, job.total, job.file_format) == (
        "ledger.employment", {"channel": ["扶贫车间"]}, 2, "xlsx",
    )  # fmt: skip
    run_export_task.call(job.pk)
    download = client.get(reverse("exports:download", args=[job.pk]))
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(download.streaming_content)))
    rows = sheet.get_sheet_by_index(0).to_python()
    assert (
        len(rows) == 3
        and {"龙春生", "石秀英"} <= {row[3] for row in rows}
        and LONG in {row[5] for row in rows}
    )
