import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from community import procedures
from consultation.models import (
    ConsultationIndexPage,
    ConsultationPage,
    Decision,
    Deliberation,
    ImplementationUpdate,
    Status,
)

pytestmark = pytest.mark.django_db
NAMES = ("王秀英", "张国强")


def agenda(community, days_ahead=10, **fields) -> ConsultationPage:
    index = ConsultationIndexPage.objects.child_of(community).get()
    page = ConsultationPage(
        title=fields.pop("title", "测试议题"), slug=fields.pop("slug", "test-topic"),
        starts_at=timezone.now() + datetime.timedelta(days=days_ahead), live=False, **fields,
    )  # fmt: skip
    index.add_child(instance=page)
    return page


def test_statuses_of_the_demo_cover_every_state(xinghua):
    index = ConsultationIndexPage.objects.child_of(xinghua).get()
    derived = {p.title: p.status for p in ConsultationPage.objects.child_of(index).with_status()}
    assert sorted(derived.values()) == sorted(Status.values)
    slow = {
        p.title: p.status for p in ConsultationPage.objects.child_of(index)
    }  # without annotation
    assert slow == derived


def test_status_follows_the_records(shiqiao, committee_shiqiao):
    page = agenda(shiqiao)
    assert page.status == Status.ANNOUNCED
    record = Deliberation(
        agenda=page, held_at=timezone.now(), chair="王", recorder="周", outcome="同意"
    )
    record.save()
    assert page.status == Status.ANNOUNCED  # a draft record does not count
    record.publish(committee_shiqiao)
    assert page.status == Status.DELIBERATED
    update = ImplementationUpdate(agenda=page, date=timezone.localdate(), text="开工")
    update.save()
    update.publish(committee_shiqiao)
    assert page.status == Status.IMPLEMENTING
    done = ImplementationUpdate(agenda=page, date=timezone.localdate(), text="完工", status="done")
    done.save()
    assert page.status == Status.IMPLEMENTING
    done.publish(committee_shiqiao)
    assert page.status == Status.DONE
    page.starts_at = None
    assert page.status == Status.COLLECTING


def test_publishing_too_late_is_refused_with_a_message_and_the_draft_kept(
    client, shiqiao, committee_shiqiao
):
    page = agenda(shiqiao, days_ahead=1)
    client.force_login(committee_shiqiao)
    data = nested_form_data({
        "title": "测试议题", "slug": "test-topic", "background": rich_text(""), "form": "council",
        "starts_at": (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%d %H:%M"),
        "place": "", "online_link": "", "parties": streamfield([]), "materials": streamfield([]),
        "urgent_reason": "", "agenda_items-TOTAL_FORMS": "0", "agenda_items-INITIAL_FORMS": "0",
        "agenda_items-MIN_NUM_FORMS": "0", "agenda_items-MAX_NUM_FORMS": "1000", "action-publish": "publish",
    })  # fmt: skip
    revisions = page.revisions.count()
    response = client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data, follow=True)
    assert "应至少提前 3 天公告" in response.content.decode()
    assert not ConsultationPage.objects.get(pk=page.pk).live
    assert page.revisions.count() == revisions + 1

    data["urgent"] = "on"
    data["urgent_reason"] = "汛期临近，需尽快确定排涝方案"
    client.post(reverse("wagtailadmin_pages:edit", args=(page.pk,)), data)
    live = ConsultationPage.objects.get(pk=page.pk)
    assert live.live
    assert "汛期临近" in client.get(live.url).content.decode()


def test_code_paths_cannot_publish_too_late_either(shiqiao):
    page = agenda(shiqiao, days_ahead=1)
    with pytest.raises(ValidationError, match="应至少提前 3 天公告"):
        page.save_revision().publish()
    assert not ConsultationPage.objects.get(pk=page.pk).live


def test_moving_a_published_meeting_too_close_is_refused_but_drafts_save(shiqiao):
    page = agenda(shiqiao, days_ahead=10)
    page.save_revision().publish()
    page = ConsultationPage.objects.get(pk=page.pk)
    page.starts_at = timezone.now() + datetime.timedelta(days=1)
    page.save_revision()  # a draft is always kept
    with pytest.raises(ValidationError):
        page.save_revision().publish()


def test_deliberation_vote_uses_the_shared_rule(shiqiao, monkeypatch):
    page = agenda(shiqiao)
    record = Deliberation(
        agenda=page, held_at=timezone.now(), chair="王", recorder="周", outcome="同意",
        meeting_kind="village_assembly", eligible=1203, present=601, votes_for=500, women_present=200,
        meeting_date=datetime.date(2026, 6, 20), notice_date=datetime.date(2026, 6, 1),
    )  # fmt: skip
    with pytest.raises(
        ValidationError, match="到会 601 人，未超过本村 18 周岁以上村民 1203 人的半数"
    ):
        record.full_clean()
    calls = []
    monkeypatch.setattr("community.models.vote.check_vote", lambda vote: calls.append(vote) or [])
    record.full_clean()
    assert calls and calls[0].present == 601 and procedures.check_vote is not None


def test_published_record_is_corrected_only_with_a_reason_and_shows_it(
    client, xinghua, committee_xinghua
):
    record = Deliberation.objects.filter(community=xinghua).published().first()
    record.outcome = "悄悄改掉的协商意见"
    with pytest.raises(ValidationError, match="写明更正理由"):
        record.save()
    with pytest.raises(ValidationError):
        record.correct(committee_xinghua, " ")
    record.correct(committee_xinghua, "记录人笔误，补正金额")
    html = client.get(record.agenda.url).content.decode()
    assert "悄悄改掉的协商意见" in html and "更正：记录人笔误，补正金额" in html
    last = record.history.first()
    assert (last.history_user, last.history_change_reason) == (
        committee_xinghua,
        "更正：记录人笔误，补正金额",
    )


def test_speaker_names_never_reach_public_pages_or_the_api(client):
    pages = ConsultationPage.objects.live()
    assert Deliberation.objects.published().count() >= 10
    for page in pages:
        for url in (page.url, f"/api/v3/pages/{page.pk}/"):
            body = client.get(url).content.decode()
            assert not any(name in body for name in NAMES), url
    for index in ConsultationIndexPage.objects.all():
        body = client.get(index.url).content.decode()
        assert not any(name in body for name in NAMES)


def test_urban_community_needs_decisions_enabled(yinxing):
    decision = Decision(community=yinxing, title="社区用房出租", summary="说明")
    with pytest.raises(ValidationError, match="城市社区默认不使用四议两公开"):
        decision.full_clean()
    yinxing.decisions_enabled = True
    yinxing.save()
    decision.full_clean()


def test_decision_refuses_skipped_steps_and_bad_quorum(shiqiao):
    decision = Decision(
        community=shiqiao, title="事项", summary="说明", discussion_on=datetime.date(2026, 1, 2)
    )
    with pytest.raises(ValidationError, match="须先完成“党组织提议”"):
        decision.full_clean()
    decision = Decision(
        community=shiqiao, title="事项", summary="说明",
        proposal_on=datetime.date(2026, 1, 1), discussion_on=datetime.date(2026, 1, 2),
        party_review_on=datetime.date(2026, 1, 3), meeting_date=datetime.date(2026, 1, 4),
        meeting_kind="village_representatives", eligible=35, present=23, votes_for=20, women_present=8,
        authorisation="2026年1月村民会议授权决议",
    )  # fmt: skip
    with pytest.raises(ValidationError, match="未达到村民代表会议组成人员 35 人的三分之二"):
        decision.full_clean()
    decision.present = 24
    decision.full_clean()


def test_demo_decision_went_through_all_six_steps_and_is_public(client, xinghua):
    decision = Decision.objects.get(community=xinghua, title="村集体闲置厂房对外出租")
    assert decision.current_step == "实施结果公开"
    html = client.get(xinghua.url).content.decode()
    assert "四议两公开" in html and decision.title in html and "13.6万元" in html


def test_api_serves_agenda_status_and_public_outcomes(client, xinghua):
    page = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5")
    data = client.get(f"/api/v3/pages/{page.pk}/").json()
    assert data["status"] == "done" and data["status_label"] == "已办结"
    assert [u["status"] for u in data["outcomes"]["updates"]] == ["in_progress", "done"]
    opinion = data["outcomes"]["records"][0]["opinions"][0]
    assert set(opinion) == {"speaker_category", "stance", "stance_label", "summary"}
    assert data["agenda"][0]["title"] == "通报议题背景和前期意见征集情况"


def test_update_photos_are_shown_as_small_renditions(client, xinghua, committee_xinghua):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="新建停车场", file=get_test_image_file(size=(1600, 1200)))
    page = ConsultationPage.objects.descendant_of(xinghua).get(slug="topic-5")
    update = ImplementationUpdate(
        agenda=page, date=timezone.localdate(), text="照片", photos=[("image", image)]
    )
    update.save()
    update.publish(committee_xinghua)
    html = client.get(page.url).content.decode()
    assert 'alt="新建停车场"' in html and 'width="640"' in html and 'loading="lazy"' in html


def test_published_decision_is_corrected_only_with_a_reason_but_may_add_its_result(
    xinghua, committee_xinghua
):
    decision = Decision.objects.get(community=xinghua, title="村集体闲置厂房对外出租")
    decision.result_published_on = None
    decision.result_published_outcome = ""
    decision.correct(committee_xinghua, "补录前先清空")  # set up: resolution public, no result yet
    decision.result_published_on = timezone.localdate()
    decision.result_published_outcome = "已出租"
    decision.save()  # the sixth step is progress, not a correction
    decision.resolution_outcome = "悄悄改掉的决议"
    with pytest.raises(ValidationError, match="写明更正理由"):
        decision.save()


def test_future_dated_resolution_is_not_public_yet(xinghua):
    decision = Decision.objects.get(community=xinghua, title="村集体闲置厂房对外出租")
    Decision.objects.filter(pk=decision.pk).update(
        resolution_published_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert not Decision.objects.published().filter(pk=decision.pk).exists()
