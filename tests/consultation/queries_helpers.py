"""Shared setup for the residents' query tests: a live notice of 杏花村, a supervisor of 杏花村
(the group sync_roles creates), and a way to ask and answer."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from community.models import NoticePage
from consultation.models import NoticeQuery
from consultation.queries import answer

NAME = "钱晓梅"
MOBILE = "13700001111"


@pytest.fixture
def notice(xinghua):
    """A live notice of 杏花村 without the demo's queries."""
    return (
        NoticePage.objects.descendant_of(xinghua).live().filter(queries=None).order_by("pk").first()
    )


@pytest.fixture
def supervisor_xinghua(db):
    user = get_user_model().objects.create_user("jiandu_test", password="x" * 12)
    user.groups.add(Group.objects.get(name="监督委员会:杏花村"))
    return user


def ask_url(notice) -> str:
    return reverse("notice_query_ask", args=(notice.pk,))


def post_query(client, notice, **fields):
    data = {"question": "村道硬化的支出明细在哪里能看到？", "website": "", **fields}
    return client.post(ask_url(notice), data)


def make_query(notice, community, **fields) -> NoticeQuery:
    now = timezone.now()
    defaults = {
        "question": "这笔补助发给了哪些户？",
        "name": NAME,
        "mobile": MOBILE,
        "consent": True,
        "received_at": now,
        "due_on": timezone.localdate(now) + datetime.timedelta(days=10),
    }
    return NoticeQuery.objects.create(notice=notice, community=community, **{**defaults, **fields})


def answered(notice, community, user, text="已在村务公开栏张贴明细。", **fields) -> NoticeQuery:
    query = make_query(notice, community, **fields)
    answer(
        query,
        user,
        {"public_question": query.question, "answer": text, "answered_on": timezone.localdate()},
    )
    return query
