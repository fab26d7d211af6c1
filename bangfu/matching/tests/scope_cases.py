"""Area-scope cases of matching (see core/tests/test_area_scope_everywhere.py).

The person page opens a registry person through Person.objects.for_user. The job page opens a job the user
may see (an open posting, or a job of their own subtree) and lists candidates of the user's own subtree
only; county A's *closed* job is the object only county A may open. Runs belong to an area.
"""

OBJECT_VIEWS = {
    "matching:person": (lambda o: {"pk": o["person"].pk}, ["get"]),
    "matching:job": (lambda o: {"pk": o["closed_job"].pk}, ["get"]),
    "matching:run_detail": (lambda o: {"pk": o["match_run"].pk}, ["get"]),
    "matching:run_file": (lambda o: {"pk": o["match_run"].pk}, ["get"]),
    "matching:run_again": (lambda o: {"pk": o["match_run"].pk}, ["post"]),
}
LIST_VIEWS = {
    "matching:run_list": "",
}


def objects(users, base):
    from django.core.files.base import ContentFile

    from bangfu.areas.models import Area
    from bangfu.conftest import TOWNSHIP_A
    from bangfu.matching.models import MatchRun, RunStatus

    run = MatchRun.objects.create(
        area=Area.objects.get(code=TOWNSHIP_A.ljust(12, "0")), user=users["county_a"], status=RunStatus.DONE
    )
    run.file.save("人岗匹配_龙潭镇.csv", ContentFile("证件号码,岗位编号\n".encode("utf-8-sig")))
    return {"match_run": run}
