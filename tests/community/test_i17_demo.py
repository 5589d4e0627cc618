"""The demo's comment round on 杏花村's 2026 revision (community/demo_opinions.py), as seeded by the
session fixture: about thirty opinions, each reason for not publishing present, every published one
answered, 采纳 pointing at an article of the draft, and no personal data in what the public reads."""

import re

import pytest
from django.utils import timezone

from community.demo_opinions import OPINIONS, seed_opinions
from community.models import ArticleNote, CommentWindow, CovenantRevision, Opinion, Stage
from community.models.covenant import same_text

pytestmark = pytest.mark.django_db

MOBILE = re.compile(r"1\d{10}")


@pytest.fixture
def revision(xinghua) -> CovenantRevision:
    return CovenantRevision.objects.get(community=xinghua, stage=Stage.VOTE)


@pytest.fixture
def window(revision) -> CommentWindow:
    return revision.comment_window


def test_the_revision_has_a_closed_window_before_its_submission(revision, window):
    assert window.closes_on < revision.submitted_on
    assert not window.is_open()
    assert window.answers_required and not window.publish_at_once
    # The window's 征求意见稿 is a saved draft of this covenant, not the draft submitted for review
    # and not the version in force, and it differs from both.
    assert window.draft.object_id == str(revision.covenant_id)
    assert window.draft_id < revision.draft_revision_id
    in_force = revision.covenant.live_revision.as_object()
    comment_draft = window.draft.as_object()
    assert not same_text(in_force, comment_draft)
    assert not same_text(revision.draft_revision.as_object(), comment_draft)
    # The draft page says when the 征求意见稿 was saved: before the window opened.
    assert timezone.localtime(window.draft.created_at).date() < window.opens_on


def test_the_comment_draft_changes_several_articles(window, revision):
    in_force = {a.id: a.text for a in revision.covenant.live_revision.as_object().articles()}
    draft = {a.id: a.text for a in window.draft.as_object().articles()}
    changed = {aid for aid, text in draft.items() if in_force.get(aid) != text}
    assert {"xh-5", "xh-8", "xh-12", "xh-13"} <= changed


def test_about_thirty_opinions_on_several_articles_and_the_whole_draft(revision, window):
    opinions = list(revision.opinions.all())
    assert 28 <= len(opinions) <= 35
    assert {o.draft_id for o in opinions} == {window.draft_id}
    articles = {o.article_id for o in opinions}
    assert {"xh-5", "xh-12", "xh-13", ""} <= articles and len(articles) >= 6
    fifth = [o for o in opinions if o.article_id == "xh-5"]
    assert fifth and {o.article_label for o in fifth} == {"第五条"}
    assert all(window.opens_on <= o.received_on <= window.closes_on for o in opinions)


def test_offline_opinions_of_every_source_are_entered_by_the_committee(revision, committee_xinghua):
    offline = [o for o in revision.opinions.all() if o.is_offline]
    assert {o.source for o in offline} == set(Opinion.OFFLINE_SOURCES)
    assert all(o.entered_by == committee_xinghua for o in offline)
    online = revision.opinions.filter(source=Opinion.Source.ONLINE)
    assert online.exists() and not online.filter(entered_by__isnull=False).exists()


def test_each_reject_reason_is_present_and_nothing_is_pending(revision):
    rejected = revision.opinions.filter(status=Opinion.Status.REJECTED)
    assert set(rejected.values_list("reject_reason", flat=True)) == set(Opinion.RejectReason.values)
    assert not revision.opinions.filter(status=Opinion.Status.PENDING).exists()
    assert not rejected.exclude(answer="").exists()  # an unpublished opinion is not answered


def test_every_approved_opinion_is_answered_with_a_reason(revision):
    approved = revision.opinions.public()
    assert approved.count() >= 20
    assert not revision.opinions.unanswered().exists()
    assert all(o.answer_reason.strip() and o.answered_by_id for o in approved)
    assert set(approved.values_list("answer", flat=True)) == set(Opinion.Answer.values)


def test_adopted_in_names_an_article_of_both_drafts(revision, window):
    submitted = {a.id for a in revision.draft_revision.as_object().articles()}
    commented = {a.id for a in window.draft.as_object().articles()}
    taken_up = revision.opinions.filter(answer__in=[Opinion.Answer.ADOPTED, Opinion.Answer.PARTLY])
    assert taken_up.count() >= 5
    for opinion in taken_up:
        assert opinion.adopted_in in submitted and opinion.adopted_in in commented
    others = revision.opinions.exclude(answer__in=[Opinion.Answer.ADOPTED, Opinion.Answer.PARTLY])
    assert not others.exclude(adopted_in="").exists()


def test_the_submitted_draft_took_up_what_was_adopted(revision, window):
    """采纳 is checkable: each article an adopted opinion names reads differently in the
    submitted draft than in the 征求意见稿 (or was kept, for a supportive opinion on 第七条)."""
    before = {a.id: a.text for a in window.draft.as_object().articles()}
    after = {a.id: a.text for a in revision.draft_revision.as_object().articles()}
    for aid in ("xh-5", "xh-8", "xh-12", "xh-13"):
        assert before[aid] != after[aid]
    assert "十五桌" in after["xh-5"] and "十桌" in before["xh-5"]
    assert "烈性犬" in after["xh-12"] and "烈性犬" not in before["xh-12"]


def test_personal_data_stays_out_of_what_the_public_reads(revision):
    with_contact = revision.opinions.exclude(mobile="")
    assert with_contact.count() >= 2 and all(o.consent and o.name for o in with_contact)
    names = set(revision.opinions.exclude(name="").values_list("name", flat=True))
    for opinion in revision.opinions.public():
        shown = opinion.shown_text + opinion.answer_reason
        assert not MOBILE.search(shown)
        assert not any(name in shown for name in names)
    redacted = revision.opinions.public().exclude(public_text="")
    assert redacted.count() == 1
    opinion = redacted.get()
    assert "村东头" in opinion.text and "村东头" not in opinion.shown_text
    # The redaction has its own history row, and the history never holds the original words.
    reasons = list(opinion.history.values_list("history_change_reason", flat=True))
    assert "删改公开的意见内容" in reasons
    kept = {f.name for f in Opinion.history.model._meta.fields}
    assert not kept & {"text", "name", "mobile", "consent"}


def test_each_step_is_in_the_history_with_its_actor(revision, committee_xinghua):
    opinion = revision.opinions.filter(article_id="xh-5", status=Opinion.Status.APPROVED).first()
    rows = list(opinion.history.order_by("history_date"))
    assert [r.history_change_reason for r in rows][-2:] == [
        "审核通过，公开",
        f"答复：{opinion.get_answer_display()}",
    ]
    assert rows[-1].history_user == committee_xinghua
    assert timezone.localdate(rows[0].history_date) == opinion.received_on


def test_the_reviewer_left_a_note_on_an_article(revision, reviewer_liuxi):
    note = ArticleNote.objects.get(revision=revision)
    assert note.author == reviewer_liuxi and note.draft_id == revision.draft_revision_id
    assert note.article_label == "第十一条"


def test_seeding_again_adds_nothing(revision):
    counts = (
        CommentWindow.objects.count(),
        Opinion.objects.count(),
        ArticleNote.objects.count(),
        Opinion.history.model.objects.count(),
    )
    seed_opinions()
    seed_opinions()
    assert counts == (
        CommentWindow.objects.count(),
        Opinion.objects.count(),
        ArticleNote.objects.count(),
        Opinion.history.model.objects.count(),
    )
    assert revision.opinions.count() == len(OPINIONS)
