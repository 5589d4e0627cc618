"""Wagtail's publish_scheduled, which first takes off the schedule any 财务公开 revision the
supervision committee has not signed off (the guard would refuse it and stop the command for every
other page): it stays a draft, and the unscheduling is in the page's log."""

from django.utils import timezone
from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Revision

from community.models import NoticePage
from community.supervision.finance import publication_problem


class Command(WagtailCommand):
    def handle(self, *args, **options):
        if not options.get("dryrun"):
            unschedule_unsigned_finance_notices()
        return super().handle(*args, **options)


def unschedule_unsigned_finance_notices() -> list[int]:
    due = Revision.page_revisions.filter(
        approved_go_live_at__lt=timezone.now(), object_id__in=_finance_notice_ids()
    )
    unscheduled = []
    for revision in due:
        notice = NoticePage.objects.get(pk=revision.object_id)
        if publication_problem(notice, revision):
            revision.approved_go_live_at = None
            revision.save(update_fields=["approved_go_live_at"])
            unscheduled.append(revision.pk)
    return unscheduled


def _finance_notice_ids() -> list[str]:
    ids = NoticePage.objects.filter(category="finance").values_list("pk", flat=True)
    return [str(pk) for pk in ids]
