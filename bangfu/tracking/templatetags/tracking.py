from django import template
from django.utils import timezone

from bangfu.tracking.due import clock_of
from bangfu.tracking.models import Unreachable, Visit

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
