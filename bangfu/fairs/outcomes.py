"""A fair's outcomes, defined once for its page and the 招聘会台账: invited, come, referred at the fair,
interviewed (people with a 面试 step of a fair referral, or an interview booked for the fair), hired. Each
a correlated count per fair, so many fairs cost one query."""

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from bangfu.fairs.models import Interview, Invitation, JobFair
from bangfu.referrals.models import Referral, ReferralStep, Status


def _count(queryset):
    counted = queryset.order_by().values("fair").annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _interviewed() -> RawSQL:
    fair, step, referral, interview = (
        JobFair._meta.db_table,
        ReferralStep._meta.db_table,
        Referral._meta.db_table,
        Interview._meta.db_table,
    )
    return RawSQL(
        f"""(SELECT COUNT(*) FROM (
            SELECT r.person_id FROM {step} s JOIN {referral} r ON r.id = s.referral_id
            WHERE r.fair_id = {fair}.id AND s.to_status = %s
            UNION SELECT i.person_id FROM {interview} i WHERE i.fair_id = {fair}.id) AS people)""",
        [Status.INTERVIEW],
        output_field=IntegerField(),
    )


def outcome_annotations() -> dict:
    here = OuterRef("pk")
    invitations = Invitation.objects.filter(fair=here)
    referrals = Referral.objects.filter(fair=here)
    return {
        "invited": _count(invitations),
        "attended": _count(invitations.filter(attended=True)),
        "referred": _count(referrals),
        "interviewed": _interviewed(),
        "hired": _count(referrals.filter(status=Status.HIRED)),
    }


OUTCOMES = ("invited", "attended", "referred", "interviewed", "hired")


def outcomes(fair: JobFair) -> dict:
    return JobFair.objects.filter(pk=fair.pk).annotate(**outcome_annotations()).values(*OUTCOMES).get()
