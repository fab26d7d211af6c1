"""The demo: one user per level with the documented names, deterministic and safe to rebuild."""

from django.test import Client

from bangfu.accounts.models import Role, User
from bangfu.demo.build import DEMO_PASSWORD, build_demo
from bangfu.registry.models import ImportBatch, ImportStatus, Person


def test_demo_users_one_per_level_and_idempotent(db, settings):
    logins = build_demo(people_per_county=200)
    names = [login.username for login in logins]
    assert names[:4] == ["demo43", "demo4331", "demo433124", "demo433123"]
    assert names[4].startswith("demo433124") and len(names[4]) == 13  # a 花垣县 township
    assert names[5].startswith(names[4]) and len(names[5]) == 16  # a village of that township
    roles = [User.objects.get(username=n).role for n in names]
    assert roles == [Role.PROVINCE, Role.CITY, Role.COUNTY, Role.COUNTY, Role.TOWNSHIP, Role.VILLAGE]
    assert build_demo(people_per_county=200) == logins  # a rebuild changes nothing
    for county in ("433124", "433123"):
        people = Person.objects.filter(area__gte=county.ljust(12, "0"), area__lte=county.ljust(12, "9"))
        assert 200 <= people.count() <= 206
    batches = ImportBatch.objects.filter(status=ImportStatus.DONE, error_rows=0)
    assert sorted(b.user.username for b in batches) == ["demo433123", "demo433124"]
    assert User.objects.filter(username__startswith="demo").count() == 6
    settings.BANGFU_DEMO = True
    client = Client()
    assert client.post("/login/", {"username": "demo433124", "password": DEMO_PASSWORD}).status_code == 302
    settings.BANGFU_DEMO = False
    client = Client()
    assert client.post("/login/", {"username": "demo433124", "password": DEMO_PASSWORD}).status_code == 200
