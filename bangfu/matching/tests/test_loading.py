"""What an area run reads from the database (service.load_laborers, load_jobs: `core.extract`, no Python
object per value) is, value by value, what the designed world's own encoding gives (tests/designed.py)."""

import datetime as dt

import numpy as np

from bangfu.employment.models import EmploymentRecord
from bangfu.jobs.models import Job
from bangfu.matching import engine
from bangfu.matching.service import load_jobs, load_laborers
from bangfu.matching.tests import designed
from bangfu.registry.models import Person

LABORER_ARRAYS = ("birth", "sex", "ability", "low_skill", "education", "region", "county", "wish_occ",
                  "past_occ", "expected_wage")  # fmt: skip
JOB_ARRAYS = ("occ", "has_req", "openings_left", "county", "age_min", "age_max", "sex", "education_min",
              "board", "low_skill", "wage_min", "wage_max", "deadline", "is_open")  # fmt: skip


def test_laborers_and_jobs_are_read_value_by_value(world):
    laborers, jobs, people, saved = world["laborers"], world["jobs"], world["people"], world["saved"]
    # a second, later past job for one laborer: the two latest count, latest first
    first = people[0]
    later = Job.objects.create(
        employer=saved[0].employer, number="P-LATER", title="保洁员", occupation_id="4-09-08-01",
        openings=1, openings_left=0, area=saved[0].area, status=Job.Status.CLOSED,
    )  # fmt: skip
    EmploymentRecord.objects.create(
        person=first,
        area=first.area,
        job=later,
        employer_name="x",
        started_on=world["on"] - dt.timedelta(days=10),
    )
    Person.objects.filter(pk=people[1].pk).update(expected_wage=None, education="")
    laborers[1].expected_wage, laborers[1].education = 0, ""

    L, id_numbers = load_laborers(Person.objects.filter(pk__in=[p.pk for p in people.values()]))
    expected, _ = designed.encode(laborers, jobs)
    order = [lab.key for lab in sorted(laborers, key=lambda lab: people[lab.key].pk)]
    assert id_numbers.to_pylist() == [people[k].id_number for k in order]
    assert L.ids.tolist() == [people[k].pk for k in order]
    for name in LABORER_ARRAYS:
        mine, theirs = getattr(L, name), getattr(expected, name)[order]
        if name == "past_occ":
            theirs[order.index(0)] = [
                engine.occupation_key("4-09-08-01"),
                engine.occupation_key(laborers[0].past_code),
            ]
        assert np.array_equal(mine.reshape(len(order), -1), theirs.reshape(len(order), -1)), name
    assert [L.wish_texts[t] if t >= 0 else "" for t in L.wish_text] == [
        expected.wish_texts[t] if t >= 0 else "" for t in expected.wish_text[order]
    ]

    J, (numbers, credit_codes) = load_jobs(Job.objects.filter(pk__in=[j.pk for j in saved.values()]))
    order = [j.key for j in sorted(jobs, key=lambda j: saved[j.key].pk)]
    _, expected_jobs = designed.encode(laborers, jobs)
    assert numbers.to_pylist() == [saved[k].number for k in order]
    assert credit_codes.to_pylist() == [saved[k].employer.credit_code for k in order]
    for name in JOB_ARRAYS:
        assert np.array_equal(getattr(J, name), getattr(expected_jobs, name)[order]), name
    assert [J.title_texts[t] for t in J.title_text] == [
        expected_jobs.title_texts[t] for t in expected_jobs.title_text[order]
    ]
