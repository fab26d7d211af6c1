from django import template
from django.utils import timezone

from bangfu.referrals.models import Referral, ServiceKind, ServiceRecord

register = template.Library()


@register.inclusion_tag("referrals/_person_referrals.html", takes_context=True)
def person_referrals(context, person):
    """A person's referrals and 311 services, for the person page: `{% person_referrals person %}`.
    The caller has already opened `person` through the user's scope."""
    year = timezone.localdate().year
    referrals = list(Referral.objects.filter(person=person).select_related("job", "job__employer")[:50])
    services = list(ServiceRecord.objects.filter(person=person)[:20])
    counts = {
        "referrals": sum(1 for r in referrals if timezone.localtime(r.created_at).year == year),
        "guidance": sum(1 for s in services if s.kind == ServiceKind.GUIDANCE and s.date.year == year),
        "training": sum(1 for s in services if s.kind == ServiceKind.TRAINING and s.date.year == year),
    }
    return {
        "person": person,
        "referrals": referrals,
        "services": services,
        "counts": counts,
        "year": year,
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
    }
