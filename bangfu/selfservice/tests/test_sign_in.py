"""Signing in with phone and text-message code: the code is sent through the SMS gateway (read here from
the FileBackend's file), kept only hashed, expires, is used once, is rate-limited per phone and per
address, and wrong codes lock the phone. Every send, success, failure and lock is in the audit log."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.accounts.models import Kind, User
from bangfu.audit.models import Action, AuditEvent
from bangfu.notices.models import SmsMessage
from bangfu.selfservice import actions
from bangfu.selfservice.models import Account, Code, WrongCode
from bangfu.selfservice.tests.helpers import ask_code, codes_sent, shared_phone_household, sign_in

pytestmark = pytest.mark.django_db


def test_a_laborer_signs_in_with_the_code_sent_to_their_phone(laborers, sms_file, captured):
    person = laborers["a"]
    client = Client()
    response = ask_code(client, "139 0000 1111", captured)  # typed with spaces
    assert response.url == reverse("selfservice:code")
    [code] = codes_sent(sms_file, "13900001111")
    # The outbox (read by staff) never holds the code, nor does the database.
    message = SmsMessage.objects.get(ref__startswith="selfservice-code:")
    assert code not in message.body and "******" in message.body
    row = Code.objects.get()
    assert code not in row.digest and row.sent
    response = client.post(reverse("selfservice:code"), {"code": code})
    assert response.url == reverse("selfservice:home")
    account = Account.objects.select_related("user").get(person=person)
    assert account.user.kind == Kind.LABORER and not account.user.has_usable_password()
    home = client.get(reverse("selfservice:home")).content.decode()
    assert "龙春生" in home
    actions = list(AuditEvent.objects.filter(area_code=person.area_id).values_list("action", "message"))
    assert (Action.CREATE, "发送登录验证码") in actions
    assert (Action.UPDATE, "登录验证码核对通过") in actions
    assert (Action.LOGIN, "登录成功") in actions


def test_an_unknown_phone_gets_the_same_answer_and_no_message(laborers, sms_file, captured):
    client = Client()
    response = ask_code(client, "13811112222", captured)
    assert response.url == reverse("selfservice:code")  # the same as for a registered phone
    assert codes_sent(sms_file, "13811112222") == []
    assert not Code.objects.get().sent
    page = client.get(reverse("selfservice:code")).content.decode()
    assert "如果 138****2222 已在帮扶名册登记" in page
    failed = client.post(reverse("selfservice:code"), {"code": "123456"})
    assert "验证码错误或已失效" in failed.content.decode()
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="selfservice.code")
    assert event.message.endswith("未发送") and event.username == "138****2222"


def test_a_wrong_phone_number_is_refused_before_anything_is_sent(laborers, sms_file, captured):
    response = ask_code(Client(), "12345", captured)
    assert response.status_code == 200 and "11 位手机号码" in response.content.decode()
    assert not Code.objects.exists()


def test_an_expired_code_does_not_sign_in(laborers, sms_file, captured):
    client = Client()
    ask_code(client, "13900001111", captured)
    [code] = codes_sent(sms_file, "13900001111")
    Code.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("selfservice:code"), {"code": code})
    assert response.status_code == 200 and "验证码错误或已失效" in response.content.decode()
    assert not Account.objects.exists()
    assert WrongCode.objects.count() == 1


def test_a_code_is_used_once(laborers, sms_file, captured):
    client = sign_in(Client(), "13900001111", sms_file, captured)
    [code] = codes_sent(sms_file, "13900001111")
    assert Code.objects.get().used_at is not None
    # The same code again, by the check the page calls: refused and counted.
    people, refusal = actions.check_code("13900001111", code)
    assert people is None and refusal.startswith("验证码错误或已失效")
    assert WrongCode.objects.count() == 1
    # And through the pages, from a session that asked for a code and was given a new one.
    client.post(reverse("selfservice:logout"))
    other = Client()
    ask_code(other, "13900001111", captured)  # refused: sent too soon, so no new code exists
    assert "验证码错误或已失效" in other.post(reverse("selfservice:code"), {"code": code}).content.decode()


def test_a_new_code_voids_the_older_one(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_CODE_RESEND_SECONDS = 0
    client = Client()
    ask_code(client, "13900001111", captured)
    ask_code(client, "13900001111", captured)
    first, second = codes_sent(sms_file, "13900001111")
    if first == second:  # one in a million: the same six digits twice
        pytest.skip("the two random codes happened to be equal")
    assert "验证码错误或已失效" in client.post(reverse("selfservice:code"), {"code": first}).content.decode()
    assert client.post(reverse("selfservice:code"), {"code": second}).url == reverse("selfservice:home")


def test_sending_again_too_soon_is_refused(laborers, sms_file, captured):
    client = Client()
    ask_code(client, "13900001111", captured)
    response = ask_code(client, "13900001111", captured)
    assert response.status_code == 200 and "秒后再重新获取" in response.content.decode()
    assert len(codes_sent(sms_file, "13900001111")) == 1
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, message__contains="被拒绝").count() == 1


def test_sends_per_phone_and_per_address_are_limited(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_CODE_RESEND_SECONDS = 0
    settings.BANGFU_SELF_CODES_PER_PHONE = 3
    settings.BANGFU_SELF_CODES_PER_IP = 5
    client = Client()
    for _ in range(3):
        assert ask_code(client, "13900001111", captured).status_code == 302
    refused = ask_code(client, "13900001111", captured)
    assert "该手机号获取验证码次数过多" in refused.content.decode()
    assert len(codes_sent(sms_file, "13900001111")) == 3
    # Other phones from the same address: two more, then the address is refused.
    assert ask_code(client, "13900002222", captured).status_code == 302
    assert ask_code(client, "13811112222", captured).status_code == 302
    refused = ask_code(client, "13811113333", captured)
    assert "本网络获取验证码次数过多" in refused.content.decode()
    # From another address the phone is still limited, the other phones are not.
    other = Client(REMOTE_ADDR="10.1.2.3")
    assert ask_code(other, "13811113333", captured).status_code == 302


def test_wrong_codes_lock_the_phone(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_MAX_WRONG = 3
    client = Client()
    ask_code(client, "13900001111", captured)
    [code] = codes_sent(sms_file, "13900001111")
    wrong = "000000" if code != "000000" else "111111"
    answers = [client.post(reverse("selfservice:code"), {"code": wrong}).content.decode() for _ in range(3)]
    assert "还可以再试 2 次" in answers[0] and "还可以再试 1 次" in answers[1]
    assert "已暂时锁定" in answers[2]
    # Locked: even the right code is refused, and no new code is sent.
    assert "已暂时锁定" in client.post(reverse("selfservice:code"), {"code": code}).content.decode()
    assert "已暂时锁定" in ask_code(Client(REMOTE_ADDR="10.9.9.9"), "13900001111", captured).content.decode()
    assert len(codes_sent(sms_file, "13900001111")) == 1
    lock = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, message__contains="锁定 30 分钟")
    assert lock.count() == 1 and lock.get().area_code == laborers["a"].area_id
    # After the lock's minutes the phone may try again.
    WrongCode.objects.update(at=timezone.now() - timedelta(minutes=31))
    Code.objects.update(created_at=timezone.now() - timedelta(minutes=31))
    sign_in(Client(), "13900001111", sms_file, captured)


def test_wrong_codes_from_one_address_lock_it_for_every_phone(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_MAX_WRONG_PER_IP = 2
    client = Client()
    ask_code(client, "13900001111", captured)
    for _ in range(2):
        client.post(reverse("selfservice:code"), {"code": "000001"})
    assert "已暂时锁定" in ask_code(client, "13900002222", captured).content.decode()
    assert codes_sent(sms_file, "13900002222") == []


def test_a_shared_phone_asks_who_one_is_without_showing_names(world, sms_file, captured):
    father, mother, child = shared_phone_household()
    client = Client()
    ask_code(client, "13700007777", captured)
    [code] = codes_sent(sms_file, "13700007777")
    response = client.post(reverse("selfservice:code"), {"code": code})
    assert response.url == reverse("selfservice:who")
    page = client.get(response.url).content.decode()
    assert "龙*山" in page and "石*花" in page
    assert "龙大山" not in page and "石小花" not in page and "龙小宝" not in page and "龙*宝" not in page
    wrong = client.post(reverse("selfservice:who"), {"person": mother.pk, "id_tail": father.id_number[-4:]})
    assert "身份证号码后四位不符" in wrong.content.decode()
    assert WrongCode.objects.count() == 1
    # The child is not offered and cannot be chosen even with the right digits.
    refused = client.post(reverse("selfservice:who"), {"person": child.pk, "id_tail": child.id_number[-4:]})
    assert refused.status_code == 200 and not Account.objects.exists()
    right = client.post(reverse("selfservice:who"), {"person": mother.pk, "id_tail": mother.id_number[-4:]})
    assert right.url == reverse("selfservice:home")
    assert Account.objects.get().person == mother
    assert "石小花" in client.get(reverse("selfservice:home")).content.decode()


def test_the_choice_on_a_shared_phone_expires_with_the_code(world, sms_file, captured):
    father, _, _ = shared_phone_household()
    client = Client()
    ask_code(client, "13700007777", captured)
    client.post(reverse("selfservice:code"), {"code": codes_sent(sms_file, "13700007777")[0]})
    session = client.session
    session["selfservice_verified"] = {**session["selfservice_verified"], "until": 0}
    session.save()
    response = client.post(
        reverse("selfservice:who"), {"person": father.pk, "id_tail": father.id_number[-4:]}
    )
    assert response.url == reverse("selfservice:login") and not Account.objects.exists()


def test_the_same_account_is_used_at_the_next_sign_in(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_CODE_RESEND_SECONDS = 0
    sign_in(Client(), "13900001111", sms_file, captured)
    sign_in(Client(), "13900001111", sms_file, captured)
    assert User.objects.filter(kind=Kind.LABORER).count() == 1


def test_a_deactivated_laborer_account_cannot_sign_in(laborers, sms_file, captured, settings):
    settings.BANGFU_SELF_CODE_RESEND_SECONDS = 0
    sign_in(Client(), "13900001111", sms_file, captured)
    User.objects.filter(kind=Kind.LABORER).update(is_active=False)
    client = Client()
    ask_code(client, "13900001111", captured)
    response = client.post(reverse("selfservice:code"), {"code": codes_sent(sms_file, "13900001111")[-1]})
    assert response.url == reverse("selfservice:login")
    assert "已停用" in client.get(response.url).content.decode()


def test_the_staff_login_page_links_to_the_laborer_sign_in(db):
    page = Client().get(reverse("accounts:login")).content.decode()
    assert reverse("selfservice:login") in page and "劳动者用手机号登录" in page


def test_a_signed_in_laborer_opening_the_staff_login_lands_on_their_own_home(laborers, sms_file, captured):
    client = sign_in(Client(), "13900001111", sms_file, captured)
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 302 and response.url == reverse("selfservice:home")
    assert client.get(reverse("selfservice:login")).url == reverse("selfservice:home")
