"""Writes of the public-welfare posts: open and close a post, put a holder on it and take them off, and
record a month's duty. A holder's spell is an employment record of channel 公益性岗位, made and ended
through employment's actions in the same transaction, so the registry's 务工状态 stays true. Every write is
one transaction with its audit event."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bangfu.areas.models import Area, Level
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employment import actions as employment
from bangfu.employment.models import Channel, EmploymentRecord, Source
from bangfu.posts.models import Duty, Post, PostType, Spell, held_in, month_bounds
from bangfu.registry.models import Person

SOURCE_REF = "公益性岗位:{number}"  # EmploymentRecord.source_ref of a holder's record


def _in_scope(actor, area: Area) -> bool:
    return actor is None or Area.objects.for_user(actor).filter(pk=area.pk).exists()


def check_post_area(area: Area) -> None:
    if area.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise ValidationError("公益性岗位设在村（社区）或乡镇（街道）：请选择村或乡镇。")


@transaction.atomic
def create_post(
    actor,
    *,
    area: Area,
    number: str,
    kind: str,
    title: str,
    opened_on: dt.date,
    duties: str = "",
    host_unit: str = "",
) -> Post:
    if not _in_scope(actor, area):
        raise PermissionDenied("该区域不在您的管辖范围内。")
    check_post_area(area)
    if kind not in PostType.values:
        raise ValidationError(f"岗位类型只能是：{'、'.join(PostType.values)}。")
    number = number.strip()
    if not number:
        raise ValidationError("请填写岗位编号。")
    if Post.objects.filter(county_code=area.code[:6], number=number).exists():
        raise ValidationError(f"本县已有岗位编号 {number}：岗位编号在县内不能重复。")
    post = Post(
        area=area,
        number=number,
        kind=kind,
        title=title.strip(),
        opened_on=opened_on,
        duties=duties.strip(),
        host_unit=host_unit.strip(),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    post.save()
    audit(Action.CREATE, actor=actor, obj=post, message=f"设立公益性岗位：{post}", after=snapshot(post))
    return post


@transaction.atomic
def update_post(actor, post: Post, **values) -> Post:
    """Change what a post is (type, name, duties, host unit, opening day); its number and area stay."""
    if not _in_scope(actor, post.area):
        raise PermissionDenied("该岗位不在您的管辖区域内。")
    post = Post.objects.select_for_update().get(pk=post.pk)
    allowed = {"kind", "title", "duties", "host_unit", "opened_on"}
    changed = {k: v for k, v in values.items() if k in allowed and getattr(post, k) != v}
    if not changed:
        return post
    if "kind" in changed and changed["kind"] not in PostType.values:
        raise ValidationError(f"岗位类型只能是：{'、'.join(PostType.values)}。")
    first = post.spells.order_by("started_on").values_list("started_on", flat=True).first()
    if "opened_on" in changed and first and changed["opened_on"] > first:
        raise ValidationError(f"设岗日期不能晚于第一次上岗日期（{first}）。")
    before = snapshot(post, list(changed))
    for name, value in changed.items():
        setattr(post, name, value)
    post.save()
    audit(
        Action.UPDATE,
        actor=actor,
        obj=post,
        message=f"修改公益性岗位：{post}",
        before=before,
        after=snapshot(post, list(changed)),
    )
    return post


@transaction.atomic
def close_post(actor, post: Post, closed_on: dt.date) -> Post:
    """Close a post on `closed_on` (its last day); a holder still on it leaves on that day."""
    if not _in_scope(actor, post.area):
        raise PermissionDenied("该岗位不在您的管辖区域内。")
    post = Post.objects.select_for_update().get(pk=post.pk)
    if post.closed_on is not None:
        raise ValidationError("该岗位已经撤销。")
    if closed_on < post.opened_on:
        raise ValidationError("撤岗日期不能早于设岗日期。")
    if post.spells.filter(started_on__gt=closed_on).exists():
        raise ValidationError("撤岗日期之后还有人员上岗：请先核对在岗记录。")
    for spell in post.spells.filter(held_in(closed_on, dt.date.max)).filter(ended_on__isnull=True):
        end_spell(actor, spell, closed_on, note="岗位撤销")
    post.closed_on = closed_on
    post.save(update_fields=["closed_on", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=post,
        message=f"撤销公益性岗位：{post}，{closed_on}",
        after={"closed_on": closed_on.isoformat()},
    )
    return post


def spell_problem(post: Post, person: Person, started_on: dt.date, ended_on: dt.date | None) -> str:
    """Why this spell cannot be recorded ("" when it can): the post closed or not yet opened, the person
    dead, or another holder on the post in the same days (a post has one holder at a time)."""
    if started_on < post.opened_on:
        return f"上岗日期早于岗位设立日期（{post.opened_on}）"
    if post.closed_on is not None and (
        started_on > post.closed_on or (ended_on or dt.date.max) > post.closed_on
    ):
        return f"岗位已于 {post.closed_on} 撤销"
    if ended_on is not None and ended_on < started_on:
        return "离岗日期不能早于上岗日期"
    if person.is_deceased and (person.died_on is None or person.died_on <= started_on):
        return "该人员已去世"
    other = (
        Spell.objects.filter(post=post)
        .exclude(person=person, started_on=started_on)
        .filter(held_in(started_on, ended_on or dt.date.max))
        .select_related("person")
        .first()
    )
    if other is not None:
        return f"该岗位同期已有在岗人员 {other.person.name}（{other.started_on} 上岗）"
    return ""


@transaction.atomic
def start_spell(
    actor,
    post: Post,
    person: Person,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    *,
    check_scope: bool = True,
    source: str = Source.MANUAL,
) -> Spell:
    """Put `person` on `post` from `started_on` (to `ended_on`, when the spell is already over), with
    their employment record of channel 公益性岗位. `check_scope=False` for an importer that checked."""
    if check_scope:
        if not _in_scope(actor, post.area):
            raise PermissionDenied("该岗位不在您的管辖区域内。")
        if not Person.objects.for_user(actor).filter(pk=person.pk).exists():
            raise PermissionDenied("该人员不在您的管辖区域内。")
    problem = spell_problem(post, person, started_on, ended_on)
    if problem:
        raise ValidationError(problem + "。")
    if Spell.objects.filter(post=post, person=person, started_on=started_on).exists():
        raise ValidationError("该人员在此岗位的这条在岗记录已经登记。")
    record = EmploymentRecord(
        employer_name=(post.host_unit or post.title)[:100],
        work_area=post.area,
        channel=Channel.WELFARE_POST,
        started_on=started_on,
        ended_on=ended_on,
        source=source,
        source_ref=SOURCE_REF.format(number=post.number),
    )
    record = employment.create_record(
        actor, person, record, check_scope=False, message=f"公益性岗位上岗：{person.name}，{post}"
    )
    spell = Spell.objects.create(
        post=post, person=person, area=post.area, started_on=started_on, ended_on=ended_on, record=record
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=spell,
        message=f"公益性岗位上岗：{person.name}，{post}，{started_on}",
        after=snapshot(spell),
    )
    return spell


@transaction.atomic
def end_spell(actor, spell: Spell, ended_on: dt.date, *, note: str = "", check_scope: bool = True) -> Spell:
    """Take the holder off the post on `ended_on` (their last day), ending their employment record."""
    spell = (
        Spell.objects.select_for_update(of=("self",))
        .select_related("post", "person", "record")
        .get(pk=spell.pk)
    )
    if check_scope and not _in_scope(actor, spell.area):
        raise PermissionDenied("该在岗记录不在您的管辖区域内。")
    if spell.ended_on is not None:
        raise ValidationError("该人员已经离岗。")
    if ended_on < spell.started_on:
        raise ValidationError("离岗日期不能早于上岗日期。")
    spell.ended_on = ended_on
    spell.save(update_fields=["ended_on", "updated_at"])
    if spell.record is not None and spell.record.ended_on is None:
        employment.end_record(actor, spell.record, ended_on, note=note or "公益性岗位离岗", check_scope=False)
    audit(
        Action.UPDATE,
        actor=actor,
        obj=spell,
        message=f"公益性岗位离岗：{spell.person.name}，{spell.post}，{ended_on}"
        + (f"（{note}）" if note else ""),
        after={"ended_on": ended_on.isoformat()},
    )
    return spell


def holders_in(area: Area, month: str):
    """The spells on the posts of `area` itself held some day of `month` (a duty sheet's lines)."""
    first, last = month_bounds(month)
    return Spell.objects.filter(area=area).filter(held_in(first, last))


def duty_area(person: Person, month: str, within: Area) -> Area | None:
    """The area of the post `person` held in `month` inside `within` (the earliest spell), None if none."""
    first, last = month_bounds(month)
    spell = (
        Spell.objects.for_area(within)
        .filter(held_in(first, last), person=person)
        .order_by("started_on", "id")
        .select_related("area")
        .first()
    )
    return spell.area if spell else None


def check_duty(month: str, days_on_duty: int, days_due: int) -> None:
    from bangfu.posts.rows import month_days

    length = month_days(month)
    if not 1 <= days_due <= length:
        raise ValidationError(f"应出勤天数应在 1 到 {length} 天之间。")
    if not 0 <= days_on_duty <= days_due:
        raise ValidationError(f"在岗天数应在 0 到应出勤天数（{days_due} 天）之间。")


@transaction.atomic
def save_duty(
    actor,
    person: Person,
    month: str,
    days_on_duty: int,
    days_due: int,
    *,
    within: Area | None = None,
    check_scope: bool = True,
) -> tuple[Duty, bool]:
    """Record `person`'s duty in `month` (one row per person and month: saving again replaces it). The
    person must hold a post in the actor's area (`within`) that month. Returns (duty, changed)."""
    within = within or getattr(actor, "area", None)
    if within is None:
        raise PermissionDenied("请以区域工作人员身份填报出勤。")
    check_duty(month, days_on_duty, days_due)
    area = duty_area(person, month, within)
    if area is None:
        raise ValidationError(f"{person.name} 在 {month} 没有本区域公益性岗位的在岗记录。")
    if check_scope and not _in_scope(actor, area):
        raise PermissionDenied("该岗位不在您的管辖区域内。")
    duty = Duty.objects.select_for_update().filter(person=person, month=month).first()
    who = actor if getattr(actor, "pk", None) else None
    if duty is None:
        duty = Duty.objects.create(
            person=person,
            area=area,
            month=month,
            days_on_duty=days_on_duty,
            days_due=days_due,
            updated_by=who,
        )
        audit(
            Action.CREATE,
            actor=actor,
            obj=duty,
            message=f"填报出勤：{person.name}，{month}，在岗 {days_on_duty}/{days_due} 天",
            after=snapshot(duty),
        )
        return duty, True
    if (duty.days_on_duty, duty.days_due) == (days_on_duty, days_due):
        return duty, False
    if check_scope and not _in_scope(actor, duty.area):
        raise PermissionDenied("该出勤记录不在您的管辖区域内。")
    before = snapshot(duty, ["days_on_duty", "days_due"])
    duty.days_on_duty, duty.days_due, duty.updated_by = days_on_duty, days_due, who
    duty.save(update_fields=["days_on_duty", "days_due", "updated_by", "updated_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=duty,
        message=f"修改出勤：{person.name}，{month}，在岗 {days_on_duty}/{days_due} 天",
        before=before,
        after=snapshot(duty, ["days_on_duty", "days_due"]),
    )
    return duty, True
