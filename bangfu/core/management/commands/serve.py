"""`bangfu serve`: the production web server (waitress), static files served by WhiteNoise."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务（生产环境请置于 HTTPS 反向代理之后）。"

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-collectstatic", action="store_true", help="不重新收集静态文件")

    def handle(self, *args, host, port, threads, no_collectstatic, **options):
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        # The nightly warning scan waits in the task queue for `bangfu db_worker`: exactly one, always.
        from bangfu.stats.tasks import ensure_nightly as ensure_nightly_capture
        from bangfu.supervision.tasks import ensure_daily as ensure_supervision
        from bangfu.tracking.tasks import ensure_nightly

        ensure_nightly()
        ensure_nightly_capture()  # and the nightly capture of figures (stats/tasks.py)
        # Likewise the daily dispatch, which publishes the monthly rounds due that day.
        from bangfu.dispatch.tasks import ensure_daily

        ensure_daily()
        ensure_supervision()  # and the daily 督办 reminders and overdue reports (supervision/tasks.py)
        from bangfu.exports.tasks import ensure_cleaning

        ensure_cleaning()  # expired export files, daily
        serve(host, port, threads, self.stdout)


def serve(host: str, port: int, threads: int, stdout) -> None:
    import waitress

    from bangfu.wsgi import application

    stdout.write(f"帮扶平台已启动：http://{host}:{port}/   （按 Ctrl+C 停止）")
    stdout.flush()
    waitress.serve(application, host=host, port=port, threads=threads, ident="bangfu")
