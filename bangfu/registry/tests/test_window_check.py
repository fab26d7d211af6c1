"""窗口实名核验: any window checks an ID number against the whole registry, but outside its own subtree it
learns only the home county and the status; every check is kept and audited."""

import pytest
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person, WindowCheck
from bangfu.registry.tests.conftest import HEAD_ID, messy_rows, pid, write_xlsx

URL = reverse("registry:window_check")


@pytest.fixture
def head(areas, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True]
    run_registry_import(
        create_import_batch(area=areas["county_a"], user=None, path=write_xlsx(tmp_path / "a.xlsx", rows))
    )
    return Person.objects.get(id_number=HEAD_ID)


def test_other_county_sees_registered_and_home_county_only(head, users, client_for):
    response = client_for(users["county_b"]).post(URL, {"id_number": HEAD_ID})
    text = response.content.decode()
    assert response.status_code == 200
    assert "已登记" in text and "花垣县" in text and "脱贫户" in text
    assert "龙春生" not in text and HEAD_ID not in text and "石秀英" not in text
    assert reverse("registry:person_detail", args=[head.pk]) not in text
    assert response.context["answer"].person is None
    # The check stays in county B's list, still without the name or a link.
    again = client_for(users["county_b"]).get(URL).content.decode()
    assert head.masked_id in again and "龙春生" not in again
    assert reverse("registry:person_detail", args=[head.pk]) not in again


def test_own_county_gets_the_link(head, users, client_for):
    for who in ("county_a", "village_a"):
        text = client_for(users[who]).post(URL, {"id_number": HEAD_ID}).content.decode()
        assert "已登记" in text and "龙春生" in text
        assert reverse("registry:person_detail", args=[head.pk]) in text


def test_every_check_is_stored_and_audited(head, users, client_for):
    client_for(users["county_b"]).post(URL, {"id_number": HEAD_ID})
    unknown = pid("1999-09-09", 77, "433123")
    response = client_for(users["county_b"]).post(URL, {"id_number": unknown})
    assert "未登记" in response.content.decode()
    checks = list(WindowCheck.objects.order_by("id"))
    assert [(c.found, c.user, c.area_id, c.person) for c in checks] == [
        (True, users["county_b"], users["county_b"].area_id, head),
        (False, users["county_b"], users["county_b"].area_id, None),
    ]
    assert HEAD_ID not in checks[0].masked_id and checks[0].masked_id == head.masked_id
    events = AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE, actor=users["county_b"])
    assert events.count() == 2 and all("窗口实名核验" in e.message for e in events)
    assert not any("龙春生" in e.message or HEAD_ID in e.message for e in events)


def test_checks_list_is_scoped(head, users, client_for):
    client_for(users["county_b"]).post(URL, {"id_number": HEAD_ID})
    county_a_page = client_for(users["county_a"]).get(URL).content.decode()
    assert head.masked_id not in county_a_page and "还没有核验记录" in county_a_page
    assert head.masked_id in client_for(users["city"]).get(URL).content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1"), "校验码错误"),
        ("43312419750304", "证件号码应为 18 位"),
        ("4331241975030401１A", "非法字符"),
    ],
)
def test_invalid_numbers_show_the_chinese_error_and_are_not_checked(head, users, client_for, raw, message):
    response = client_for(users["county_b"]).post(URL, {"id_number": raw})
    assert response.status_code == 200 and message in response.content.decode()
    assert response.context["answer"] is None
    assert not WindowCheck.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE).exists()


def test_legacy_fifteen_digit_number_is_upgraded(head, areas, users, client_for, tmp_path):
    legacy = Person.objects.get(name="麻老三").id_number
    short = legacy[:6] + legacy[8:17]
    text = client_for(users["county_a"]).post(URL, {"id_number": short}).content.decode()
    assert "已登记" in text and "麻老三" in text
