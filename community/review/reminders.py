"""The daily disclosure reminders (`manage.py disclosure_reminders`, also run by `notify_digest`):
the committee is told `reminder_days` before each deadline, the township's reviewers when an
obligation becomes overdue. Each once per obligation and recipient (notify_users is idempotent by
event key), so running it twice a day, or again after a missed day, tells nobody twice.

The township is told of what *became* overdue in the last CATCH_UP_DAYS (cron missed for a while
still catches up); what was overdue long before (e.g. every missing quarter when the platform is
first installed) is on the 逾期未公开 list, not in sixty e-mails on the first morning."""

import datetime

from django.urls import reverse
from django.utils import timezone

from cms.display import local_date
from community.disclosure.calendar import Entry, calendars
from community.models import CommunityPage, Notification, Role, TownshipPage
from community.models.settings import district_settings
from community.review.notifications import members, notify_users

Kind = Notification.Kind
CATCH_UP_DAYS = 30


def _name(community: CommunityPage, entry: Entry) -> str:
    return f"{community.title}：{entry.item.name}（{entry.label}）"


def send_reminders(today: datetime.date | None = None) -> tuple[int, int]:
    """(reminders to committees, overdue notices to townships) created by this run."""
    today = today or timezone.localdate()
    settings = district_settings()
    found = calendars(CommunityPage.objects.all(), today, settings)
    townships = dict(TownshipPage.objects.values_list("path", "pk"))
    home, overdue_list = reverse("wagtailadmin_home"), reverse("review_disclosures")
    due_count = overdue_count = 0
    for calendar in found.values():
        community = calendar.community
        soon = calendar.due_within(settings.reminder_days, today)
        if soon:
            committee = list(members(Role.Kind.COMMITTEE, community.pk))
            for entry in soon:
                due_count += len(
                    notify_users(
                        committee,
                        Kind.DISCLOSURE_DUE,
                        f"{_name(community, entry)}应在{local_date(entry.due_on)}前公开。",
                        event_key=f"due:{community.pk}:{entry.key}",
                        link=home,
                    )
                )
        recent = today - datetime.timedelta(days=CATCH_UP_DAYS)
        late = [e for e in calendar.overdue() if e.due_on >= recent]
        township_id = townships.get(community.path[: -community.steplen])
        if late and township_id:
            reviewers = list(members(Role.Kind.REVIEWER, township_id))
            for entry in late:
                overdue_count += len(
                    notify_users(
                        reviewers,
                        Kind.DISCLOSURE_OVERDUE,
                        f"{_name(community, entry)}应在{local_date(entry.due_on)}前公开，"
                        "已逾期未公开。",
                        event_key=f"overdue:{community.pk}:{entry.key}",
                        link=f"{overdue_list}?township={township_id}",
                    )
                )
    return due_count, overdue_count
