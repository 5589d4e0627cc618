from django.core.management.base import BaseCommand

from consultation.idempotency import purge


class Command(BaseCommand):
    help = (
        "Delete answer receipts (Idempotency-Key and form tokens) older than ANSWER_RECEIPT_HOURS "
        "(daily, from cron; the answers themselves are kept)."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Purged {purge()} answer receipt(s).")
