"""Loading the shipped division codes into the database; listing areas in designations (认定: 贫困村, 脱贫村,
重点帮扶县 …), each write audited in its transaction."""

import datetime
import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bangfu.areas import dataset
from bangfu.areas.models import (
    DESIGNATION_LEVELS,
    NATION_CODE,
    SUCCEEDS,
    Area,
    AreaCodeChange,
    Designation,
    DesignationKind,
    DesignationSource,
    Level,
    exclusive_with,
)
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.audit.log import record, snapshot
from bangfu.audit.models import Action

BATCH_SIZE = 5000


@dataclass
class LoadResult:
    loaded: int
    retired: int
    code_changes: int


def _wanted(division: dataset.Division, prefixes: tuple[str, ...]) -> bool:
    """Keep a division inside one of the prefixes, or an ancestor of one."""
    natural = division.code[: LEVEL_DIGITS[division.level]]
    return any(division.code.startswith(p) or p.startswith(natural) for p in prefixes)


def _nation() -> Area:
    area, _ = Area.objects.get_or_create(
        code=NATION_CODE, defaults={"name": "全国", "full_name": "全国", "level": Level.NATION}
    )
    return area


@transaction.atomic
def load_areas(
    *, province: str | None = None, within: Iterable[str] = (), actor=None, progress=None
) -> LoadResult:
    """Insert or update the divisions of the whole country, one province, or some subtrees.

    `within` lists natural-length code prefixes (e.g. "433124"): only those subtrees and their ancestors
    are loaded. Re-running is safe: names are updated, nothing is duplicated, and codes that vanished
    from a fully loaded scope are kept but marked as no longer current.
    """
    nation = _nation()
    prefixes = tuple(within)
    full_names: dict[str, str] = {NATION_CODE: ""}
    batch: list[Area] = []
    seen: set[str] = set()
    loaded = 0

    def flush():
        Area.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "full_name", "level", "parent", "is_current"],
            batch_size=BATCH_SIZE,
        )
        batch.clear()

    if prefixes and province is None:  # only the provinces the subtrees lie in are read
        provinces = sorted({p[:2] for p in prefixes})
        divisions = itertools.chain.from_iterable(dataset.iter_divisions(p) for p in provinces)
    else:
        divisions = dataset.iter_divisions(province)
    for division in divisions:
        if prefixes and not _wanted(division, prefixes):
            continue
        parent = division.parent_code or nation.code
        full_name = full_names.get(parent, "") + division.name
        if division.level < Level.VILLAGE:
            full_names[division.code] = full_name
        batch.append(
            Area(
                code=division.code,
                name=division.name,
                full_name=full_name,
                level=division.level,
                parent_id=parent,
                is_current=True,
            )
        )
        seen.add(division.code)
        loaded += 1
        if len(batch) >= BATCH_SIZE:
            flush()
            if progress:
                progress(loaded)
    flush()

    retired = 0
    if not prefixes:
        scope = Area.objects.exclude(code=NATION_CODE).filter(is_current=True)
        if province:
            scope = scope.for_area(Area.objects.get(code=dataset.pad_code(province)))
        stale = [code for code in scope.values_list("code", flat=True).iterator() if code not in seen]
        for start in range(0, len(stale), BATCH_SIZE):
            retired += Area.objects.filter(code__in=stale[start : start + BATCH_SIZE]).update(
                is_current=False
            )

    changes = load_code_changes()
    record(
        Action.IMPORT,
        actor=actor,
        area_code=NATION_CODE if not province else dataset.pad_code(province),
        message=f"载入 {dataset.DATASET_YEAR} 年统计用区划代码 {loaded} 条"
        + (f"（{province}）" if province else "")
        + (f"，停用 {retired} 条" if retired else ""),
    )
    return LoadResult(loaded=loaded, retired=retired, code_changes=changes)


def load_code_changes() -> int:
    """Record old → current code mappings whose current code is loaded."""
    present = None
    changes = list(dataset.iter_code_changes())
    if changes:
        present = set(
            Area.objects.filter(code__in={c.new_code for c in changes}).values_list("code", flat=True)
        )
    rows = [
        AreaCodeChange(old_code=c.old_code, new_area_id=c.new_code, last_year=c.last_year, note=c.note)
        for c in changes
        if present and c.new_code in present and c.old_code != c.new_code
    ]
    AreaCodeChange.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["old_code"],
        update_fields=["new_area", "last_year", "note"],
        batch_size=BATCH_SIZE,
    )
    return len(rows)


# --- designations (认定) ---------------------------------------------------------------------------------


def can_set_designations(user, area: Area) -> bool:
    """Listing an area is for the levels above it: staff who may manage users, of an area strictly above
    (a county lists its villages as 贫困村, a province its counties as 重点帮扶县). The command line (no
    user) imports as the staff of its --area would."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff_account
        and user.can_manage_users
        and user.area_id
        and user.area_id != area.code
        and user.area.contains(area)
    )


def check_level(kind: str, area: Area) -> None:
    """A 贫困村 is a village, a 重点帮扶县 a county …: ValidationError (Chinese) for an area of another
    level."""
    wanted = DESIGNATION_LEVELS[kind]
    if area.level != wanted:
        raise ValidationError(
            f"{DesignationKind(kind).label}只能认定给{Level(wanted).label}区域；"
            f"{area.name}（{area.code}）是{Level(area.level).label}区域"
        )


@dataclass
class Listing:
    """What a page or a file row asks for: one area in one kind over one period."""

    area: Area
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date | None = None
    basis: str = ""


def _check_period(starts_on, ends_on) -> None:
    if ends_on is not None and ends_on <= starts_on:
        raise ValidationError("终止日期应晚于起始日期（终止日期当天起不再具有此认定）")


def _overlapping(listing: Listing, exclude_pk=None):
    """Stored valid listings of the area that share a day with `listing` in a kind exclusive with its kind."""
    found = Designation.objects.valid().filter(area=listing.area, kind__in=exclusive_with(listing.kind))
    if listing.ends_on is not None:
        found = found.filter(starts_on__lt=listing.ends_on)
    found = found.filter(Q(ends_on__isnull=True) | Q(ends_on__gt=listing.starts_on))
    return list(found.exclude(pk=exclude_pk).select_for_update().order_by("starts_on"))


def _succession(
    listing: Listing, clashes: list[Designation]
) -> tuple[list[Designation], datetime.date | None]:
    """The stored listings the new one closes (a 脱贫村 from D ends the 贫困村 open on D) and the end the new
    one takes (a 贫困村 entered after its village's 脱贫村 ends where the 脱贫村 starts); ValidationError
    when a
    clash is not a succession."""
    to_end, ends_on = [], listing.ends_on
    for other in clashes:
        if SUCCEEDS.get(listing.kind) == other.kind and other.starts_on < listing.starts_on:
            to_end.append(other)  # the predecessor ends the day the successor starts
        elif SUCCEEDS.get(other.kind) == listing.kind and listing.starts_on < other.starts_on:
            ends_on = other.starts_on if ends_on is None else min(ends_on, other.starts_on)
        else:
            raise ValidationError(
                f"与已有认定“{other.get_kind_display()}（{other.period}）”时间重叠；请先修改或终止那条认定"
            )
    if to_end and listing.ends_on is not None:
        later = [o for o in to_end if o.ends_on is None or o.ends_on > listing.ends_on]
        if later:
            raise ValidationError(f"与已有认定“{later[0].get_kind_display()}（{later[0].period}）”时间重叠")
    return to_end, ends_on


def effective(listing: Listing) -> Listing:
    """The listing as it would be stored: a 贫困村 given without an end ends where its village's stored
    脱贫村 starts (so importing the same file twice changes nothing)."""
    _check_period(listing.starts_on, listing.ends_on)
    clashes = [c for c in _overlapping(listing) if c.kind != listing.kind or c.starts_on != listing.starts_on]
    _, ends_on = _succession(listing, clashes)
    return Listing(listing.area, listing.kind, listing.starts_on, ends_on, listing.basis)


def _audit(action, actor, designation, message, before=None, after=None):
    record(
        action,
        actor=actor,
        obj=designation,
        area_code=designation.area_id,
        message=message,
        before=before,
        after=after,
    )


DESIGNATION_FIELDS = ("area", "kind", "starts_on", "ends_on", "basis", "source", "voided_at", "void_reason")


def _end_predecessors(actor, to_end: list[Designation], day: datetime.date, why: str) -> None:
    for other in to_end:
        before = snapshot(other, DESIGNATION_FIELDS)
        other.ends_on = day
        other.save(update_fields=["ends_on", "updated_at"])
        _audit(
            Action.UPDATE, actor, other,
            f"{why}：{other.area.name}{other.get_kind_display()}于 {day:%Y-%m-%d} 终止",
            before, snapshot(other, DESIGNATION_FIELDS),
        )  # fmt: skip


def _save_new(actor, listing: Listing, source: str) -> Designation:
    check_level(listing.kind, listing.area)
    _check_period(listing.starts_on, listing.ends_on)
    to_end, ends_on = _succession(listing, _overlapping(listing))
    designation = Designation(
        area=listing.area, kind=listing.kind, starts_on=listing.starts_on, ends_on=ends_on,
        basis=listing.basis, source=source, created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    designation.save()
    _audit(
        Action.CREATE,
        actor,
        designation,
        f"新增区域认定：{designation}",
        after=snapshot(designation, DESIGNATION_FIELDS),
    )
    _end_predecessors(actor, to_end, listing.starts_on, f"认定为{designation.get_kind_display()}")
    designation.ended_others = len(to_end)
    return designation


def _require(actor, area: Area) -> None:
    if not can_set_designations(actor, area):
        raise PermissionDenied("您不能登记该区域的认定：区域认定由上级区域登记，且须有管理权限。")


@transaction.atomic
def add_designation(actor, listing: Listing, *, source: str = DesignationSource.PAGE) -> Designation:
    """List an area in a kind from a day (a 脱贫村 from its exit day ends its open 贫困村 listing that
    day)."""
    _require(actor, listing.area)
    Area.objects.select_for_update().filter(pk=listing.area.pk).first()  # one writer per area at a time
    return _save_new(actor, listing, source)


@transaction.atomic
def change_designation(
    actor, designation: Designation, *, starts_on, ends_on, basis: str, reason: str
) -> Designation:
    """Correct or end a listing; what it was stays in the audit log (the history page shows it)."""
    _require(actor, designation.area)
    designation = Designation.objects.select_for_update().select_related("area").get(pk=designation.pk)
    if designation.voided:
        raise ValidationError("该认定已作废，不能修改。")
    if not reason.strip():
        raise ValidationError("请填写修改原因。")
    _check_period(starts_on, ends_on)
    listing = Listing(designation.area, designation.kind, starts_on, ends_on, basis)
    for other in _overlapping(listing, exclude_pk=designation.pk):
        raise ValidationError(
            f"与已有认定“{other.get_kind_display()}（{other.period}）”时间重叠；请先修改那条认定"
        )
    before = snapshot(designation, DESIGNATION_FIELDS)
    designation.starts_on, designation.ends_on, designation.basis = starts_on, ends_on, basis
    designation.save()
    after = snapshot(designation, DESIGNATION_FIELDS)
    if after != before:
        _audit(
            Action.UPDATE,
            actor,
            designation,
            f"修改区域认定：{designation}。原因：{reason.strip()}",
            before,
            after,
        )
    return designation


@transaction.atomic
def end_designation(actor, designation: Designation, ends_on: datetime.date, reason: str = "") -> Designation:
    """The area no longer carries the designation from `ends_on` (a 重点帮扶县 dropped from the list)."""
    return change_designation(
        actor, designation, starts_on=designation.starts_on, ends_on=ends_on, basis=designation.basis,
        reason=reason or f"{ends_on:%Y-%m-%d} 起终止",
    )  # fmt: skip


@transaction.atomic
def void_designation(actor, designation: Designation, reason: str) -> Designation:
    """A listing entered by mistake: kept for the history, never in force again."""
    _require(actor, designation.area)
    designation = Designation.objects.select_for_update().select_related("area").get(pk=designation.pk)
    if designation.voided:
        raise ValidationError("该认定已作废。")
    if not reason.strip():
        raise ValidationError("请填写作废原因。")
    before = snapshot(designation, DESIGNATION_FIELDS)
    designation.voided_at, designation.void_reason = timezone.now(), reason.strip()[:200]
    designation.save(update_fields=["voided_at", "void_reason", "updated_at"])
    _audit(
        Action.UPDATE, actor, designation, f"作废区域认定：{designation}。原因：{designation.void_reason}",
        before, snapshot(designation, DESIGNATION_FIELDS),
    )  # fmt: skip
    return designation


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ended: int = 0  # stored listings ended by a successor (贫困村 → 脱贫村)


def save_listing(
    actor, listing: Listing, counts: ImportCounts, *, source: str = DesignationSource.IMPORT
) -> Designation:
    """One row of a designations file, inside the import's transaction: created, updated (its end or
    basis; audited with the old values) or left as it is. ValidationError when it clashes."""
    check_level(listing.kind, listing.area)
    stored = (
        Designation.objects.valid()
        .select_for_update()
        .filter(area=listing.area, kind=listing.kind, starts_on=listing.starts_on)
        .first()
    )
    if stored is None:
        designation = _save_new(actor, listing, source)
        counts.created += 1
        counts.ended += designation.ended_others
        return designation
    wanted = effective(listing)
    if (stored.ends_on, stored.basis) == (wanted.ends_on, wanted.basis or stored.basis):
        counts.unchanged += 1
        return stored
    before = snapshot(stored, DESIGNATION_FIELDS)
    clash = _overlapping(wanted, exclude_pk=stored.pk)
    clash = [c for c in clash if not (SUCCEEDS.get(c.kind) == wanted.kind and c.starts_on < wanted.starts_on)]
    if clash:
        raise ValidationError(f"与已有认定“{clash[0].get_kind_display()}（{clash[0].period}）”时间重叠")
    stored.ends_on, stored.basis = wanted.ends_on, wanted.basis or stored.basis
    stored.source = source
    stored.save()
    counts.updated += 1
    _audit(
        Action.UPDATE,
        actor,
        stored,
        f"导入修改区域认定：{stored}",
        before,
        snapshot(stored, DESIGNATION_FIELDS),
    )
    return stored
