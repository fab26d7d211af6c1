"""`bangfu demo [--port N]`: the platform with demo data on embedded SQLite, then the web server."""

import ctypes
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.management.commands.serve import serve
from bangfu.demo.build import PEOPLE_PER_COUNTY


class Command(BaseCommand):
    help = "准备演示数据并启动平台（演示模式）。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网页服务")
        parser.add_argument(
            "--people", type=int, default=PEOPLE_PER_COUNTY, help="每县名册人数（首次准备数据时有效）"
        )

    def handle(self, *args, port, host, no_serve, people, **options):
        if not settings.BANGFU_DEMO:
            raise CommandError("演示命令只能在演示模式下运行（BANGFU_DEMO=1）。", returncode=2)
        from bangfu.demo.build import build_demo

        self.stdout.write("正在准备数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("正在准备演示数据（首次约需一分钟：区划、用户、两县约四万人的名册）……")
        logins = build_demo(people)
        if not no_serve:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("演示账号（仅演示模式可登录）："))
        for login in logins:
            self.stdout.write(
                f"  {login.username:<20} 密码 {login.password}   {login.role}  {login.area.full_name}"
            )
        from bangfu.selfservice.demo import demo_laborer

        laborer = demo_laborer()
        if laborer is not None:
            phone, person = laborer
            self.stdout.write(
                f"  劳动者自助服务 /self/login/：手机号 {phone}（{person.name}），"
                f"短信验证码写在 {settings.BANGFU_SMS_FILE} 的最后一行"
            )
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        if not no_serve:
            # Large uploads are imported in the background: run one task worker beside the web server,
            # and stop it with the server however the demo is stopped.
            # The worker runs the nightly warning scan too: exactly one stays queued (tracking/tasks.py).
            from bangfu.stats.tasks import ensure_nightly as ensure_nightly_capture
            from bangfu.supervision.tasks import ensure_daily
            from bangfu.tracking.tasks import ensure_nightly

            ensure_nightly()
            ensure_nightly_capture()  # and the nightly capture of figures (stats/tasks.py)
            ensure_daily()  # and the daily 督办 reminders (supervision/tasks.py)
            from bangfu.exports.tasks import ensure_cleaning

            ensure_cleaning()  # expired export files, daily
            worker = start_worker()
            stop_on_signals()
            try:
                serve(host, port, 8, self.stdout)
            except KeyboardInterrupt:
                pass
            finally:
                stop_worker(worker)
                self.stdout.write("帮扶平台已停止。")


def stop_on_signals() -> None:
    """SIGTERM (a service manager, `kill`) ends the server as Ctrl-C does, so the worker is stopped after it;
    SIGINT is set too because a shell that starts the demo in the background leaves it ignored."""

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "bangfu", "db_worker", "--no-reload"],
        env=os.environ.copy(),
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )


def _die_with_parent() -> None:
    """In the worker, before it starts: Linux sends it SIGTERM when the demo dies, even by SIGKILL."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop_worker(worker: subprocess.Popen) -> None:
    """SIGTERM lets the worker finish its current task; a second one (its documented force) after ten seconds
    ends the task, and SIGKILL after five more."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if worker.poll() is not None:
            return
        worker.send_signal(sig)
        try:
            worker.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
