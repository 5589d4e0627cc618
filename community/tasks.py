"""The review desk's background tasks (cms/tasks.py): e-mail of notifications and the digest.

Both are idempotent: a notification is mailed only while its `emailed_at` is empty, and marked as
it goes out; the digest takes only notifications not yet digested, and marks each recipient's as
their mail goes out. Neither runs in one transaction (atomic=False): a failure halfway keeps what
was sent, and the retry sends the rest."""

from cms.tasks import retried


@retried(atomic=False)
def email_notifications(notification_ids: list[int]) -> int:
    """Mail the notifications `notification_ids` not mailed yet; returns how many went out."""
    # notifications imports this module to queue the task: imported when it runs.
    from community.review.notifications import email

    return email(notification_ids)


@retried(atomic=False)
def digest(with_reminders: bool = False) -> dict:
    """The day's reminders (if asked), then each user's digest of unread notifications."""
    # As above: the desk's modules import this one to queue its tasks.
    from community.review.notifications import send_digest
    from community.review.reminders import send_reminders

    due = overdue = 0
    if with_reminders:
        due, overdue = send_reminders()
    return {"due": due, "overdue": overdue, "sent": send_digest()}
