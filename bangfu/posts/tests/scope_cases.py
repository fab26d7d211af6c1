"""Public-welfare posts in the area-scope tests (core/tests/test_area_scope_everywhere.py): a post of 土地村
(county A) held by 龙春生 with his duty for a month, and a posts file of county A with a bad row."""

import datetime as dt

MONTH = "2026-10"
OBJECT_VIEWS = {
    "posts:detail": (lambda o: {"pk": o["post"].pk}, ["get"]),
    "posts:holder_new": (lambda o: {"pk": o["post"].pk}, ["post"]),
    "posts:close": (lambda o: {"pk": o["post"].pk}, ["post"]),
    "posts:spell_end": (lambda o: {"pk": o["spell"].pk}, ["post"]),
    "posts:duty_save": (lambda o: {"pk": o["spell"].pk}, ["post"]),
    "posts:import_detail": (lambda o: {"pk": o["post_import"].pk}, ["get"]),
    "posts:import_report": (lambda o: {"pk": o["post_import"].pk}, ["get"]),
    "welfare-post-detail": (lambda o: {"pk": o["post"].pk}, ["get"]),
    "welfare-post-holder-detail": (lambda o: {"pk": o["spell"].pk}, ["get"]),
    "welfare-post-duty-detail": (lambda o: {"pk": o["duty"].pk}, ["get"]),
}
LIST_VIEWS = {
    "posts:index": "",
    "posts:villages": "",
    "posts:duty": f"?month={MONTH}",
    "posts:import_list": "",
    "welfare-post-list": "",
    "welfare-post-holder-list": "",
    "welfare-post-duty-list": "",
}
OWN_OR_PUBLIC = {"posts:new", "posts:import_new"}
A_MARKERS = {"marker-post-A"}


def objects(users, base):
    import tempfile
    from pathlib import Path

    from bangfu.conftest import VILLAGE_A, area
    from bangfu.exchange.report import write_table
    from bangfu.posts import actions
    from bangfu.posts.importer import create_post_import, run_post_import

    county = users["county_a"]
    post = actions.create_post(
        county, area=area(VILLAGE_A), number="GY-A-1", kind="乡村公益性岗位", title="marker-post-A 保洁员",
        opened_on=dt.date(2026, 1, 1), host_unit="土地村村委会",
    )  # fmt: skip
    spell = actions.start_spell(county, post, base["person"], dt.date(2026, 2, 1))
    duty, _ = actions.save_duty(users["village_a"], base["person"], MONTH, 21, 22)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "marker-post-A.xlsx"
        rows = [["GY-A-2", VILLAGE_A, "其他", "护林员"], ["GY-A-3", "433123", "其他", "护林员"]]
        write_table(path, ["岗位编号", "行政区划代码", "岗位类型", "岗位名称"], rows)
        batch = run_post_import(create_post_import("posts", area=county.area, user=county, path=path))
    assert batch.report
    return {"post": post, "spell": spell, "duty": duty, "post_import": batch}
