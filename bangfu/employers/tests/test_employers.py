"""The employers ledger pages: list filters, detail with the laborers employed (masked outside one's
area), create/edit with the credit code checked, enterprise accounts, labor cooperation."""

import datetime as dt

from django.urls import reverse

from bangfu.accounts.models import Kind, User
from bangfu.audit.models import Action, AuditEvent
from bangfu.employers import actions
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Cooperation, Employer, EmployerKind
from bangfu.employers.tests.conftest import employer_of
from bangfu.employers.views import NO_SUCH_ENTERPRISE_ACCOUNT
from bangfu.employment.models import EmploymentRecord


def test_list_filters_by_kind_and_search(users, client_for):
    actor = users["county_a"]
    workshop = employer_of(actor, "龙潭镇扶贫车间")
    employer_of(actor, "花垣县锰业有限公司", kind=EmployerKind.ENTERPRISE)
    client = client_for(actor)
    text = client.get(reverse("employers:list") + "?kind=扶贫车间").content.decode()
    assert "龙潭镇扶贫车间" in text and "锰业" not in text
    text = client.get(reverse("employers:list") + f"?q={workshop.credit_code.lower()}").content.decode()
    assert "龙潭镇扶贫车间" in text and "锰业" not in text


def test_create_checks_the_credit_code_and_audits(users, client_for):
    client = client_for(users["county_a"])
    data = {"credit_code": "91433124000000005X", "name": "新单位", "kind": "企业", "area_code": "433124"}
    response = client.post(reverse("employers:create"), data)
    assert response.status_code == 200 and "校验位" in response.content.decode()
    data["credit_code"] = make_credit_code("433124", 42).lower()
    response = client.post(reverse("employers:create"), data)
    employer = Employer.objects.get(name="新单位")
    assert response.status_code == 302 and employer.credit_code == make_credit_code("433124", 42)
    assert AuditEvent.objects.filter(action=Action.CREATE, object_id=str(employer.pk)).exists()
    again = client.post(reverse("employers:create"), data)
    assert "已登记" in again.content.decode()


def test_an_employer_cannot_be_placed_outside_ones_area(users, client_for):
    data = {
        "credit_code": make_credit_code("433123", 1),
        "name": "凤凰单位",
        "kind": "企业",
        "area_code": "433123",
    }
    response = client_for(users["county_a"]).post(reverse("employers:create"), data)
    assert "管辖区域" in response.content.decode() and not Employer.objects.filter(name="凤凰单位").exists()


def test_edit_hides_the_phone_from_users_without_the_right(users, client_for):
    actor = users["county_a"]
    employer = employer_of(actor, contact_phone="13912345678")
    actor.can_view_sensitive = False
    actor.save()
    page = client_for(actor).get(reverse("employers:edit", args=[employer.pk])).content.decode()
    assert "13912345678" not in page
    detail = client_for(actor).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert "139****5678" in detail and "13912345678" not in detail
    data = {"credit_code": employer.credit_code, "name": "改名车间", "kind": employer.kind,
            "area_code": employer.area_id, "contact_phone": "", "is_active": "on"}  # fmt: skip
    client_for(actor).post(reverse("employers:edit", args=[employer.pk]), data)
    employer.refresh_from_db()
    assert employer.name == "改名车间" and employer.contact_phone == "13912345678"


def test_detail_lists_current_employees_first_and_masks_outsiders(users, client_for, areas):
    from bangfu.core.tests.test_area_scope_everywhere import registered_person

    actor = users["county_a"]
    employer = employer_of(actor)
    person = registered_person(actor)
    EmploymentRecord.objects.create(person=person, area=person.area, employer=employer,
                                    started_on=dt.date(2020, 1, 1), ended_on=dt.date(2021, 1, 1))  # fmt: skip
    EmploymentRecord.objects.create(
        person=person, area=person.area, employer=employer, started_on=dt.date(2024, 3, 1)
    )
    text = client_for(actor).get(reverse("employers:detail", args=[employer.pk])).content.decode()
    assert text.index("2024-03-01") < text.index("2020-01-01")
    assert "龙春生" in text and person.id_number not in text and person.masked_id in text
    # A Hunan laborer working for a Guangdong employer: Guangdong's staff see the name masked.
    gz_staff = User.objects.create(username="gz", kind=Kind.STAFF, area=areas["guangzhou_haizhu"])
    gz_employer = employer_of(gz_staff, "海珠服装厂", area=areas["guangzhou_haizhu"])
    EmploymentRecord.objects.create(
        person=person, area=person.area, employer=gz_employer, started_on=dt.date(2025, 1, 1)
    )
    text = client_for(gz_staff).get(reverse("employers:detail", args=[gz_employer.pk])).content.decode()
    assert "龙*生" in text and "龙春生" not in text


def test_enterprise_account_is_created_or_linked(users, client_for):
    actor = users["county_a"]
    employer = employer_of(actor)
    client = client_for(actor)
    url = reverse("employers:account_create", args=[employer.pk])
    response = client.post(url, {"mode": "create", "username": "qiye1", "password": "Qiye-pass-2026"})
    assert response.status_code == 302
    account = User.objects.get(username="qiye1")
    assert account.kind == Kind.ENTERPRISE and account.must_change_password and account.area == employer.area
    other = employer_of(actor, "第二家")
    client.post(reverse("employers:account_create", args=[other.pk]), {"mode": "link", "username": "qiye1"})
    assert set(account.employers.all()) == {employer, other}
    client.post(reverse("employers:account_unlink", args=[other.pk, account.pk]))
    assert set(account.employers.all()) == {employer}


def test_cooperation_create_list_and_end(users, client_for, areas):
    client = client_for(users["county_a"])
    response = client.post(
        reverse("employers:cooperation_create"),
        {"sending_code": "433124", "receiving_code": "440105", "note": "粤湘协作"},
    )
    assert response.status_code == 302
    cooperation = Cooperation.objects.get()
    assert cooperation.is_active_on(dt.date.today())
    refused = client_for(users["county_b"]).post(
        reverse("employers:cooperation_create"), {"sending_code": "433124", "receiving_code": "440105"}
    )
    assert "管辖区域" in refused.content.decode()
    client.post(reverse("employers:cooperation_end", args=[cooperation.pk]))
    cooperation.refresh_from_db()
    assert cooperation.ended_on == dt.date.today() and not cooperation.is_active_on(dt.date.today())


def test_linking_an_account_does_not_tell_which_usernames_exist(users, client_for):
    """A staff account, an enterprise account of another county and a name nobody has read the same."""
    employer = employer_of(users["county_b"], "凤凰县苗银工坊")
    actions.create_enterprise_account(
        users["county_b"], employer, username="qiye_fh", password="Qiye-pass-2026"
    )
    mine = employer_of(users["county_a"])
    url = reverse("employers:account_create", args=[mine.pk])
    client = client_for(users["county_a"])
    answers = {
        name: client.post(url, {"mode": "link", "username": name}).context["link_form"].errors["username"]
        for name in ("u_village_a", "u_county_b", "qiye_fh", "nobody_at_all")
    }
    assert all(errors == [NO_SUCH_ENTERPRISE_ACCOUNT] for errors in answers.values()), answers
    assert not mine.accounts.exists()
