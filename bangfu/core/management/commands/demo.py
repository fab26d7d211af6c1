"""`bangfu demo [--port N]`: the platform with demo data on embedded SQLite, then the web server."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from bangfu.core.management.commands.serve import serve


class Command(BaseCommand):
    help = "准备演示数据并启动平台（演示模式）。"

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据，不启动网页服务")

    def handle(self, *args, port, host, no_serve, **options):
        if not settings.BANGFU_DEMO:
            raise CommandError("演示命令只能在演示模式下运行（BANGFU_DEMO=1）。", returncode=2)
        from bangfu.demo.build import build_demo

        self.stdout.write("正在准备数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("正在准备演示数据（首次约需一分钟：区划、用户、两县约四万人的名册）……")
        logins = build_demo()
        if not no_serve:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("演示账号（仅演示模式可登录）："))
        for login in logins:
            self.stdout.write(
                f"  {login.username:<20} 密码 {login.password}   {login.role}  {login.area.full_name}"
            )
        self.stdout.write(f"数据目录：{settings.DATA_DIR}")
        if not no_serve:
            # Large uploads are imported in the background: run one task worker beside the web server.
            worker = subprocess.Popen(
                [sys.executable, "-m", "bangfu", "db_worker", "--no-reload"], env=os.environ.copy()
            )
            try:
                serve(host, port, 8, self.stdout)
            finally:
                worker.terminate()
                worker.wait(timeout=10)
