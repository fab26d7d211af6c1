"""Area-scope cases of jobs (see core/tests/test_area_scope_everywhere.py).

Open postings are public to all staff by design (`Job.objects.postings_for`, docs/architecture.md), so
the postings list is classified as public and the object views use county A's *closed* job, which only
county A may open. The classification and the suitability rules are reference data.
"""

import datetime as dt

OBJECT_VIEWS = {
    "jobs:detail": (lambda o: {"pk": o["closed_job"].pk}, ["get"]),
    "jobs:edit": (lambda o: {"pk": o["open_job"].pk}, ["get", "post"]),
    "jobs:status": (lambda o: {"pk": o["open_job"].pk}, ["post"]),
    "jobs:import_detail": (lambda o: {"pk": o["job_import"].pk}, ["get"]),
    "jobs:import_report": (lambda o: {"pk": o["job_import"].pk}, ["get"]),
    "jobs:import_resume": (lambda o: {"pk": o["job_import"].pk}, ["post"]),
    "job-detail": (lambda o: {"pk": o["closed_job"].pk}, ["get", "patch"]),
}
LIST_VIEWS = {
    "jobs:list": "",
    "jobs:import_list": "",
    "job-list": "",
}
OWN_OR_PUBLIC = {
    "jobs:create",
    "jobs:postings",
    "jobs:occupations",
    "jobs:occupation_suggest",  # the classification only: what a title would be coded as
    "jobs:import_new",
    "job-postings",
}
A_MARKERS = {"土地村苗绣工"}


def objects(users, base):
    import tempfile
    from pathlib import Path

    from bangfu.areas.models import Area
    from bangfu.conftest import VILLAGE_A
    from bangfu.jobs import actions
    from bangfu.jobs.models import Job
    from bangfu.jobs.tests.conftest import job_row, write_jobs_xlsx

    actor = users["county_a"]
    village = Area.objects.get(code=VILLAGE_A)

    def job(number, status):
        saved = actions.save_job(
            actor,
            Job(
                employer=base["ledger_employer"],
                number=number,
                title="土地村苗绣工",
                openings=2,
                area=village,
                deadline=dt.date(2099, 12, 31),
            ),
            infer=True,
        )
        if status == Job.Status.CLOSED:
            actions.set_job_status(actor, saved, Job.Status.CLOSED)
        return saved

    open_job, closed_job = job("TD-1", Job.Status.OPEN), job("TD-2", Job.Status.CLOSED)
    clerk = users["village_a"]  # the batch belongs to 土地村, which the import list shows
    with tempfile.TemporaryDirectory() as tmp:
        path = write_jobs_xlsx(Path(tmp) / "岗位.xlsx", [job_row("X1", 招聘人数="0")])
        batch = actions.run_job_import(actions.create_job_import(area=clerk.area, user=clerk, path=path))
    assert batch.report
    return {"open_job": open_job, "closed_job": closed_job, "job_import": batch}
