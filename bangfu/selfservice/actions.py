"""Writes of 劳动者自助服务, each one transaction with its audit: sending a sign-in code, checking it,
choosing who one is on a shared phone, the account made at the first sign-in, and the laborer's own
changes (wishes, training need), kept as self-reported (本人填报). A refusal is returned, not raised, where
the attempt itself must be kept (a wrong code counts towards the lock even though the sign-in fails)."""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from bangfu.accounts.models import Kind, User
from bangfu.areas.models import NATION_CODE
from bangfu.audit.context import current_origin
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.core.idnumber import mask_phone
from bangfu.notices.actions import send_sms
from bangfu.notices.texts import render
from bangfu.registry.actions import update_person_fields
from bangfu.registry.models import LaborAgeRule, Person
from bangfu.selfservice import throttle
from bangfu.selfservice.models import Account, Code, WrongCode

SOURCE_SELF = "本人填报"  # registry.Change.source of what the laborer changed themself
PHONE_MESSAGE = "请输入正确的 11 位手机号码。"
_MOBILE = re.compile(r"1[3-9]\d{9}")


def clean_phone(raw: str) -> str:
    """The 11 digits of a mainland mobile number typed with spaces, dashes or +86; else ValidationError."""
    digits = "".join(ch for ch in str(raw or "") if ch.isascii() and ch.isdigit())
    for prefix in ("0086", "86"):
        if len(digits) == 11 + len(prefix) and digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if not _MOBILE.fullmatch(digits):
        raise ValidationError(PHONE_MESSAGE)
    return digits


def people_with_phone(phone: str) -> list[Person]:
    """The living people of the registry whose phone is `phone`, of working age or older by the 劳动年龄段
    rule of their village (a household's children share the parents' phone and do not sign in)."""
    today = timezone.localdate()
    found = []
    candidates = Person.objects.filter(phone_reversed__startswith=phone[::-1], is_deceased=False)
    for person in candidates.select_related("household").order_by("birth_date", "pk")[:20]:
        rule = LaborAgeRule.objects.in_force(person.area_id, today)
        if rule is None or person.age_on(today) >= rule.min_age:
            found.append(person)
    return found


def _digest(phone: str, code: str) -> str:
    return salted_hmac("bangfu.selfservice.code", f"{phone}:{code}", algorithm="sha256").hexdigest()


def _area_code(people) -> str:
    # Sign-in events belong to the laborer's village, so its staff see them; an unknown phone to nobody's.
    return people[0].area_id if people else NATION_CODE


def _event(action, phone: str, people, message: str, *, obj=None, actor=None):
    return audit(
        action, actor=actor, obj=obj, area_code=_area_code(people), username=mask_phone(phone),
        message=message,
    )  # fmt: skip


def _void_codes(phone: str) -> None:
    Code.objects.filter(phone=phone, used_at=None, voided_at=None).update(voided_at=timezone.now())


@transaction.atomic
def send_code(phone: str) -> str:
    """A new code for `phone` (the older ones voided), sent by text message once this commits when the
    phone is in the registry, and only kept otherwise; "" then. Or the refusal of the sending limits.
    Either way the answer is the same for a registered phone and an unknown one."""
    ip = current_origin().ip
    people = people_with_phone(phone)
    refusal = throttle.send_refusal(phone, ip)
    if refusal:
        _event(Action.LOGIN_FAILED, phone, people, f"获取登录验证码被拒绝：{refusal}")
        return refusal
    _void_codes(phone)
    code = f"{secrets.randbelow(10**6):06d}"
    now = timezone.now()
    row = Code.objects.create(
        phone=phone,
        digest=_digest(phone, code),
        ip=ip,
        sent=bool(people),
        expires_at=now + timedelta(minutes=settings.BANGFU_SELF_CODE_MINUTES),
    )
    minutes = settings.BANGFU_SELF_CODE_MINUTES
    if people:
        send_sms(
            phone,
            render("sign_in_code_sms", code=code, minutes=minutes),
            area=people[0].area,
            ref=f"selfservice-code:{row.pk}",
            kept_as=render("sign_in_code_sms", code="******", minutes=minutes),
        )
        _event(Action.CREATE, phone, people, "发送登录验证码", obj=row)
    else:
        _event(Action.CREATE, phone, people, "获取登录验证码：手机号未在名册中登记，未发送", obj=row)
    return ""


def _wrong(phone: str, people, what: str) -> str:
    """A wrong code or wrong ID digits: kept and audited; the lock when this one reaches the limit."""
    ip = current_origin().ip
    WrongCode.objects.create(phone=phone, ip=ip)
    _event(Action.LOGIN_FAILED, phone, people, what)
    if throttle.locked(phone, ip):
        _void_codes(phone)
        _event(
            Action.LOGIN_FAILED, phone, people,
            f"验证失败次数达到上限，手机号锁定 {settings.BANGFU_SELF_LOCK_MINUTES} 分钟",
        )  # fmt: skip
        return throttle.locked_message()
    since = timezone.now() - timedelta(minutes=settings.BANGFU_SELF_LOCK_MINUTES)
    left = settings.BANGFU_SELF_MAX_WRONG - WrongCode.objects.filter(phone=phone, at__gte=since).count()
    return f"{what}，还可以再试 {left} 次。"


@transaction.atomic
def check_code(phone: str, code: str) -> tuple[list[Person] | None, str]:
    """(the people of the phone, "") when `code` is the phone's latest live code, which is then used up;
    (None, why not) otherwise, the wrong code counted."""
    people = people_with_phone(phone)
    if throttle.locked(phone, current_origin().ip):
        _event(Action.LOGIN_FAILED, phone, people, "手机号已锁定，未核对验证码")
        return None, throttle.locked_message()
    now = timezone.now()
    live = (
        Code.objects.select_for_update()
        .filter(phone=phone, used_at=None, voided_at=None, expires_at__gt=now)
        .order_by("-created_at", "-id")
        .first()
    )
    if live is None or not constant_time_compare(live.digest, _digest(phone, str(code).strip())):
        return None, _wrong(phone, people, "验证码错误或已失效")
    live.used_at = now
    live.save(update_fields=["used_at"])
    _event(Action.UPDATE, phone, people, "登录验证码核对通过", obj=live)
    return people, ""


@transaction.atomic
def confirm_person(phone: str, person_id: int, id_tail: str) -> tuple[Person | None, str]:
    """On a phone several people share: the one chosen, when `id_tail` is the last four characters of
    their ID number; a wrong answer counts like a wrong code."""
    people = people_with_phone(phone)
    if throttle.locked(phone, current_origin().ip):
        _event(Action.LOGIN_FAILED, phone, people, "手机号已锁定，未核对身份")
        return None, throttle.locked_message()
    chosen = next((p for p in people if p.pk == person_id), None)
    tail = str(id_tail or "").strip().upper()
    if chosen is None or len(tail) != 4 or not constant_time_compare(chosen.id_number[-4:].upper(), tail):
        return None, _wrong(phone, people, "所选人员与身份证号码后四位不符")
    return chosen, ""


@transaction.atomic
def account_for(person: Person, phone: str) -> User:
    """The laborer account of `person`, made at their first sign-in (no password: only codes sign in),
    its phone, name and village kept as the registry has them. ValidationError if it was deactivated."""
    account = Account.objects.select_related("user").filter(person=person).first()
    now = timezone.now()
    if account is None:
        user = User(
            username=f"laborer-{person.pk}",
            name=person.name,
            phone=phone,
            kind=Kind.LABORER,
            area_id=person.area_id,
            must_change_password=False,
            is_demo=settings.BANGFU_DEMO,
        )
        user.set_unusable_password()
        user.save()
        account = Account.objects.create(user=user, person=person, last_sign_in_at=now)
        audit(
            Action.CREATE,
            actor=user,
            obj=user,
            area_code=person.area_id,
            message="开通劳动者自助服务账号（手机验证码登录）",
            after=snapshot(user, ["username", "name", "kind", "area"]),
        )
        return user
    user = account.user
    if not user.is_active:
        raise ValidationError("该账号已停用，请联系村协理员。")
    changed = {
        f: v
        for f, v in {"name": person.name, "phone": phone, "area_id": person.area_id}.items()
        if getattr(user, f) != v
    }
    for field, value in changed.items():
        setattr(user, field, value)
    if changed:
        user.save(update_fields=list(changed))
    account.last_sign_in_at = now
    account.save(update_fields=["last_sign_in_at"])
    return user


WISH_FIELDS = ("wants_work", "job_wish", "desired_region", "expected_wage", "training_wish")


@transaction.atomic
def update_wishes(actor, person: Person, values: dict) -> dict:
    """The laborer's own 就业意愿, 就业意向, 意向务工地, 期望月薪 and 培训意愿: the registry's history marks
    them 本人填报, one UPDATE audit event with the laborer as actor. {field: (before, after)} changed."""
    if not Account.objects.filter(user=actor, person=person).exists():
        raise ValidationError("只能修改本人的信息。")
    wanted = {f: values[f] for f in WISH_FIELDS if f in values}
    return update_person_fields(actor, person, wanted, source=SOURCE_SELF, message="本人填报就业意愿")
