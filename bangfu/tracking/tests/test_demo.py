"""The demo's tracking data (issue 16, item 9): every kind of warning is there, raised by the real scan
from the demo's records and visits, and the registry's 务工状态 agrees with the records."""

import pytest
from django.utils import timezone

from bangfu.demo.build import COUNTIES, build_demo
from bangfu.employment import status as derivation
from bangfu.employment.models import EmploymentRecord
from bangfu.registry.models import Person
from bangfu.tracking.models import Responsibility, Visit, Warning, WarningKind

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_has_trajectories_visits_and_every_kind_of_warning():
    build_demo(people_per_county=200)
    today = timezone.localdate()
    for code in COUNTIES:
        records = EmploymentRecord.objects.filter(area__code__startswith=code)
        assert records.filter(ended_on__isnull=False).exists()
        assert records.filter(started_on__lt=today.replace(year=today.year - 1)).exists()  # two years
        assert Visit.objects.filter(area__code__startswith=code).exists()
    kinds = set(Warning.objects.values_list("kind", flat=True))
    assert kinds == set(WarningKind.values)
    assert Responsibility.objects.filter(until__isnull=True).exists()
    # Status derived from records for everyone, whatever the registry import said.
    for person in Person.objects.filter(area__code__startswith=COUNTIES[0])[:300]:
        spells = [derivation.Spell.of(r) for r in person.employments.all()]
        assert person.employment_status == derivation.status_on(spells, today), person.pk
    counts = {kind: Warning.objects.filter(kind=kind).count() for kind in WarningKind.values}
    build_demo(people_per_county=200)  # a rebuild adds nothing
    assert {kind: Warning.objects.filter(kind=kind).count() for kind in WarningKind.values} == counts
