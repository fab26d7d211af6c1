from django import template

from bangfu.employment.models import EmploymentRecord

register = template.Library()


@register.inclusion_tag("employment/_person_employments.html")
def person_employments(person):
    """A person's employment records (the trajectory), for the person page: `{% person_employments person %}`.
    The caller has already opened `person` through the user's scope."""
    records = (
        EmploymentRecord.objects.filter(person=person)
        .select_related("employer", "work_area", "referral")
        .prefetch_related("confirmations__by", "confirmations__confirmer_area")  # 输入地确认 (tracking)
    )
    return {"person": person, "records": list(records[:50])}
