"""`bangfu import posts FILE --area CODE` and `bangfu import duty FILE --area CODE` (EXCHANGE §10 and §4):
registered with core/importers.py by PostsConfig.ready()."""

from bangfu.core.importers import Importer, Outcome


def _runner(kind: str):
    def run(area, path, *, report, options) -> Outcome:
        from bangfu.core.batches import ImportStatus
        from bangfu.posts.importer import create_post_import, run_post_import

        batch = run_post_import(create_post_import(kind, area=area, user=None, path=path), report_path=report)
        where = report or (batch.report.path if batch.report else "")
        return Outcome(batch.status == ImportStatus.FAILED, batch.message, batch.error_rows, str(where))

    return run


POSTS_IMPORTER = Importer(
    kind="posts",
    help="公益性岗位和在岗人员（每行一个岗位的一段在岗经历）",
    area_help="以该区域工作人员身份导入：岗位须在该区域内，在岗人员须在该区域名册中",
    run=_runner("posts"),
)
DUTY_IMPORTER = Importer(
    kind="duty",
    help="公益性岗位月度出勤",
    area_help="以该区域工作人员身份导入：人员当月须在该区域的公益性岗位上",
    run=_runner("duty"),
)
