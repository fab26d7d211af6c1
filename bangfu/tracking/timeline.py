"""A laborer's trajectory (就业轨迹) as one list, newest first: employment records (started, ended),
referrals and their steps, follow-up visits, warnings with the help given, the receiving area's
confirmations and field changes. A fixed number of queries whatever the length of the history (one per
kind, the related rows fetched alongside), so the person page costs the same for 5 entries or 500.

The caller has opened `person` through the user's own scope; nothing here reads across areas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

# How far back each kind is read: enough for any real history, bounded so that a page never grows without
# limit (a person with more has them on the kind's own page).
LIMIT = 200


@dataclass(frozen=True)
class Kind:
    label: str  # the badge
    icon: str  # a glyph beside it (no icon font is vendored)
    badge: str  # Bootstrap background of the badge


KINDS = {
    "record": Kind("就业", "▲", "text-bg-success"),
    "record_end": Kind("离职", "▼", "text-bg-secondary"),
    "referral": Kind("推荐", "➜", "text-bg-primary"),
    "visit": Kind("回访", "☎", "text-bg-info"),
    "warning": Kind("预警", "⚠", "text-bg-danger"),
    "help": Kind("帮扶", "✚", "text-bg-warning"),
    "confirmation": Kind("输入地确认", "✔", "text-bg-dark"),
    "change": Kind("变更", "✎", "text-bg-light border"),
}


@dataclass(frozen=True)
class Entry:
    kind: str  # a key of KINDS
    on: dt.date  # the day it happened
    at: dt.datetime  # when it was recorded: orders entries of one day
    title: str
    detail: str = ""
    url: str = ""
    by: str = ""  # who did it, where known

    @property
    def type(self) -> Kind:
        return KINDS[self.kind]

    @property
    def sort_key(self):
        return (self.on, self.at, self.kind)


def _by(user) -> str:
    if user is None:
        return ""
    return getattr(user, "display_name", "") or user.get_username()


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _records(person) -> list[Entry]:
    from bangfu.employment.models import EmploymentRecord

    anchor = reverse("registry:person_detail", args=[person.pk]) + "#person-employments"
    rows = (
        EmploymentRecord.objects.filter(person=person)
        .select_related("work_area", "created_by")
        .order_by("-started_on", "-id")[:LIMIT]
    )
    entries = []
    for r in rows:
        where = "，".join(filter(None, [r.place, r.work_area.name if r.work_area_id else "", r.channel]))
        wage = f"，月工资 {r.monthly_wage} 元" if r.monthly_wage else ""
        entries.append(
            Entry(
                "record",
                r.started_on,
                r.created_at,
                f"入职 {r.employer_name or '（单位不详）'}",
                f"{where}{wage}（{r.get_source_display()}）"
                if where or wage
                else f"（{r.get_source_display()}）",
                anchor,
                _by(r.created_by),
            )
        )
        if r.ended_on:
            entries.append(
                Entry(
                    "record_end",
                    r.ended_on,
                    r.updated_at,
                    f"离职 {r.employer_name or '（单位不详）'}",
                    f"离职原因：{r.end_reason}" if r.end_reason else "",
                    anchor,
                )
            )
    return entries


def _referrals(person) -> list[Entry]:
    from bangfu.referrals.models import Referral, ReferralStep

    steps = Prefetch("steps", queryset=ReferralStep.objects.select_related("by").order_by("at", "id"))
    rows = (
        Referral.objects.filter(person=person)
        .select_related("job", "job__employer", "referred_by")
        .prefetch_related(steps)
        .order_by("-created_at", "-id")[:LIMIT]
    )
    entries = []
    for ref in rows:
        url = reverse("referrals:detail", args=[ref.pk])
        job = f"{ref.job.title}（{ref.job.employer.name}）"
        steps = list(ref.steps.all())
        # The day it happened is the first step's (a referral made by phone yesterday is entered today).
        first = next((s for s in steps if not s.from_status), None)
        entries.append(
            Entry(
                "referral",
                first.on if first else _day(ref.created_at),
                ref.created_at,
                f"推荐岗位：{job}",
                ("系统自动推荐" if ref.auto else "") + (f"，当前状态：{ref.status}" if ref.status else ""),
                url,
                _by(ref.referred_by),
            )
        )
        for step in steps:
            if not step.from_status:  # the referral itself, already an entry
                continue
            note = "；".join(filter(None, [step.reason, step.note]))
            entries.append(
                Entry(
                    "referral",
                    step.on,
                    step.at,
                    f"推荐进展：{step.from_status} → {step.to_status}（{ref.job.title}）",
                    note,
                    url,
                    _by(step.by) or step.get_channel_display(),
                )
            )
    return entries


def _visits(person) -> list[Entry]:
    from bangfu.tracking.models import Visit, VisitSource

    rows = Visit.objects.filter(person=person).select_related("by").order_by("-visited_on", "-id")[:LIMIT]
    anchor = reverse("registry:person_detail", args=[person.pk]) + "#person-timeline"
    return [
        Entry(
            "visit",
            v.visited_on,
            v.created_at,
            f"{v.method}回访：{v.result}" + ("（输入地）" if v.source == VisitSource.RECEIVING else ""),
            v.note,
            anchor,
            _by(v.by),
        )
        for v in rows
    ]


def _warnings(person) -> list[Entry]:
    from bangfu.tracking.models import Warning, WarningHelp

    helps = Prefetch("helps", queryset=WarningHelp.objects.select_related("by").order_by("on", "id"))
    rows = (
        Warning.objects.filter(person=person)
        .select_related("assignee", "ended_by")
        .prefetch_related(helps)
        .order_by("-raised_on", "-id")[:LIMIT]
    )
    entries = []
    for w in rows:
        url = _warning_url(w)
        assignee = f"，责任人：{_by(w.assignee)}" if w.assignee_id else ""
        entries.append(
            Entry(
                "warning",
                w.raised_on,
                w.created_at,
                f"预警：{w.kind}（{w.status}）",
                f"{w.detail}{assignee}",
                url,
            )
        )
        for h in w.helps.all():
            entries.append(
                Entry("help", h.on, h.created_at, f"帮扶：{h.kind}（{w.kind}）", h.note, url, _by(h.by))
            )
        if w.ended_on:
            entries.append(
                Entry(
                    "warning",
                    w.ended_on,
                    w.updated_at,
                    f"预警{w.status}：{w.kind}",
                    w.end_reason,
                    url,
                    _by(w.ended_by),
                )
            )
    return entries


def _warning_url(warning) -> str:
    """The warning's own page, once the warnings pages exist; else the person's timeline."""
    from django.urls import NoReverseMatch

    try:
        return reverse("tracking:warning_detail", args=[warning.pk])
    except NoReverseMatch:
        return reverse("registry:person_detail", args=[warning.person_id]) + "#person-timeline"


def _confirmations(person) -> list[Entry]:
    from bangfu.tracking.models import Confirmation, ConfirmationOutcome

    rows = (
        Confirmation.objects.filter(person=person)
        .select_related("record", "by", "confirmer_area")
        .order_by("-on", "-id")[:LIMIT]
    )
    anchor = reverse("registry:person_detail", args=[person.pk]) + "#person-employments"
    entries = []
    for c in rows:
        ended = (
            f"，离职日期 {c.ended_on:%Y-%m-%d}"
            if c.outcome == ConfirmationOutcome.ENDED and c.ended_on
            else ""
        )
        entries.append(
            Entry(
                "confirmation",
                c.on,
                c.created_at,
                f"输入地{c.get_outcome_display()}：{c.record.employer_name or '（单位不详）'}",
                f"{c.confirmer_area.full_name or c.confirmer_area.name}{ended}"
                + (f"；{c.note}" if c.note else ""),
                anchor,
                _by(c.by),
            )
        )
    return entries


def _changes(person, user) -> list[Entry]:
    from bangfu.registry.views import MASKED_HISTORY

    audit = reverse("audit:list") + f"?object=registry.person:{person.pk}"
    rows = person.changes.select_related("actor").order_by("-at", "-id")[:LIMIT]
    entries = []
    for c in rows:
        before, after = c.before, c.after
        if not getattr(user, "can_view_sensitive", False) and c.field in MASKED_HISTORY:
            mask = MASKED_HISTORY[c.field]
            before, after = mask(before) if before else "", mask(after) if after else ""
        url = reverse("registry:import_detail", args=[c.batch_id]) if c.batch_id else audit
        entries.append(
            Entry(
                "change",
                _day(c.at),
                c.at,
                f"{c.field}：{before or '（空）'} → {after or '（空）'}",
                f"来源：{c.source}",
                url,
                _by(c.actor) or "系统",
            )
        )
    return entries


def timeline(person, user=None) -> list[Entry]:
    """Everything that happened to `person`, newest first. `user` decides whether sensitive values in the
    field history are shown (as on the history table)."""
    entries = [
        *_records(person),
        *_referrals(person),
        *_visits(person),
        *_warnings(person),
        *_confirmations(person),
        *_changes(person, user),
    ]
    entries.sort(key=lambda e: e.sort_key, reverse=True)
    return entries
