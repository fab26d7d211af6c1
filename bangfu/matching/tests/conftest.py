"""Matching fixtures: the designed world (tests/designed.py) saved to the real test database."""

import datetime as dt

import pytest

from bangfu.conftest import area
from bangfu.core.idnumber import make_id
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Employer
from bangfu.employment.models import EmploymentRecord
from bangfu.jobs.models import Job
from bangfu.matching.tests import designed
from bangfu.registry.models import Household, Person


def save_world(laborers, jobs, on: dt.date):
    """Households, people, their past jobs, employers and jobs for a designed world. Returns
    ({laborer key: Person}, {job key: Job})."""
    areas = {code: area(code) for code in {*(lab.village for lab in laborers), *(j.area for j in jobs)}}
    employer = {
        code: Employer.objects.create(
            credit_code=make_credit_code(code[:6], 300 + n), name=f"测试用人单位{n}", area=areas[code]
        )
        for n, code in enumerate(sorted({j.area for j in jobs}))
    }
    households = Household.objects.bulk_create(
        [Household(number=f"M{lab.key:06d}", area=areas[lab.village]) for lab in laborers]
    )
    people = Person.objects.bulk_create(
        [
            Person(
                id_number=make_id(lab.village[:6], lab.birth, 100 + lab.key),
                id_reversed=make_id(lab.village[:6], lab.birth, 100 + lab.key)[::-1],
                name=f"测试{lab.key}",
                name_initials="cs",
                sex=lab.sex,
                birth_date=lab.birth,
                household=household,
                relation="户主",
                area=areas[lab.village],
                education=lab.education,
                health=lab.health,
                labor_skill=lab.labor_skill,
                employment_status="未务工",
                job_wish=lab.job_wish,
                desired_region=lab.desired_region,
                expected_wage=lab.expected_wage,
                skills=lab.skills,
            )
            for lab, household in zip(laborers, households, strict=True)
        ]
    )
    saved = Job.objects.bulk_create(
        [
            Job(
                employer=employer[j.area],
                number=j.number,
                title=j.title,
                occupation_id=j.occupation,
                openings=max(j.openings_left, 1),
                openings_left=j.openings_left,
                area=areas[j.area],
                wage_min=j.wage_min,
                wage_max=j.wage_max,
                age_min=j.age_min,
                age_max=j.age_max,
                sex_required=j.sex_required,
                education_min=j.education_min,
                board_and_lodging=j.board_and_lodging,
                skills_required=j.skills_required,
                deadline=j.deadline,
                suits_low_skill=j.suits_low_skill,
                status=j.status,
            )
            for j in jobs
        ]
    )
    # What each laborer did before: a finished job of the wished occupation (a closed posting).
    past_employer = employer[sorted(employer)[0]]
    past_jobs = Job.objects.bulk_create(
        [
            Job(
                employer=past_employer,
                number=f"P{lab.key:05d}",
                title=lab.job_wish,
                occupation_id=lab.past_code,
                openings=1,
                openings_left=0,
                area=past_employer.area,
                status=Job.Status.CLOSED,
            )
            for lab in laborers
        ]
    )
    EmploymentRecord.objects.bulk_create(
        [
            EmploymentRecord(
                person=person,
                area=person.area,
                job=past,
                employer_name=past_employer.name,
                started_on=on - dt.timedelta(days=700),
                ended_on=on - dt.timedelta(days=400),
            )
            for person, past in zip(people, past_jobs, strict=True)
        ]
    )
    return (
        {lab.key: p for lab, p in zip(laborers, people, strict=True)},
        {j.key: s for j, s in zip(jobs, saved, strict=True)},
    )


@pytest.fixture
def world(db, areas):
    """A small designed world in the database: 40 laborers of counties A and B and their jobs."""
    on = dt.date.today()
    laborers, jobs = designed.build(40, on=on, background=60)
    people, saved = save_world(laborers, jobs, on)
    return {"laborers": laborers, "jobs": jobs, "people": people, "saved": saved, "on": on}
