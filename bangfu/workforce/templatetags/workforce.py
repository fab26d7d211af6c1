"""Staff's view of 企业用工报送 on other apps' pages: `{% employer_hires employer %}` on the employer page and
`{% person_hires person %}` on the person page. The caller opened the employer or the person through the
user's scope."""

from django import template
from django.db.models import OuterRef, Subquery

from bangfu.workforce.models import Hire, MonthlyWage

register = template.Library()
SHOWN = 100


def _mask_name(name: str) -> str:
    if len(name) <= 1:
        return name
    return name[0] + "*" * max(1, len(name) - 2) + (name[-1] if len(name) > 2 else "")


@register.inclusion_tag("workforce/_employer_hires.html", takes_context=True)
def employer_hires(context, employer):
    """What the employer reported, newest first: names of people outside the viewer's area masked, ID
    numbers always masked (as the employer page does for records)."""
    user = context["request"].user
    latest = MonthlyWage.objects.filter(hire=OuterRef("pk")).order_by("-month")
    hires = list(
        Hire.objects.filter(employer=employer)
        .annotate(
            last_month=Subquery(latest.values("month")[:1]), last_wage=Subquery(latest.values("wage")[:1])
        )
        .order_by("-started_on", "-id")[:SHOWN]
    )
    own = set(Hire.objects.for_user(user).filter(pk__in=[h.pk for h in hires]).values_list("pk", flat=True))
    for hire in hires:
        hire.own = hire.pk in own
        hire.shown_name = hire.name if hire.own else _mask_name(hire.name)
    return {
        "hires": hires,
        "total": Hire.objects.filter(employer=employer).count(),
        "current": Hire.objects.filter(employer=employer, ended_on__isnull=True).count(),
    }


@register.inclusion_tag("workforce/_person_hires.html")
def person_hires(person):
    """What employers reported about this person, with the months of wages and insurance."""
    hires = list(Hire.objects.filter(person=person).select_related("employer").order_by("-started_on")[:20])
    wages = MonthlyWage.objects.filter(hire__in=hires).order_by("-month")
    by_hire: dict[int, list] = {}
    for wage in wages:
        by_hire.setdefault(wage.hire_id, []).append(wage)
    for hire in hires:
        hire.months = by_hire.get(hire.pk, [])[:12]
    return {"person": person, "hires": hires}
