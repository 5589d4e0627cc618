from django.core.management.base import BaseCommand

from cms.tasks import queued
from community.tasks import digest


class Command(BaseCommand):
    help = (
        "E-mail each admin user their unread review notifications (run from cron): a background "
        "task (community/tasks.py), retried on failure; run here when tasks run inline."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-reminders",
            action="store_true",
            help="First create the day's disclosure reminders (disclosure_reminders), so they go "
            "out in the same digest.",
        )

    def handle(self, *args, **options):
        result = digest.enqueue(with_reminders=options["with_reminders"])
        if queued(digest):
            self.stdout.write(f"Queued the digest as task {result.id} (manage.py db_worker).")
            return
        if result.errors:
            raise SystemExit(f"The digest failed: {result.errors[-1].traceback}")
        figures = result.return_value
        if options["with_reminders"]:
            self.stdout.write(
                f"Created {figures['due']} due reminder(s) and {figures['overdue']} overdue "
                "notice(s)."
            )
        self.stdout.write(f"Sent {figures['sent']} digest e-mail(s).")
