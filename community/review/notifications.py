"""Who is told what when a covenant revision changes stage: the township's reviewers when a draft
awaits review or an adopted text awaits filing, the committee when a reviewer returns a draft.

Driven by simple-history's post_create_historical_record: a stage change is an event, identified
by its history row, so a notification is created once per event and recipient, however often the
record is saved afterwards. Mail goes out in a background task (community/tasks.py) once the
transaction commits, through EMAIL_BACKEND: never in the request when tasks are queued."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from cms.tasks import enqueue_on_commit
from community.models import CovenantRevision, Notification, Opinion, Role, Stage

Kind = Notification.Kind


def members(kind: str, page_id: int):
    """The active users holding a role of `kind` on this page (a community or a township)."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__role__kind=kind, groups__role__page_id=page_id)
        .distinct()
    )


def _event(previous: str | None, stage: str) -> str | None:
    if previous == stage:
        return None
    if stage == Stage.REVIEW:
        return Kind.REVIEW_REQUESTED
    if stage == Stage.FILING:
        return Kind.FILING_REQUESTED
    if previous == Stage.REVIEW and stage == Stage.DRAFTING:
        return Kind.DRAFT_RETURNED
    return None


def _message(kind: str, revision: CovenantRevision) -> str:
    name = f"{revision.community.title}《{revision.covenant.title}》"
    if kind == Kind.REVIEW_REQUESTED:
        return f"{name}的修订草案已提请审核，请进行合法性审查。"
    if kind == Kind.FILING_REQUESTED:
        return f"{name}的修订已表决通过，请办理备案。"
    return f"{name}的修订草案审核未通过，已退回修改：{revision.review_opinion}"


def revision_url(revision_id: int) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse(
        "community_revision_detail", args=(revision_id,)
    )


def note_url(note: Notification) -> str:
    """The absolute address a notification opens: its revision, or its own link."""
    if note.revision_id:
        return revision_url(note.revision_id)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + (note.link or reverse("review_inbox"))


def notify_users(users, kind: str, message: str, *, event_key: str, link: str = "") -> list:
    """Tell each user once about the event `event_key` (idempotent: a second call with the same
    key creates nothing), and mail those with an address after the transaction commits."""
    created = []
    for user in users:
        note, is_new = Notification.objects.get_or_create(
            recipient=user,
            kind=kind,
            event_key=event_key,
            defaults={"message": message, "link": link},
        )
        if is_new:
            created.append(note)
    _email_later(created)
    return created


def _email_later(created: list[Notification]) -> None:
    """Queue the mail of the new notifications whose recipient has an address."""
    # community.tasks imports this module (the task mails through email()).
    from community.tasks import email_notifications

    to_mail = [n.pk for n in created if n.recipient.email]
    if to_mail:
        enqueue_on_commit(email_notifications, to_mail)


def email(notification_ids: list[int]) -> int:
    """Mail each of these notifications not mailed yet (the task email_notifications)."""
    sent = 0
    pending = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for note in pending.select_related("recipient"):
        send_mail(
            f"[{settings.WAGTAIL_SITE_NAME}] {note.get_kind_display()}",
            f"{note.message}\n\n{note_url(note)}",
            settings.DEFAULT_FROM_EMAIL,
            [note.recipient.email],
        )
        note.emailed_at = timezone.now()
        note.save(update_fields=["emailed_at"])
        sent += 1
    return sent


def notify(revision: CovenantRevision, kind: str, event_history_id: int) -> list[Notification]:
    """Create the event's notifications (once) and mail those whose recipient has an address."""
    if kind == Kind.DRAFT_RETURNED:
        recipients = members(Role.Kind.COMMITTEE, revision.community_id)
    else:
        township_id = revision.community.get_parent().pk
        recipients = members(Role.Kind.REVIEWER, township_id)
    message = _message(kind, revision)
    created = []
    for user in recipients:
        note, is_new = Notification.objects.get_or_create(
            recipient=user,
            kind=kind,
            event_history_id=event_history_id,
            defaults={"revision": revision, "message": message},
        )
        if is_new:
            created.append(note)
    _email_later(created)
    return created


# The stage each kind of notification asks its recipient to act in: once the revision has left
# it (reviewed, resubmitted, filed, withdrawn), the task is done for every recipient.
TASK_STAGE = {
    Kind.REVIEW_REQUESTED: Stage.REVIEW,
    Kind.FILING_REQUESTED: Stage.FILING,
    Kind.DRAFT_RETURNED: Stage.DRAFTING,
}


def close_done_tasks(revision: CovenantRevision, stage: str, now=None) -> int:
    """Mark read the revision's unread notifications whose task is done now that it is in
    `stage`: they no longer wait on the admin home, nor go out in a digest."""
    done = [kind for kind, waits_in in TASK_STAGE.items() if waits_in != stage]
    return (
        Notification.objects.unread()
        .filter(revision=revision, kind__in=done)
        .update(read_at=now or timezone.now())
    )


@receiver(post_create_historical_record, sender=CovenantRevision.history.model)
def notify_on_stage_change(sender, instance, history_instance, **kwargs):
    if instance.imported:  # entering a past adoption asks nobody to act
        return
    previous = (
        sender.objects.filter(id=instance.pk, history_id__lt=history_instance.history_id)
        .order_by("-history_id")
        .values_list("stage", flat=True)
        .first()
    )
    if previous == history_instance.stage:
        return
    close_done_tasks(instance, history_instance.stage)
    kind = _event(previous, history_instance.stage)
    if kind is not None:
        notify(instance, kind, history_instance.history_id)


@receiver(post_save, sender=Opinion)
def notify_on_new_opinion(sender, instance, created, raw=False, **kwargs):
    """A resident's opinion came in online (the page or the API, community/opinion_intake.py):
    the committee is told, at most once per revision and day however many arrive (event_key)."""
    if raw or not created or instance.source != Opinion.Source.ONLINE:
        return
    revision = instance.revision
    day = timezone.localdate(instance.received_at)
    notify_users(
        members(Role.Kind.COMMITTEE, instance.community_id),
        Kind.OPINION_RECEIVED,
        f"{revision.community.title}《{revision.covenant.title}》的草案收到居民意见，"
        "请审核后公开并逐条答复。",
        event_key=f"opinion:{revision.pk}:{day:%Y-%m-%d}",
        link=reverse("community_opinions", args=(revision.pk,)),
    )


def send_digest(now=None) -> int:
    """E-mail each user with an address their unread notifications not yet in a digest."""
    now = now or timezone.now()
    pending = (
        Notification.objects.unread()
        .filter(digested_at__isnull=True)
        .exclude(recipient__email="")
        .select_related("recipient")
        .order_by("recipient_id", "created_at")
    )
    by_user: dict = {}
    for note in pending:
        by_user.setdefault(note.recipient, []).append(note)
    for user, notes in by_user.items():
        lines = [f"· {n.message}\n  {note_url(n)}" for n in notes]
        send_mail(
            f"[{settings.WAGTAIL_SITE_NAME}] 您有 {len(notes)} 条未读通知",
            "\n".join(lines),
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(digested_at=now)
    return len(by_user)
