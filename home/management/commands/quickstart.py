import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.servers.basehttp import WSGIServer


class QueueingWSGIServer(WSGIServer):
    """runserver's threaded server with a listen queue for a meeting's worth of phones: past
    Django's 10 waiting connections the kernel resets the next ones (40 clients at once did)."""

    request_queue_size = 128


class Serve(RunserverCommand):
    server_cls = QueueingWSGIServer


class Command(BaseCommand):
    help = "Migrate, load the demo district, ensure an admin account, then serve on 127.0.0.1."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true", help="Stop before serving.")

    def handle(self, *args, port: int, no_serve: bool, **options):
        if not settings.DEBUG:
            raise CommandError(
                "quickstart 只用于本机演示（DEBUG 开启）。生产部署见 docs/deployment.md。"
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("数据库已迁移。")
        call_command("seed_demo", stdout=self.stdout)
        username, password = self.ensure_admin()
        url = f"http://127.0.0.1:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"站点：{url}    后台：{url}admin/"))
        if password:
            self.stdout.write(
                self.style.WARNING(f"管理员 用户名 {username}  密码 {password}（只显示这一次）")
            )
        else:
            self.stdout.write(
                f"管理员 {username} 已存在，密码未改动（忘记时：python manage.py changepassword {username}）。"
            )
        if no_serve:
            return
        call_command(Serve(), f"127.0.0.1:{port}", use_reloader=False)

    def ensure_admin(self) -> tuple[str, str | None]:
        """Create the admin account once; return its username and the password if just set."""
        User = get_user_model()
        username = os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin")
        wanted = os.environ.get("DJANGO_SUPERUSER_PASSWORD")
        user = User.objects.filter(username=username).first()
        if user is not None:
            if wanted and not user.check_password(wanted):
                user.set_password(wanted)
                user.save(update_fields=["password"])
                return username, wanted
            return username, None
        password = wanted or secrets.token_urlsafe(12)
        User.objects.create_superuser(
            username=username, email=os.environ.get("DJANGO_SUPERUSER_EMAIL", ""), password=password
        )
        return username, password
