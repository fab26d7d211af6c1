"""Automatic referral ("the system refers when settings allow"): where an enabled AutoReferralRule covers a
laborer's village, each laborer who wants work is referred to their best matches, a few a run."""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.jobs.models import Job
from bangfu.referrals.actions import create_referral, seekers
from bangfu.referrals.models import OPEN_STATUSES, AutoReferralRule, Referral
from bangfu.registry.models import Person


@dataclass
class AutoResult:
    people: int = 0
    created: int = 0
    skipped: int = 0
    rules: int = 0
    messages: list[str] = field(default_factory=list)


def person_matcher():
    """The matching service's `match_for_person(person, top=)`."""
    from bangfu.matching.service import match_for_person

    return match_for_person


def auto_refer(area, on: date | None = None, limit: int | None = None, matcher=None) -> AutoResult:
    """Refers the seekers of `area`'s subtree by the rules in force on `on`. Safe to re-run: a pair with an
    open referral is skipped, and each laborer gets at most the rule's `per_year` automatic referrals.
    `matcher` defaults to the matching service's `match_for_person`."""

    on = on or timezone.localdate()
    result = AutoResult()
    # Rules that could apply to some village of the area: their region contains the area or lies inside it.
    book = AutoReferralRule.objects.book(on, within=area)
    if not any(r.enabled for r in book.by_region().values()):
        result.messages.append(f"{area.name}没有启用的自动推荐规则（{on}），未推荐。")
        return result
    result.rules = len(book)
    match_for_person = matcher or person_matcher()
    people = seekers(Person.objects.for_area(area)).select_related("area").order_by("id")
    if limit:
        people = people[:limit]
    year_start = on.replace(month=1, day=1)
    for person in people.iterator(chunk_size=500):
        rule = book.for_code(person.area_id)
        if rule is None or not rule.enabled:
            continue
        result.people += 1
        done = Referral.objects.filter(person=person, auto=True, created_at__date__gte=year_start).count()
        room = min(rule.top, max(0, rule.per_year - done))
        if room == 0:
            continue
        open_jobs = set(
            Referral.objects.filter(person=person, status__in=OPEN_STATUSES).values_list("job_id", flat=True)
        )
        for match in match_for_person(person, top=rule.top + len(open_jobs)):
            if room == 0:
                break
            if match.job_id in open_jobs or (match.score is not None and match.score < rule.min_score):
                result.skipped += 1
                continue
            job = Job.objects.select_related("employer", "area").get(pk=match.job_id)
            try:
                create_referral(None, person, job, score=match.score, reasons=match.reasons, auto=True)
            except (ValidationError, PermissionDenied):
                result.skipped += 1
                continue
            result.created += 1
            room -= 1
    result.messages.append(f"{area.name}：检查 {result.people} 名求职劳动力，自动推荐 {result.created} 条。")
    return result
