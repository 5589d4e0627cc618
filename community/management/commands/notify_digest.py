from django.core.management.base import BaseCommand

from community.review.notifications import send_digest


class Command(BaseCommand):
    help = "E-mail each admin user their unread review notifications (run from cron)."

    def handle(self, *args, **options):
        sent = send_digest()
        self.stdout.write(f"Sent {sent} digest e-mail(s).")
