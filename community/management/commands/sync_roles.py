from django.core.management.base import BaseCommand

from community.roles import orphan_groups, sync_roles


class Command(BaseCommand):
    help = "Create and repair the role groups (委员会:<村/社区>, 审核:<乡镇/街道>, 区民政). Idempotent."

    def handle(self, *args, **options):
        report = sync_roles()
        for line in report.created:
            self.stdout.write(f"新建 {line}")
        for line in report.renamed:
            self.stdout.write(f"改名 {line}")
        for line in report.repaired:
            self.stdout.write(f"修复 {line}")
        for name in orphan_groups():
            self.stdout.write(self.style.WARNING(f"孤立的组 {name}：对应页面已删除，请人工处理。"))
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("角色均已就绪，无需改动。"))
