"""A resident's opinion on a draft (issue 17, item 2): community.opinion_intake.receive, which the
draft page's form and the API share."""

import datetime

import pytest
from django.http import QueryDict

from community.models import Opinion
from community.opinion_intake import RECEIVED_PENDING, RECEIVED_PUBLIC, Code, Received, receive
from tests.community.opinion_helpers import covenant_in_force, made_here, open_window

pytestmark = pytest.mark.django_db


@pytest.fixture
def window(shiqiao, committee_shiqiao, reviewer_liuxi):
    return open_window(
        covenant_in_force(shiqiao, committee_shiqiao, reviewer_liuxi), committee_shiqiao
    )


def _data(**fields) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update({"article": "a5", "text": "建议写明投放时间。", **fields})
    return data


def test_an_opinion_names_its_article_by_block_id_and_records_its_number(window):
    result = receive(window, _data(), "10.0.0.1")
    assert isinstance(result, Received) and result.message == RECEIVED_PENDING
    stored = made_here().get()
    assert (stored.article_id, stored.article_label) == ("a5", "第五条")
    assert stored.status == Opinion.Status.PENDING and stored.source == Opinion.Source.ONLINE
    assert stored.draft_id == window.draft_id and stored.revision_id == window.revision_id


def test_an_opinion_on_the_whole_draft_has_no_article(window):
    assert isinstance(receive(window, _data(article=""), "c"), Received)
    assert made_here().get().article_id == ""


def test_publish_at_once_approves_at_once(window):
    window.publish_at_once = True
    result = receive(window, _data(), "c")
    assert result.opinion.status == Opinion.Status.APPROVED and result.message == RECEIVED_PUBLIC


def test_an_article_not_in_the_draft_is_refused_with_a_clear_message(window):
    result = receive(window, _data(article="nope"), "c")
    assert result.code == Code.INVALID and result.errors[0].code == "unknown_article"
    assert "征求意见稿中没有这一条" in result.errors[0].message
    assert not made_here().exists()


@pytest.mark.parametrize("shift", [-30, 30])
def test_refused_outside_the_window(window, shift):
    window.opens_on += datetime.timedelta(days=shift)
    window.closes_on += datetime.timedelta(days=shift)
    result = receive(window, _data(), "c")
    assert result.code == Code.CLOSED and result.status == 409
    assert ("将于" if shift > 0 else "已于") in result.message
    assert not made_here().exists()


def test_a_name_or_mobile_needs_consent_and_stays_private(window):
    result = receive(window, _data(name="钱晓梅"), "c")
    assert [e.code for e in result.errors] == ["consent"]
    result = receive(
        window, _data(name="钱晓梅", mobile="１３７ ００００ １１１１", consent="on"), "c"
    )
    assert isinstance(result, Received)
    stored = made_here().get()
    assert (stored.name, stored.mobile, stored.consent) == ("钱晓梅", "13700001111", True)


def test_anonymous_only_where_the_window_allows_it(window):
    window.allow_anonymous = False
    result = receive(window, _data(), "c")
    assert {e.field for e in result.errors} == {"name", "mobile"}
    assert isinstance(
        receive(window, _data(name="王", mobile="13700001111", consent="on"), "c"), Received
    )


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "required"),
        ("   \n ", "required"),
        ("有\x00空字符", "invalid_text"),
        ("有\ud800代理项", "invalid_text"),
        ("长" * 100_000, "max_length"),
    ],
)
def test_bad_text_gets_a_clear_message_and_nothing_is_stored(window, text, code):
    result = receive(window, _data(text=text), "c")
    assert result.code == Code.INVALID and result.errors[0].code == code
    assert all(not e.message.isascii() for e in result.errors)
    assert not made_here().exists()


def test_a_bad_mobile_is_refused(window):
    result = receive(window, _data(mobile="12345", consent="on"), "c")
    assert [e.code for e in result.errors] == ["invalid_mobile"]


def test_a_formula_is_stored_as_written(window):
    formula = '=HYPERLINK("http://evil.example","点我")'
    assert isinstance(receive(window, _data(text=formula), "c"), Received)
    assert made_here().get().text == formula


def test_the_honeypot_refuses_and_stores_nothing(window):
    result = receive(window, _data(website="http://spam"), "c")
    assert result.code == Code.HONEYPOT and not made_here().exists()


def test_rate_limited_like_forms_counting_only_stored_opinions(window, settings):
    settings.FORM_RATE_LIMIT = (2, 3600)
    for _ in range(3):  # refused ones do not count
        assert receive(window, _data(text=""), "10.0.0.9").code == Code.INVALID
    assert isinstance(receive(window, _data(), "10.0.0.9"), Received)
    assert isinstance(receive(window, _data(), "10.0.0.9"), Received)
    refused = receive(window, _data(), "10.0.0.9")
    assert refused.code == Code.RATE_LIMITED and refused.status == 429
    assert 0 < refused.retry_after <= 3600 and "分钟后" in refused.message
    assert isinstance(receive(window, _data(), "10.0.0.10"), Received)  # another client
    assert made_here().count() == 3
