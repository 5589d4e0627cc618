"""The one history view, on every registered model: versions, who, when, why, and the diff."""

import pytest
from django.core import checks
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.review.registry import history_registry
from consultation.models import Deliberation
from tests.community.review.helpers import FACTORIES, history_url, save

pytestmark = pytest.mark.django_db


def test_every_registered_model_has_a_factory_here():
    assert set(FACTORIES) == {entry.key for entry in history_registry}


def test_every_model_with_history_is_registered():
    from simple_history.models import registered_models

    ours = {m._meta.label_lower for m in registered_models.values()}
    assert ours <= {entry.key for entry in history_registry}
    assert not [e for e in checks.run_checks() if e.id == "community.E801"]


def test_unregistered_model_history_would_fail_the_system_check(monkeypatch):
    from community.review import checks as desk_checks
    from community.review.registry import HistoryRegistry

    partial = HistoryRegistry()
    partial.register("consultation.Decision", title_path="title")
    monkeypatch.setattr("community.review.registry.history_registry", partial)
    ids = [e.obj._meta.label for e in desk_checks.every_versioned_model_is_on_the_desk()]
    assert "community.CovenantRevision" in ids and "consultation.Decision" not in ids


@pytest.mark.parametrize("key", sorted(FACTORIES))
def test_history_view_diff_shows_only_the_changed_field(
    client, district_staff, committee_xinghua, xinghua, key
):
    make, field, value, label = FACTORIES[key]
    record = make(xinghua, committee_xinghua)
    setattr(record, field, value)
    save(record, committee_xinghua, "补充内容")

    client.force_login(district_staff)
    response = client.get(history_url(record))
    assert response.status_code == 200
    diff = response.context["diff"]
    assert [c.name for c in diff] == [field]
    assert diff[0].label == label and diff[0].new == value
    html = response.content.decode()
    assert "补充内容" in html and "李秀兰（weiyuan_xinghua）" in html
    types = [t["type"] for t in response.context["timeline"]]  # newest first
    assert types[0] == "修改" and types[-1] == "创建" and "删除" not in types


def test_any_two_versions_can_be_compared(client, district_staff, committee_xinghua, xinghua):
    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    first = record.history.earliest("history_id")
    record.title = "修建村道（一期）"
    save(record, committee_xinghua, "改标题")
    record.summary = "一期工程。"
    save(record, committee_xinghua, "改说明")
    last = record.history.latest("history_id")

    client.force_login(district_staff)
    default = client.get(history_url(record)).context["diff"]
    assert [c.name for c in default] == ["summary"]
    both = client.get(history_url(record), {"from": first.history_id, "to": last.history_id})
    assert [c.name for c in both.context["diff"]] == ["title", "summary"]
    middle = record.history.get(history_change_reason="改标题").history_id
    assert f"?from={middle}&amp;to={last.history_id}#diff" in both.content.decode()
    swapped = client.get(history_url(record), {"from": last.history_id, "to": first.history_id})
    assert swapped.context["diff"][0].old == "修建村道"


def test_publishing_shows_as_a_change_of_the_publication_time(
    client, district_staff, committee_xinghua, xinghua
):
    record = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    record.publish(committee_xinghua)
    client.force_login(district_staff)
    diff = client.get(history_url(record)).context["diff"]
    assert [c.name for c in diff] == ["published_at"]


def test_streamfield_and_json_are_shown_as_readable_text(
    client, district_staff, committee_xinghua, xinghua
):
    record = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    record.opinions = [
        {
            "type": "opinion",
            "value": {
                "speaker_category": "户籍居民",
                "speaker_name": "王秀英",
                "stance": "support",
                "summary": "赞成修路。",
            },
        }
    ]
    save(record, committee_xinghua, "补录发言")
    client.force_login(district_staff)
    change = client.get(history_url(record)).context["diff"][0]
    assert change.name == "opinions"
    assert (
        change.new
        == "1. 意见：发言人身份：户籍居民；发言人姓名：王秀英；发言摘要：赞成修路。；态度：赞成"
    )
    assert not change.inline and ("insert", change.new) in change.segments

    revision = FACTORIES["community.covenantrevision"][0](xinghua, committee_xinghua)
    revision.warnings = [{"code": "women", "message": "女性到会不足三分之一。"}]
    save(revision, committee_xinghua, "提示")
    change = client.get(history_url(revision)).context["diff"][0]
    assert change.name == "warnings"
    assert '"message": "女性到会不足三分之一。"' in change.new  # JSON, indented, not escaped


def test_reviewer_does_not_see_speaker_names_in_history(
    client, reviewer_liuxi, committee_xinghua, xinghua
):
    record = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    record.opinions = [
        {
            "type": "opinion",
            "value": {
                "speaker_category": "户籍居民",
                "speaker_name": "王秀英",
                "stance": "support",
                "summary": "赞成。",
            },
        }
    ]
    save(record, committee_xinghua, "补录发言")
    client.force_login(reviewer_liuxi)
    html = client.get(history_url(record)).content.decode()
    assert "赞成。" in html and "王秀英" not in html


def test_a_deleted_record_keeps_its_history_with_its_last_state(
    client, district_staff, committee_xinghua, xinghua
):
    record = FACTORIES["consultation.implementationupdate"][0](xinghua, committee_xinghua)
    url = history_url(record)
    record._history_user = committee_xinghua
    record.delete()
    client.force_login(district_staff)
    response = client.get(url)
    assert response.status_code == 200 and response.context["deleted"]
    assert [t["type"] for t in response.context["timeline"]] == ["删除", "创建"]
    last_state = response.context["rows"][0]
    assert last_state.history_type == "-" and last_state.text == "开工。"


def test_unknown_model_or_record_is_404(client, district_staff):
    client.force_login(district_staff)
    assert client.get("/admin/review/history/auth.user/1/").status_code == 404
    assert client.get("/admin/review/history/consultation.decision/999999/").status_code == 404


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_history_view_queries_do_not_grow_with_versions(
    client, district_staff, committee_xinghua, xinghua
):
    few = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    many = FACTORIES["consultation.deliberation"][0](xinghua, committee_xinghua)
    for n in range(12):
        many.chair = f"主持人{n}"
        many.recorder = f"记录人{n}"
        save(many, committee_xinghua, f"第{n}次修改")
    few.chair = "王建国"
    save(few, committee_xinghua, "一次修改")
    assert Deliberation.history.filter(id=many.pk).count() == 13
    client.force_login(district_staff)
    _queries(client, history_url(few))  # warm caches (site, user profile)
    assert _queries(client, history_url(many)) == _queries(client, history_url(few))


def test_a_revisions_procedure_page_links_to_its_history(client, district_staff):
    from community.models import CovenantRevision

    revision = CovenantRevision.objects.filter(stage="vote").first()
    client.force_login(district_staff)
    html = client.get(f"/admin/covenants/revisions/{revision.pk}/").content.decode()
    assert history_url(revision) in html


def test_the_compare_menus_tell_versions_of_the_same_second_apart(
    client, district_staff, committee_xinghua, xinghua
):
    # Versions saved in one second (a seeded or scripted procedure) had identical menu entries.
    import re

    record = FACTORIES["consultation.decision"][0](xinghua, committee_xinghua)
    record.title = "修建村道（一期）"
    save(record, committee_xinghua, "改标题")
    client.force_login(district_staff)
    html = client.get(history_url(record)).content.decode()
    menu = re.search(r'<select name="from">(.*?)</select>', html, re.S).group(1)
    options = [o.strip() for o in re.findall(r"<option[^>]*>(.*?)</option>", menu, re.S)]
    assert any(o.endswith("· 改标题") for o in options), options
    assert len(set(options)) == len(options)
