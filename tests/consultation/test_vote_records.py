"""Votes recorded on a 四议两公开 decision and on a deliberation: form errors, never a 500; the
rules of each purpose."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from consultation.models import ConsultationPage, Decision, Deliberation

pytestmark = pytest.mark.django_db


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
