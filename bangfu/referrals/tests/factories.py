"""Fixtures shared by the referral, notice, employment and fair tests: laborers of county A and B, an
employer of Guangzhou with an enterprise account, an employer of county A, and their open jobs. Real rows
in the real database; `captured` runs on-commit callbacks (notices) as a commit would."""

import datetime as dt
import itertools

import pytest

from bangfu.accounts.models import Kind, User
from bangfu.conftest import PASSWORD, area
from bangfu.core.idnumber import make_id
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Employer
from bangfu.jobs.models import Job
from bangfu.registry.models import Household, Person

VILLAGE_A = "433124102201"  # 土地村, county A
VILLAGE_B = "433123109225"  # county B
_seq = itertools.cycle(range(100, 999, 2))  # unique within a test; tests roll back


def make_person(
    name: str, village: str = VILLAGE_A, *, birth="1985-05-06", phone="13900001111", **fields
) -> Person:
    seq = next(_seq)
    household = Household.objects.create(number=f"T{village}{seq}", area=area(village))
    values = {
        "sex": "男",
        "relation": "户主",
        "labor_skill": "普通劳动力",
        "employment_status": "未务工",
        "education": "初中",
        "health": "健康",
        "desired_region": "不限",
        "job_wish": "普工",
    }
    values.update(fields)
    return Person.objects.create(
        id_number=make_id(village[:6], dt.date.fromisoformat(birth), seq),
        name=name,
        name_initials="",
        birth_date=dt.date.fromisoformat(birth),
        household=household,
        area=area(village),
        phone=phone,
        **values,
    )


def make_employer(name: str, code: str, seq: int, *, contact_phone="02088886666") -> Employer:
    return Employer.objects.create(
        credit_code=make_credit_code(code[:6], seq),
        name=name,
        area=area(code),
        contact_name="王经理",
        contact_phone=contact_phone,
    )


def make_job(employer: Employer, number: str, title: str, code: str, openings: int = 2, **fields) -> Job:
    return Job.objects.create(
        employer=employer,
        number=number,
        title=title,
        openings=openings,
        openings_left=openings,
        area=area(code),
        wage_min=fields.pop("wage_min", 4500),
        wage_max=fields.pop("wage_max", 6000),
        deadline=fields.pop("deadline", dt.date(2099, 12, 31)),
        **fields,
    )


def make_enterprise_user(username: str, employer: Employer) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, kind=Kind.ENTERPRISE, name=employer.name
    )
    employer.accounts.add(user)
    return user


@pytest.fixture
def captured(django_capture_on_commit_callbacks):
    """Runs the on-commit callbacks of the block (notices), as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sms_file(settings, tmp_path):
    settings.BANGFU_SMS_BACKEND = "bangfu.notices.sms.FileBackend"
    settings.BANGFU_SMS_FILE = tmp_path / "sms.txt"
    return settings.BANGFU_SMS_FILE


@pytest.fixture
def world(users, sms_file):
    """Laborers of county A (two) and county B (one); a Guangzhou factory with an enterprise account and
    two jobs; a county-A workshop with one job; another employer with its own account."""
    factory = make_employer("广州海珠电子厂", "440105", 301)
    workshop = make_employer("花垣苗绣扶贫车间", "433124", 302, contact_phone="")
    other = make_employer("别家公司", "440105", 303)
    return {
        "long": make_person("龙春生", phone="13900001111"),
        "shi": make_person("石秀英", sex="女", birth="1990-02-03", phone="13900002222"),
        "tian": make_person("田大山", VILLAGE_B, phone="13900003333"),
        "factory": factory,
        "workshop": workshop,
        "other": other,
        "job": make_job(factory, "GZ-001", "电子装配工", "440105", openings=2),
        "job2": make_job(factory, "GZ-002", "仓库管理员", "440105", openings=1),
        "local_job": make_job(workshop, "HY-001", "苗绣工", VILLAGE_A, openings=3),
        "other_job": make_job(other, "OT-001", "包装工", "440105", openings=5),
        "boss": make_enterprise_user("boss_factory", factory),
        "other_boss": make_enterprise_user("boss_other", other),
    }
