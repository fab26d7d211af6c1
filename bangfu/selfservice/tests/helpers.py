"""What the self-service tests share: reading the code from the SMS outbox file the FileBackend writes,
signing in through the real pages, and two laborers of county A with their own records."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bangfu.referrals.tests.factories import make_person

CODE = re.compile(r"验证码是(\d{6})")


def codes_sent(sms_file, phone: str) -> list[str]:
    """The codes the gateway was given for `phone`, oldest first (one outbox line per message)."""
    if not sms_file.exists():
        return []
    found = []
    for line in sms_file.read_text(encoding="utf-8").splitlines():
        _, to, text = line.split("\t", 2)
        match = CODE.search(text)
        if to == phone and match:
            found.append(match.group(1))
    return found


def ask_code(client: Client, phone: str, captured):
    with captured():
        return client.post(reverse("selfservice:login"), {"phone": phone})


def sign_in(client: Client, phone: str, sms_file, captured) -> Client:
    """Phone, code from the outbox file, signed in (one person on the phone)."""
    response = ask_code(client, phone, captured)
    assert response.status_code == 302, response.content.decode()[:500]
    code = codes_sent(sms_file, phone)[-1]
    response = client.post(reverse("selfservice:code"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("selfservice:home"), response
    return client


@pytest.fixture
def laborers(world):
    """龙春生 and 石秀英 of 土地村 (world), each with a phone of their own; 田大山 of county B."""
    return {"a": world["long"], "b": world["shi"], "outsider": world["tian"]}


def shared_phone_household(phone="13700007777"):
    """A household whose father, mother and child share one phone (the child is 10)."""
    father = make_person("龙大山", phone=phone, birth="1978-01-02")
    mother = make_person("石小花", phone=phone, birth="1980-03-04", sex="女", relation="配偶")
    mother.household = father.household
    mother.save()
    child = make_person("龙小宝", phone=phone, birth="2016-05-06", relation="之子")
    return father, mother, child
