"""The demo's 督办 (issue 17, item 5): tasks from the city and the demo counties to the areas below them,
with replies at every stage (reported, returned and reported again, accepted as done), one past its due
day, and rectification items of every status, one overdue — all written by the demo users through the
real actions, so the audit log, the notices and the statuses are the platform's own. Relative to today,
so a demo built on any day has something due and something overdue."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area, Level
from bangfu.supervision import actions
from bangfu.supervision.models import Assignment, RectStatus, Task


def _file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"))


def _user(code: str) -> User | None:
    return User.objects.filter(username=f"demo{code}").first()


def _past(task: Task, *, sent_days_ago: int, due_days_ago: int) -> None:
    """Date a task back (the actions refuse a due day in the past, as the pages do)."""
    today = timezone.localdate()
    due = today - dt.timedelta(days=due_days_ago)
    Task.objects.filter(pk=task.pk).update(
        due_on=due, created_at=timezone.now() - dt.timedelta(days=sent_days_ago)
    )
    Assignment.objects.filter(task=task).update(due_on=due)


@transaction.atomic
def build_supervision_demo(counties) -> None:
    if Task.objects.exists():
        return
    today = timezone.localdate()
    for code in counties:
        county_user = _user(code)
        if county_user is None:
            continue
        county = county_user.area
        townships = list(
            Area.objects.filter(parent=county, level=Level.TOWNSHIP, is_current=True).order_by("code")
        )
        # The township with a demo login first: it is the one that replies.
        townships.sort(key=lambda t: _user(t.short_code) is None)
        if not townships:
            continue
        # Sent to every township: due in a fortnight; the demo township has reported its progress.
        spring = actions.create_task(
            county_user, title=f"{today.year}年春风行动落实情况", due_on=today + dt.timedelta(days=14),
            content="请各乡镇组织开展春风行动专场招聘，摸清返乡劳动力就业意愿，按期报送开展场次、参与人数和达成意向人数。",
            leader="县人社局分管副局长", unit="县就业服务中心", areas=townships,
            files=[_file("春风行动实施方案.txt", "春风行动实施方案（演示）")],
        )  # fmt: skip
        township_user = _user(townships[0].short_code)
        if township_user is not None:
            actions.submit_reply(
                township_user, spring.assignments.get(area=townships[0]),
                content="已举办专场招聘 2 场，参与 310 人，达成意向 86 人。", progress="进行中",
            )  # fmt: skip
            # The township passes work on to its villages: the demo village's clerk has it to answer.
            actions.create_task(
                township_user, title="返乡劳动力入户走访登记", due_on=today + dt.timedelta(days=5),
                content="请各村对春节返乡劳动力逐户走访，登记就业意愿和培训需求。", leader="镇党委副书记",
                unit="镇人社服务站", areas=actions.receiving_areas(township_user, all_children=True),
            )  # fmt: skip
        # Sent to the first three townships, now past its due day: overdue where not done.
        late = actions.create_task(
            county_user, title="脱贫劳动力务工信息核实", due_on=today + dt.timedelta(days=1),
            content="对照名册逐户核实脱贫劳动力务工地点和务工状态，更正有误信息。",
            leader="县人社局局长", unit="县劳动就业服务局", areas=townships[:3],
        )  # fmt: skip
        _past(late, sent_days_ago=20, due_days_ago=5)
        _replies(county_user, late)
        _ledger(county_user, county, townships, late)
    city_user = _user("4331")
    if city_user is not None:
        areas = [Area.objects.get(code=code.ljust(12, "0")) for code in counties]
        task = actions.create_task(
            city_user, title="就业帮扶车间吸纳就业情况调度", due_on=today + dt.timedelta(days=2),
            content="请各县报送就业帮扶车间数量、吸纳脱贫劳动力人数及稳岗补贴落实情况。",
            leader="州人社局分管副局长", unit="州就业服务中心", areas=areas,
            files=[_file("调度表.csv", "县,车间数,吸纳人数\n")],
        )  # fmt: skip
        first = task.assignments.order_by("area_id").first()
        reporter = _user(first.area.short_code)
        if reporter is not None:
            reply = actions.submit_reply(
                reporter, first, content="全县就业帮扶车间 18 个，吸纳脱贫劳动力 426 人，稳岗补贴已兑现。",
                progress="办结", files=[_file("花垣县帮扶车间统计.csv", "车间,吸纳人数\n")],
            )  # fmt: skip
            actions.review_reply(city_user, reply, accept=True)


def _replies(county_user, task: Task) -> None:
    """The first township: reported, returned, reported again, accepted as done; the others: nothing
    (overdue)."""
    parts = list(task.assignments.select_related("area").order_by("area_id"))
    township_user = _user(parts[0].area.short_code) if parts else None
    reporter = township_user or county_user
    if not parts or not actions.can_reply(reporter, parts[0]):
        return
    first = actions.submit_reply(
        reporter, parts[0], content="已核实 1,204 户，更正务工地点 37 人。", progress="办结"
    )
    actions.review_reply(county_user, first, accept=False, reason="请附更正人员名单。")
    second = actions.submit_reply(
        reporter, parts[0], content="已核实 1,204 户，更正务工地点 37 人，名单见附件。", progress="办结",
        files=[_file("更正人员名单.csv", "姓名,更正内容\n")],
    )  # fmt: skip
    actions.review_reply(county_user, second, accept=True)
    if len(parts) > 1 and township_user is not None and actions.can_reply(township_user, parts[1]):
        actions.submit_reply(
            township_user, parts[1], content="已完成 6 个村，其余正在核实。", progress="进行中"
        )


def _ledger(county_user, county: Area, townships: list[Area], task: Task) -> None:
    from bangfu.tracking.models import Warning

    today = timezone.localdate()
    first = townships[0]
    actions.create_rectification(
        county_user, area=first, unit=f"{first.name}人社服务站", source="督查", task=task,
        problem="部分脱贫劳动力务工地点与实际不符", measures="逐户电话核实，更正名册",
        deadline=today + dt.timedelta(days=20),
    )  # fmt: skip
    actions.create_rectification(
        county_user, area=townships[min(1, len(townships) - 1)], unit="乡镇社会保障服务站", source="审计",
        problem="公益性岗位人员考勤台账不全", deadline=today - dt.timedelta(days=10),
    )  # fmt: skip
    done = actions.create_rectification(
        county_user, area=first, unit=f"{first.name}人社服务站", source="自查",
        problem="就业帮扶政策公示栏未更新", measures="更新公示栏内容", deadline=today - dt.timedelta(days=3),
        files=[_file("公示栏照片说明.txt", "已更新（演示）")],
    )  # fmt: skip
    actions.update_rectification(county_user, done, measures="已更新公示栏内容", status=RectStatus.DONE)
    actions.close_rectification(county_user, done, on=today, note="经现场核查，已整改到位。")
    warning = Warning.objects.for_area(county).filter(status="待处理").order_by("id").first()
    if warning is not None:
        actions.create_rectification(
            county_user, area=warning.area, unit="村委会", source="上级通报", warning=warning,
            problem=f"预警长期未处理：{warning.kind}", deadline=today + dt.timedelta(days=7),
        )  # fmt: skip
