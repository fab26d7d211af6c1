"""The demo's laborer: someone of 花垣县 with a referral waiting for an answer and a phone of their own,
who signs in at /self/login/ with the code the demo's SMS gateway (the FileBackend) writes to its file."""

from django.core.exceptions import ValidationError

from bangfu.referrals.models import OPEN_STATUSES, Referral
from bangfu.selfservice.actions import clean_phone, people_with_phone


def demo_laborer(county: str = "433124"):
    """(phone, person) of the first such laborer by referral, or None when the demo has no referrals."""
    referrals = (
        Referral.objects.filter(area__code__startswith=county, status__in=OPEN_STATUSES, laborer_answer="")
        .select_related("person")
        .order_by("pk")
    )
    for referral in referrals[:200]:
        try:
            phone = clean_phone(referral.person.phone)
        except ValidationError:
            continue
        if [p.pk for p in people_with_phone(phone)] == [referral.person_id]:
            return phone, referral.person
    return None
