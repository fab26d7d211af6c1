"""The registry search: by the last digits of a phone, by whole pinyin and by the first digits of an ID
number, as well as by name, initials and the ID's last digits — kept true through imports (new and
changed people) and filled for people registered before (migration 0007); results stay masked."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person
from bangfu.registry.tests.conftest import VILLAGE_B, person, pid, write_xlsx

RAN_ID = pid("1988-06-17", 31)
ZHANG_ID = pid("1990-02-03", 41)
OUTSIDER_ID = pid("1988-06-17", 51, "433123")
RAN_PHONE = "13912340001"


@pytest.fixture
def people(areas, tmp_path):
    rows = [
        person("S1", "冉小明", RAN_ID, birth="1988-06-17", **{"联系电话": RAN_PHONE}),
        person("S2", "张三", ZHANG_ID, birth="1990-02-03", **{"联系电话": "0743-7225678"}),
        person(
            "S3", "冉外县", OUTSIDER_ID, birth="1988-06-17", code=VILLAGE_B, **{"联系电话": "13700000001"}
        ),
    ]
    batch = run_registry_import(
        create_import_batch(area=areas["city"], user=None, path=write_xlsx(tmp_path / "s.xlsx", rows))
    )
    assert batch.created == 3
    return tmp_path


def found(client, q) -> set[str]:
    text = client.get(reverse("registry:person_list"), {"q": q}).content.decode()
    return {n for n in ("冉小明", "张三", "冉外县") if n in text}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("0001", {"冉小明"}),  # the last digits of a mobile phone (county B's 0001 stays invisible)
        ("5678", {"张三"}),  # of a landline, written with a dash
        ("7225678", {"张三"}),
        ("ran", {"冉小明"}),  # whole pinyin, or its start
        ("ranxiaoming", {"冉小明"}),
        ("RanXiao", {"冉小明"}),
        ("rxm", {"冉小明"}),  # initials still
        ("zhangsan", {"张三"}),
        (RAN_ID[:14], {"冉小明"}),  # the first digits of an ID number: county and birth date
        ("433124", {"冉小明", "张三"}),
        (RAN_ID[-4:], {"冉小明"}),  # the last digits of an ID number still
        ("xiaoming", set()),  # pinyin from the start of the name only
    ],
)
def test_search_finds(people, users, client_for, q, expected):
    assert found(client_for(users["county_a"]), q) == expected


def test_results_stay_masked(people, users, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("registry:person_list"), {"q": "0001"}).content.decode()
    assert "冉小明" in page and RAN_PHONE not in page and "139****0001" in page
    api = client.get(reverse("person-list"), {"q": "0001"}).json()
    assert [p["name"] for p in api["results"]] == ["冉小明"] and api["results"][0]["phone"] == "139****0001"


def test_a_changed_phone_or_name_is_searched_by_its_new_value(people, users, client_for, areas):
    rows = [person("S1", "冉晓明", RAN_ID, birth="1988-06-17", **{"联系电话": "13700009999"})]
    path = write_xlsx(people / "change.xlsx", rows)
    assert run_registry_import(create_import_batch(area=areas["city"], user=None, path=path)).updated == 1
    client = client_for(users["county_a"])
    assert (
        found(client, "9999") == {"冉小明"} - {"冉小明"} | set()
        or "冉晓明" in client.get(reverse("registry:person_list"), {"q": "9999"}).content.decode()
    )
    assert "冉晓明" not in client.get(reverse("registry:person_list"), {"q": "0001"}).content.decode()
    ran = Person.objects.get(id_number=RAN_ID)
    assert (ran.name_pinyin, ran.phone_reversed) == ("ranxiaoming", "99990000731")
    ran.phone = "139-0000-1234"
    ran.save(update_fields=["phone"])
    assert Person.objects.get(pk=ran.pk).phone_reversed == "43210000931"


def test_the_migration_fills_people_registered_before(people):
    Person.objects.update(name_pinyin="", phone_reversed="")
    migration = importlib.import_module("bangfu.registry.migrations.0007_search_by_pinyin_and_phone_tail")
    migration.backfill(apps, SimpleNamespace(connection=connection))  # it uses the editor's connection only
    keys = dict(Person.objects.values_list("name", "name_pinyin"))
    assert keys == {"冉小明": "ranxiaoming", "张三": "zhangsan", "冉外县": "ranwaixian"}
    phones = dict(Person.objects.values_list("name", "phone_reversed"))
    assert phones == {"冉小明": RAN_PHONE[::-1], "张三": "87652273470", "冉外县": "10000000731"}
