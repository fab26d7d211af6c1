"""A holder's spell is an employment record of channel 公益性岗位: putting someone on a post makes it (and
their 务工状态 says so), taking them off or closing the post ends it; a post has one holder at a time."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.audit.models import AuditEvent
from bangfu.conftest import area
from bangfu.employment.models import EmploymentRecord
from bangfu.posts import actions
from bangfu.posts.tests.factories import hold, post
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person
from bangfu.stats.figures import welfare_post_holders


def test_a_spell_is_an_employment_record_and_the_registry_status_follows(areas):
    person = make_person("上岗人")
    spell = hold(person, post(VILLAGE_A), started=dt.date(2025, 3, 1))
    record = EmploymentRecord.objects.get(person=person)
    assert spell.record == record and record.channel == "公益性岗位" and record.ended_on is None
    assert record.work_area_id == VILLAGE_A and record.place == "县内"
    person.refresh_from_db()
    assert person.employment_status == "县内务工"
    assert AuditEvent.objects.filter(message__startswith="公益性岗位上岗").exists()
    actions.end_spell(None, spell, dt.date(2025, 9, 30), check_scope=False)
    record.refresh_from_db()
    person.refresh_from_db()
    assert record.ended_on == dt.date(2025, 9, 30) and person.employment_status == "未务工"


def test_people_holding_a_post_on_a_day_are_the_spells_in_force(areas):
    person = make_person("在岗")
    spell = hold(person, post(VILLAGE_A), started=dt.date(2025, 3, 1), ended=dt.date(2025, 3, 31))
    ids = lambda day: set(welfare_post_holders(day).values_list("person_id", flat=True))  # noqa: E731
    assert ids(dt.date(2025, 2, 28)) == set()
    assert ids(dt.date(2025, 3, 1)) == ids(dt.date(2025, 3, 31)) == {spell.person_id}
    assert ids(dt.date(2025, 4, 1)) == set()


def test_closing_a_post_ends_its_holder(areas):
    person = make_person("撤岗")
    place = post(VILLAGE_A)
    spell = hold(person, place)
    actions.close_post(None, place, dt.date(2025, 12, 31))
    spell.refresh_from_db()
    assert spell.ended_on == dt.date(2025, 12, 31) and spell.record.ended_on == dt.date(2025, 12, 31)


def test_a_post_has_one_holder_at_a_time_and_the_dead_hold_none(areas):
    place = post(VILLAGE_A)
    hold(make_person("先来"), place, started=dt.date(2025, 1, 1), ended=dt.date(2025, 6, 30))
    with pytest.raises(ValidationError, match="同期已有在岗人员 先来"):
        hold(make_person("后到"), place, started=dt.date(2025, 6, 30))
    hold(make_person("接班"), place, started=dt.date(2025, 7, 1))
    dead = make_person("故人", is_deceased=True, died_on=dt.date(2024, 1, 1))
    with pytest.raises(ValidationError, match="已去世"):
        hold(dead, post(VILLAGE_A))


def test_a_post_number_is_unique_in_its_county_only(areas):
    post(VILLAGE_A, number="HY-001")
    with pytest.raises(ValidationError, match="岗位编号在县内不能重复"):
        post("433124105208", number="HY-001")
    post(VILLAGE_B, number="HY-001")  # another county


def test_staff_act_only_in_their_area(users):
    place = post(VILLAGE_B)
    with pytest.raises(PermissionDenied):
        actions.start_spell(users["county_a"], place, make_person("越界", VILLAGE_B), dt.date(2025, 1, 1))
    with pytest.raises(PermissionDenied):
        actions.create_post(users["county_a"], area=area(VILLAGE_B), number="X1", kind="其他", title="护林员",
                            opened_on=dt.date(2025, 1, 1))  # fmt: skip


def test_duty_is_one_row_per_person_and_month_for_a_holder_of_the_area(users):
    person = make_person("出勤")
    hold(person, post(VILLAGE_A), started=dt.date(2025, 3, 1))
    village = users["village_a"]
    duty, changed = actions.save_duty(village, person, "2025-04", 20, 22)
    assert changed and duty.area_id == VILLAGE_A
    assert actions.save_duty(village, person, "2025-04", 20, 22)[1] is False
    duty, changed = actions.save_duty(village, person, "2025-04", 21, 22)
    assert changed and duty.days_on_duty == 21 and type(duty).objects.count() == 1
    with pytest.raises(ValidationError, match="没有本区域公益性岗位的在岗记录"):
        actions.save_duty(village, person, "2025-02", 20, 22)
    with pytest.raises(ValidationError, match="在岗天数应在"):
        actions.save_duty(village, person, "2025-05", 23, 22)
    with pytest.raises(ValidationError, match="应出勤天数应在 1 到 30 天"):
        actions.save_duty(village, person, "2025-06", 20, 31)
    with pytest.raises(ValidationError):
        actions.save_duty(users["county_b"], person, "2025-05", 20, 22)
