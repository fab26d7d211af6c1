"""The jobs demo: employers at both ends, cooperation, about 2,000 coded jobs, the demo enterprise account."""

from django.utils import timezone

from bangfu.employers.models import Cooperation, Employer, EmployerKind
from bangfu.jobs.demo import build_jobs_demo
from bangfu.jobs.models import Job


def test_demo_jobs(users):
    logins = build_jobs_demo()
    jobs = Job.objects.all()
    assert jobs.count() == 2000
    guangdong = jobs.filter(area__gte="440000000000", area__lte="449999999999")
    assert 1000 < guangdong.count() < 2000
    assert (
        jobs.filter(occupation__isnull=True).count() == 0 and jobs.filter(occupation_inferred=True).exists()
    )
    assert jobs.filter(status=Job.Status.CLOSED).exists()
    assert jobs.filter(deadline__lt=timezone.localdate(), status=Job.Status.OPEN).exists()
    assert jobs.filter(suits_low_skill=True).exists() and jobs.filter(suits_low_skill=False).exists()
    gd_avg = sum(guangdong.values_list("wage_min", flat=True)) / guangdong.count()
    hn = jobs.filter(area__lt="440000000000")
    assert gd_avg > sum(hn.values_list("wage_min", flat=True)) / hn.count()
    assert Employer.objects.filter(
        kind=EmployerKind.POVERTY_WORKSHOP, area__gte="433124000000", area__lte="433124999999"
    ).exists()
    assert Cooperation.objects.filter(sending_area="433100000000", receiving_area="440100000000").exists()
    (login,) = logins
    assert login.username == "qiye_demo"
    account = Employer.objects.get(accounts__username="qiye_demo")
    assert account.area_id.startswith("440112")
    assert Job.objects.for_employer_account(account.accounts.get()).count() > 0
    build_jobs_demo()  # again: nothing doubles
    assert Job.objects.count() == 2000
