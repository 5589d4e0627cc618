from django.core.management.base import BaseCommand

from community.review.notifications import send_digest
from community.review.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail each admin user their unread review notifications (run from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-reminders",
            action="store_true",
            help="First create the day's disclosure reminders (disclosure_reminders), so they go "
            "out in the same digest.",
        )

    def handle(self, *args, **options):
        if options["with_reminders"]:
            due, overdue = send_reminders()
            self.stdout.write(f"Created {due} due reminder(s) and {overdue} overdue notice(s).")
        sent = send_digest()
        self.stdout.write(f"Sent {sent} digest e-mail(s).")
