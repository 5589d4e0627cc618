from django.core.management.base import BaseCommand

from consultation.queries import escalate_due


class Command(BaseCommand):
    help = (
        "Send residents' queries that are unanswered past their deadline, or disputed, to the "
        "township's reviewers (daily, from cron; running it twice sends nothing twice)."
    )

    def handle(self, *args, **options):
        sent = escalate_due()
        self.stdout.write(f"Escalated {sent} query(ies).")
