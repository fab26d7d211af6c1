from django import template
from django.utils import timezone

from bangfu.tracking.actions import current_responsibility
from bangfu.tracking.due import clock_of
from bangfu.tracking.models import OPEN_STATUSES, Unreachable, Visit, Warning

register = template.Library()


@register.inclusion_tag("tracking/_person_visits.html", takes_context=True)
def person_visits(context, person):
    """A person's follow-up visits for the person page: when the next is due, the latest visits, and the
    联系不上 flag: `{% person_visits person %}`. The caller has already opened `person` through the user's
    scope."""
    today = timezone.localdate()
    return {
        "person": person,
        "clock": clock_of(person, today),
        "today": today,
        "visits": list(Visit.objects.filter(person=person).select_related("by")[:5]),
        "flag": Unreachable.objects.filter(person=person, cleared_at__isnull=True).first(),
        "request": context.get("request"),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("tracking/_subject_warnings.html")
def person_warnings(person):
    """A person's 帮扶责任人 and open warnings, for the person page (the caller opened `person` through
    the user's scope): `{% person_warnings person %}`."""
    own = current_responsibility(person=person)
    return {
        "person": person,
        "responsible": own or current_responsibility(household=person.household),
        "own": own is not None,
        "warnings": list(
            Warning.objects.filter(person=person, status__in=OPEN_STATUSES).order_by("-raised_on", "-id")[:20]
        ),
    }


@register.inclusion_tag("tracking/_subject_warnings.html")
def household_warnings(household):
    """A household's 帮扶责任人 and the open warnings of the household and its members."""
    return {
        "household": household,
        "responsible": current_responsibility(household=household),
        "own": True,
        "warnings": list(
            Warning.objects.filter(household=household, status__in=OPEN_STATUSES)
            .select_related("person")
            .order_by("-raised_on", "-id")[:20]
        ),
    }
