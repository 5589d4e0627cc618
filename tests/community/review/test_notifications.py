"""Reviewers are told when a draft awaits review or a vote awaits filing; a committee when its
draft is returned. Once per event, in the admin and by e-mail, and in the cron digest."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from community import transitions as t
from community.models import Notification
from tests.community.covenant_helpers import good_vote, make_covenant

pytestmark = pytest.mark.django_db
D = datetime.date
Kind = Notification.Kind


@pytest.fixture
def revision(shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    rev = t.start_revision(
        covenant, committee_shiqiao, reason="新增垃圾分类条款", started_on=D(2026, 4, 1)
    )
    return t.begin_drafting(rev, committee_shiqiao)


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def test_submitting_for_review_tells_the_township_reviewer_once(
    revision, committee_shiqiao, reviewer_liuxi, reviewer_dongcheng
):
    before = _kinds(reviewer_liuxi)
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    assert _kinds(reviewer_liuxi) == [*before, Kind.REVIEW_REQUESTED]
    note = Notification.objects.filter(recipient=reviewer_liuxi).latest("pk")
    assert note.revision == revision and "石桥村《石桥村村规民约》" in note.message
    assert not Notification.objects.filter(recipient=reviewer_dongcheng, revision=revision).exists()
    assert not Notification.objects.filter(recipient=committee_shiqiao).exists()

    revision.opinions_summary = "补充说明。"  # a re-save at the same stage is no new event
    revision._change_reason = "补充"
    revision.save()
    revision.save()
    assert _kinds(reviewer_liuxi) == [*before, Kind.REVIEW_REQUESTED]


def test_a_returned_draft_tells_the_committee_and_resubmitting_tells_the_reviewer_again(
    revision, committee_shiqiao, reviewer_liuxi
):
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    t.review(
        revision,
        reviewer_liuxi,
        passed=False,
        opinion="第三条罚款不当。",
        reviewed_on=D(2026, 5, 12),
    )
    assert _kinds(committee_shiqiao) == [Kind.DRAFT_RETURNED]
    assert "第三条罚款不当" in Notification.objects.get(recipient=committee_shiqiao).message
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 15))
    mine = Notification.objects.filter(recipient=reviewer_liuxi, revision=revision)
    assert list(mine.values_list("kind", flat=True)) == [Kind.REVIEW_REQUESTED] * 2


def test_a_recorded_vote_asks_the_reviewer_to_file(revision, committee_shiqiao, reviewer_liuxi):
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    t.review(revision, reviewer_liuxi, passed=True, opinion="合法。", reviewed_on=D(2026, 5, 20))
    assert not Notification.objects.filter(kind=Kind.DRAFT_RETURNED, revision=revision).exists()
    t.record_vote(revision, committee_shiqiao, **good_vote())
    kinds = Notification.objects.filter(recipient=reviewer_liuxi, revision=revision).order_by("pk")
    assert list(kinds.values_list("kind", flat=True)) == [
        Kind.REVIEW_REQUESTED,
        Kind.FILING_REQUESTED,
    ]


def test_email_is_sent_once_when_the_reviewer_has_an_address(
    revision, committee_shiqiao, reviewer_liuxi, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reviewer_liuxi.email = "zhangming@liuxi.example.cn"
    reviewer_liuxi.save()
    with django_capture_on_commit_callbacks(execute=True):
        t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
        revision.save()
    assert [m.to for m in mail.outbox] == [["zhangming@liuxi.example.cn"]]
    assert "待审核" in mail.outbox[0].subject
    assert f"/admin/covenants/revisions/{revision.pk}/" in mail.outbox[0].body
    assert Notification.objects.filter(recipient=reviewer_liuxi).latest("pk").emailed_at is not None


def test_no_email_without_an_address(
    revision, committee_shiqiao, reviewer_liuxi, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (committee_shiqiao, reviewer_liuxi):
        user.email = ""
        user.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    assert mail.outbox == []


def test_imported_past_adoptions_notify_nobody(xinghua):
    assert not Notification.objects.filter(revision__imported=True).exists()


def test_digest_mails_each_user_their_unread_once(
    revision, committee_shiqiao, reviewer_liuxi, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reviewer_liuxi.email = "zhangming@liuxi.example.cn"
    reviewer_liuxi.save()
    Notification.objects.filter(recipient=reviewer_liuxi).update(read_at=None, digested_at=None)
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    unread = Notification.objects.filter(recipient=reviewer_liuxi, read_at__isnull=True).count()
    call_command("notify_digest")
    assert [m.to for m in mail.outbox] == [["zhangming@liuxi.example.cn"]]
    assert f"{unread} 条未读通知" in mail.outbox[0].subject
    call_command("notify_digest")
    assert len(mail.outbox) == 1


def test_notifications_in_the_admin(client, revision, committee_shiqiao, reviewer_liuxi):
    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    note = Notification.objects.filter(recipient=reviewer_liuxi).latest("pk")
    client.force_login(reviewer_liuxi)
    home = client.get("/admin/").content.decode()
    assert "审阅台" in home and note.message in home
    assert note.message in client.get("/admin/review/notifications/").content.decode()
    opened = client.get(f"/admin/review/notifications/{note.pk}/")
    assert opened.url == f"/admin/covenants/revisions/{revision.pk}/"
    note.refresh_from_db()
    assert note.read_at is not None
    client.force_login(committee_shiqiao)  # not the recipient
    assert client.get(f"/admin/review/notifications/{note.pk}/").status_code == 404
    client.force_login(reviewer_liuxi)
    client.post("/admin/review/notifications/read/")
    assert not Notification.objects.filter(recipient=reviewer_liuxi).unread().exists()


def test_the_same_event_notified_twice_creates_one_notification(
    revision, committee_shiqiao, reviewer_liuxi
):
    from community.review.notifications import notify

    t.submit_for_review(revision, committee_shiqiao, submitted_on=D(2026, 5, 10))
    event = revision.history.latest("history_id").history_id
    assert notify(revision, Kind.REVIEW_REQUESTED, event) == []
    assert Notification.objects.filter(revision=revision, event_history_id=event).count() == 1
