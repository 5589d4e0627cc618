"""Paths found by review: URL lookups, notice measured from announcement, bulk publish, votes, corrections."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationIndexPage, ConsultationPage, Decision, Deliberation

pytestmark = pytest.mark.django_db
INDEX = reverse("consultation_deliberation_modeladmin_index")


def _inspect(pk):
    return reverse("consultation_deliberation_modeladmin_inspect", args=(pk,))


# 1. Personal data / secrets: modeladmin index accepts arbitrary ORM lookups from the query string.
def test_reviewer_cannot_probe_speaker_names_through_index_lookups(client, reviewer_liuxi, xinghua):
    record = next(
        r
        for r in Deliberation.objects.filter(community=xinghua)
        if any(b.value["speaker_name"] == "王秀英" for b in r.opinions)
    )
    idx = next(i for i, b in enumerate(record.opinions) if b.value["speaker_name"] == "王秀英")
    client.force_login(reviewer_liuxi)
    key = f"opinions__{idx}__value__speaker_name"
    hit = client.get(INDEX, {key: "王秀英"}).content.decode()
    miss = client.get(INDEX, {key: "某某某"}).content.decode()
    # Correct behaviour: such a lookup is refused (400) or ignored, so hit and miss look the same.
    assert (_inspect(record.pk) in hit) == (_inspect(record.pk) in miss)


def test_index_lookups_cannot_reach_password_hashes(client, reviewer_liuxi, xinghua):
    own = Deliberation.objects.filter(community=xinghua).select_related("agenda").first()
    author = own.agenda.latest_revision.user
    assert author is not None  # the committee member who wrote the agenda
    client.force_login(reviewer_liuxi)
    key = "agenda__latest_revision__user__password__startswith"
    hit = client.get(INDEX, {key: author.password[:20]})
    miss = client.get(INDEX, {key: "zzzz"})
    assert hit.status_code == 400 or (
        (_inspect(own.pk) in hit.content.decode()) == (_inspect(own.pk) in miss.content.decode())
    )


# 3. Notice period: a topic first published while still collecting (no time) can later be given
#    a meeting time tomorrow and published without the urgent flag: first_published_at is used.
def test_setting_a_time_on_a_live_collecting_agenda_keeps_the_notice_period(shiqiao):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(title="征集中的议题", slug="collecting-x", starts_at=None, live=False)
    index.add_child(instance=page)
    page.save_revision().publish()  # 征集议题 is public, fine
    page = ConsultationPage.objects.get(pk=page.pk)
    page.first_published_at = timezone.now() - datetime.timedelta(days=20)  # published weeks ago
    page.save(update_fields=["first_published_at"])
    page = ConsultationPage.objects.get(pk=page.pk)
    page.starts_at = timezone.now() + datetime.timedelta(hours=12)  # meeting in 12 hours
    assert page.notice_violations(), "12 h notice must be refused without 紧急 + reason"


def test_moving_a_live_meeting_to_tomorrow_is_refused(shiqiao):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(
        title="已公告议题",
        slug="moved-x",
        starts_at=timezone.now() + datetime.timedelta(days=30),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    page = ConsultationPage.objects.get(pk=page.pk)
    page.first_published_at = timezone.now() - datetime.timedelta(days=5)
    page.save(update_fields=["first_published_at"])
    page = ConsultationPage.objects.get(pk=page.pk)
    page.starts_at = timezone.now() + datetime.timedelta(days=1)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        page.save_revision().publish()


# 3b. Bulk publish from the explorer bypasses the hook; save() raises ValidationError -> 500.
def test_bulk_publish_of_a_too_late_agenda_is_a_message_not_a_500(
    client, shiqiao, committee_shiqiao
):
    index = ConsultationIndexPage.objects.child_of(shiqiao).get()
    page = ConsultationPage(
        title="明天开会",
        slug="bulk-x",
        starts_at=timezone.now() + datetime.timedelta(days=1),
        live=False,
    )
    index.add_child(instance=page)
    page.save_revision()
    client.force_login(committee_shiqiao)
    client.raise_request_exception = False
    url = (
        reverse("wagtail_bulk_action", args=("wagtailcore", "page", "publish"))
        + f"?id={page.pk}&next=/admin/"
    )
    response = client.post(url, {"include_descendants": ""})
    assert response.status_code in (200, 302)
    assert not ConsultationPage.objects.get(pk=page.pk).live


# 5/6. Decision: entering the resolution date before choosing the meeting kind -> ValueError (500).
def test_decision_with_meeting_date_but_no_meeting_kind_is_a_form_error(shiqiao):
    from django.core.exceptions import ValidationError

    d = Decision(
        community=shiqiao,
        title="事项",
        summary="说明",
        proposal_on=datetime.date(2026, 1, 1),
        discussion_on=datetime.date(2026, 1, 2),
        party_review_on=datetime.date(2026, 1, 3),
        meeting_date=datetime.date(2026, 1, 4),
    )
    with pytest.raises(ValidationError):
        d.full_clean()


def test_decision_admin_create_without_meeting_kind_is_not_a_500(
    client, shiqiao, committee_shiqiao
):
    client.force_login(committee_shiqiao)
    client.raise_request_exception = False
    data = {
        "community": shiqiao.pk,
        "title": "事项",
        "summary": "说明",
        "consultation": "",
        "proposal_on": "2026-01-01",
        "discussion_on": "2026-01-02",
        "party_review_on": "2026-01-03",
        "meeting_date": "2026-01-04",
        "meeting_kind": "",
    }
    response = client.post(reverse("consultation_decision_modeladmin_create"), data)
    assert response.status_code == 200


# 5. A consultation vote by a 村民代表会议 is refused with the covenant-only authorisation rule.
def test_deliberation_vote_by_village_representatives_is_accepted(shiqiao):
    page = ConsultationPage.objects.descendant_of(shiqiao).first()
    record = Deliberation(
        agenda=page,
        held_at=timezone.now(),
        chair="王",
        recorder="周",
        outcome="同意",
        meeting_kind="village_representatives",
        eligible=35,
        present=30,
        votes_for=25,
        women_present=12,
        meeting_date=datetime.date(2026, 6, 20),
    )
    record.full_clean()  # quorum 30/35 >= 2/3, majority 25/30: a valid vote


# 4. A draft record moved to another community's agenda keeps the old community.
def test_record_follows_its_agenda_community(superuser, xinghua, shiqiao):
    record = Deliberation.objects.filter(community=xinghua, published_at__isnull=True).first() or (
        Deliberation.objects.create(
            agenda=ConsultationPage.objects.descendant_of(xinghua).first(),
            held_at=timezone.now(),
            chair="王",
            recorder="周",
            outcome="x",
        )
    )
    record.agenda = ConsultationPage.objects.descendant_of(shiqiao).first()
    record.save()
    record.refresh_from_db()
    assert record.community_id == shiqiao.pk
