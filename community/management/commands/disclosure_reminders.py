from django.core.management.base import BaseCommand

from community.review.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Tell committees of disclosures due soon and township reviewers of overdue ones "
        "(run daily from cron; safe to run again)."
    )

    def handle(self, *args, **options):
        due, overdue = send_reminders()
        self.stdout.write(f"Created {due} due reminder(s) and {overdue} overdue notice(s).")
