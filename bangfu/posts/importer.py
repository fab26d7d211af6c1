"""The posts file and the duty file (EXCHANGE §10): `bangfu import posts|duty FILE --area CODE` and 导入 on
the pages, in two phases — read and check every row, then save the valid ones in one transaction (a crash
saves nothing), each row in a savepoint so that a row the records refuse is reported and the others kept.

A post is identified by (county, 岗位编号) and a holder's spell by (post, 证件号码, 上岗日期); a duty row by
(证件号码, 年月). Importing the same file again changes nothing; a 离岗日期 added later ends the spell (and
its employment record), a changed duty replaces the month's duty.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area, Level
from bangfu.audit import batches as audited
from bangfu.core import batches
from bangfu.core.batches import ImportStatus
from bangfu.core.files import shown_names
from bangfu.employment.models import Source
from bangfu.exchange.errors import error_list
from bangfu.exchange.report import CellError, RowProblem
from bangfu.exchange.spreadsheet import SpreadsheetError, open_sheet
from bangfu.posts import actions, rows
from bangfu.posts.models import ImportKind, Post, PostImport, Spell, held_in, month_bounds
from bangfu.registry.models import Person


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class Validation:
    header: list[str]
    total_rows: int = 0
    checked: list[tuple[object, object]] = field(default_factory=list)  # (row record, sheet row)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    areas: dict[str, Area] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)


def _read(path: Path, columns, clean) -> tuple[Validation, list]:
    sheet = open_sheet(path, columns)
    validation = Validation(header=sheet.header)
    today = timezone.localdate()
    cleaned = []
    for row in sheet.rows():
        validation.total_rows += 1
        record, errors = clean(row.cells, today=today, row_number=row.number)
        if record is None:
            validation.problems.append(RowProblem(row.number, row.raw, errors))
        else:
            cleaned.append((record, row))
    validation.warnings = list(sheet.warnings)
    return validation, cleaned


def _refuse(validation: Validation, row, column, value, reason: str) -> None:
    validation.problems.append(RowProblem(row.number, row.raw, [CellError(column, value, reason)]))


def validate_posts_file(path: Path, area: Area) -> Validation:
    """Phase one of a posts file: every row checked, nothing written. SpreadsheetError when unusable."""
    validation, cleaned = _read(path, rows.POST_COLUMNS, rows.clean_post_row)
    place = area.full_name or area.name
    found = Area.objects.for_area(area).in_bulk({r.area_code for r, _ in cleaned})
    people = Person.objects.for_area(area).in_bulk(
        {r.id_number for r, _ in cleaned if r.id_number}, field_name="id_number"
    )
    stored = {
        (p.county_code, p.number): p
        for p in Post.objects.filter(number__in={r.number for r, _ in cleaned}).select_related("area")
    }
    first_of_post: dict[tuple[str, str], tuple] = {}
    seen_spells: dict[tuple, int] = {}
    for record, row in cleaned:
        where = found.get(record.area_code)
        if where is None:
            _refuse(
                validation, row, rows.AREA, record.area_code, f"不在导入区域（{place}）内，或没有这个区划代码"
            )
            continue
        if where.level not in (Level.TOWNSHIP, Level.VILLAGE):
            _refuse(validation, row, rows.AREA, record.area_code, "公益性岗位设在村（社区）或乡镇（街道）")
            continue
        key = (record.area_code[:6], record.number)
        earlier = first_of_post.setdefault(key, (record, row))
        if earlier[0] is not record and (earlier[0].area_code, earlier[0].kind, earlier[0].title) != (
            record.area_code,
            record.kind,
            record.title,
        ):
            _refuse(
                validation,
                row,
                rows.NUMBER,
                record.number,
                f"与第 {earlier[1].number} 行同一岗位编号的区划代码、岗位类型或岗位名称不一致",
            )
            continue
        post = stored.get(key)
        if post is not None and post.area_id != record.area_code:
            _refuse(
                validation,
                row,
                rows.NUMBER,
                record.number,
                f"本县岗位编号 {record.number} 已用于{post.area.name}的岗位",
            )
            continue
        if record.id_number:
            person = people.get(record.id_number)
            if person is None:
                _refuse(
                    validation, row, rows.ID, record.id_number, f"导入区域（{place}）的名册中没有此证件号码"
                )
                continue
            if person.name != record.name:
                _refuse(validation, row, rows.NAME, record.name, f"与名册中的姓名（{person.name}）不一致")
                continue
            if record.spell_key in seen_spells:
                _refuse(
                    validation,
                    row,
                    None,
                    None,
                    f"与第 {seen_spells[record.spell_key]} 行重复（岗位编号、证件号码、上岗日期相同）",
                )
                continue
            seen_spells[record.spell_key] = row.number
            validation.people[record.id_number] = person
        validation.areas[record.area_code] = where
        validation.checked.append((record, row))
    return validation


@transaction.atomic
def save_posts(validation: Validation, *, actor) -> Counts:
    """Phase two, one transaction: each post once (created, or its type and name brought up to date), then
    its spells in order of 上岗日期, each in its own savepoint."""
    counts = Counts()
    by_post: dict[tuple[str, str], list] = defaultdict(list)
    for record, row in validation.checked:
        by_post[(record.area_code[:6], record.number)].append((record, row))
    today = timezone.localdate()
    for (county, number), items in by_post.items():
        items.sort(key=lambda item: (item[0].started_on or dt.date.max, item[1].number))
        head = items[0][0]
        starts = [r.started_on for r, _ in items if r.started_on]
        opened = min(starts, default=today)
        try:
            with transaction.atomic():
                post = Post.objects.filter(county_code=county, number=number).first()
                if post is None:
                    post = actions.create_post(
                        actor,
                        area=validation.areas[head.area_code],
                        number=number,
                        kind=head.kind,
                        title=head.title,
                        opened_on=opened,
                    )
                    counts.created += 1
                else:
                    wanted = {
                        "kind": head.kind,
                        "title": head.title,
                        "opened_on": min(opened, post.opened_on),
                    }
                    if any(getattr(post, k) != v for k, v in wanted.items()):
                        post = actions.update_post(actor, post, **wanted)
                        counts.updated += 1
                    elif not starts:
                        counts.unchanged += 1
        except (ValidationError, PermissionDenied) as exc:
            for _, row in items:
                _refuse(validation, row, None, None, "；".join(getattr(exc, "messages", [str(exc)])))
            continue
        for record, row in items:
            if not record.id_number:
                continue
            try:
                with transaction.atomic():
                    _save_spell(actor, post, record, validation.people[record.id_number], counts)
            except (ValidationError, PermissionDenied) as exc:
                _refuse(validation, row, None, None, "；".join(getattr(exc, "messages", [str(exc)])))
    validation.problems.sort(key=lambda p: p.row_number)
    return counts


def _save_spell(actor, post: Post, record: rows.PostRow, person: Person, counts: Counts) -> None:
    spell = Spell.objects.filter(post=post, person=person, started_on=record.started_on).first()
    if spell is None:
        actions.start_spell(
            actor, post, person, record.started_on, record.ended_on, check_scope=False, source=Source.IMPORT
        )
        counts.created += 1
    elif spell.ended_on == record.ended_on:
        counts.unchanged += 1
    elif spell.ended_on is None:
        actions.end_spell(actor, spell, record.ended_on, check_scope=False)
        counts.updated += 1
    else:
        raise ValidationError(f"该在岗记录已于 {spell.ended_on} 离岗，不能改为{record.ended_on or '在岗'}")


def validate_duty_file(path: Path, area: Area) -> Validation:
    """Phase one of a duty file: every row checked, nothing written. SpreadsheetError when unusable."""
    validation, cleaned = _read(path, rows.DUTY_COLUMNS, rows.clean_duty_row)
    place = area.full_name or area.name
    people = Person.objects.in_bulk({r.id_number for r, _ in cleaned}, field_name="id_number")
    months = {r.month for r, _ in cleaned}
    held: set[tuple[int, str]] = set()
    for month in months:
        first, last = month_bounds(month)
        for person_id in (
            Spell.objects.for_area(area)
            .filter(held_in(first, last), person__in=[p.pk for p in people.values()])
            .values_list("person_id", flat=True)
        ):
            held.add((person_id, month))
    seen: dict[tuple, int] = {}
    for record, row in cleaned:
        person = people.get(record.id_number)
        if person is None or (person.pk, record.month) not in held:
            _refuse(
                validation,
                row,
                rows.ID,
                record.id_number,
                f"该人员 {record.month} 不在导入区域（{place}）的公益性岗位上",
            )
            continue
        if person.name != record.name:
            _refuse(validation, row, rows.NAME, record.name, f"与名册中的姓名（{person.name}）不一致")
            continue
        key = (record.id_number, record.month)
        if key in seen:
            _refuse(validation, row, None, None, f"与第 {seen[key]} 行重复（证件号码、年月相同）")
            continue
        seen[key] = row.number
        validation.people[record.id_number] = person
        validation.checked.append((record, row))
    return validation


@transaction.atomic
def save_duty_rows(validation: Validation, *, actor, area: Area) -> Counts:
    counts = Counts()
    for record, row in validation.checked:
        person = validation.people[record.id_number]
        try:
            with transaction.atomic():
                existed = actions.Duty.objects.filter(person=person, month=record.month).exists()
                _, changed = actions.save_duty(
                    actor,
                    person,
                    record.month,
                    record.days_on_duty,
                    record.days_due,
                    within=area,
                    check_scope=False,
                )
        except (ValidationError, PermissionDenied) as exc:
            _refuse(validation, row, None, None, "；".join(getattr(exc, "messages", [str(exc)])))
            continue
        if not changed:
            counts.unchanged += 1
        elif existed:
            counts.updated += 1
        else:
            counts.created += 1
    validation.problems.sort(key=lambda p: p.row_number)
    return counts


def create_post_import(kind: str, *, area: Area, user, path: Path | None = None, upload=None, name: str = ""):
    batch = PostImport(kind=kind, area=area, user=user if getattr(user, "pk", None) else None)
    return audited.keep(batch, path=path, upload=upload, name=name)


def run_post_import(batch: PostImport, *, report_path: Path | None = None) -> PostImport:
    """Both phases for one batch; a failure leaves nothing saved (phase two is one transaction)."""
    batches.start(batch)
    try:
        return _run(batch, report_path=report_path)
    except Exception as exc:
        audited.fail_if_running(batch, exc)
        raise


def _run(batch: PostImport, *, report_path) -> PostImport:
    try:
        if batch.kind == ImportKind.POSTS:
            validation = validate_posts_file(Path(batch.file.path), batch.area)
        else:
            validation = validate_duty_file(Path(batch.file.path), batch.area)
    except SpreadsheetError as exc:
        return audited.finish(batch, status=ImportStatus.FAILED, message=shown_names(exc.message, batch))
    if batch.kind == ImportKind.POSTS:
        counts = save_posts(validation, actor=batch.user)
    else:
        counts = save_duty_rows(validation, actor=batch.user, area=batch.area)
    batch.total_rows = validation.total_rows
    batch.error_rows = len({p.row_number for p in validation.problems})
    batch.valid_rows = batch.total_rows - batch.error_rows
    batch.errors = error_list(validation.problems)
    batch.created, batch.updated, batch.unchanged = counts.created, counts.updated, counts.unchanged
    if validation.problems:
        batches.attach_report(batch, validation.header, validation.problems, report_path)
    summary = (
        f"共 {batch.total_rows} 行：有效 {batch.valid_rows}，错误 {batch.error_rows}；"
        f"新增 {counts.created}、更新 {counts.updated}、未变化 {counts.unchanged}"
    )
    return audited.finish(batch, status=ImportStatus.DONE, message="；".join([summary, *validation.warnings]))
