from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from home.demo import seed


class Command(BaseCommand):
    help = "Load the demo district (清河区): townships, communities, sections, one user per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even with DEBUG off. The demo accounts have published passwords.",
        )

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "演示数据含公开密码的演示账号，DEBUG 关闭（生产环境）时不载入。确需载入请加 --force。"
            )
        with transaction.atomic():
            logins = seed()
        self.stdout.write(self.style.SUCCESS("演示区县“清河区”已就绪。演示账号（后台 /admin/）："))
        for login in logins:
            note = "" if login.created else "（已存在，未改密码）"
            self.stdout.write(
                f"  {login.role:<12} 用户名 {login.username:<18} 密码 {login.password}{note}"
            )
