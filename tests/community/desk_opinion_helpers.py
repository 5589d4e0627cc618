"""A revision whose draft is open for comment, and opinions on it, for the issue-17 tests."""

import datetime

from community import opinions
from community import transitions as t
from community.models import CovenantRevision, Opinion
from tests.community.covenant_helpers import BASE_TEXT, article, chapter, make_covenant

D = datetime.date
STARTED = D(2026, 4, 1)
TODAY = D(2026, 4, 20)

FIVE_ARTICLES = [
    *BASE_TEXT[:1],
    chapter(
        "c2", "移风易俗",
        article("a3", "红白喜事从简办理，婚事宴席不超过二十桌。"),
        article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"),
        article("a5", "饲养犬只应当拴养或圈养，出户时束犬链。"),
    ),
]  # fmt: skip


def open_revision(community, committee, **window) -> CovenantRevision:
    """A covenant with five articles (第五条 is a5), a revision at 征集民意 started STARTED, and
    its draft open for comment from STARTED to 30 days after TODAY."""
    covenant = make_covenant(community, committee, body=FIVE_ARTICLES)
    revision = t.start_revision(covenant, committee, reason="增加文明养犬条款", started_on=STARTED)
    settings = {"opens_on": STARTED, "closes_on": TODAY + datetime.timedelta(days=30), **window}
    opinions.save_window(revision, committee, **settings)
    revision.refresh_from_db()
    return revision


def resident_opinion(
    revision: CovenantRevision,
    article_id: str = "a5",
    text: str = "建议写明犬只伤人的赔偿责任。",
    *,
    status: str = Opinion.Status.PENDING,
    source: str = Opinion.Source.ONLINE,
    name: str = "",
    mobile: str = "",
    answer: str = "",
    received_at: datetime.datetime | None = None,
) -> Opinion:
    """An opinion as a resident's submission stores it (the intake is community/opinion_intake)."""
    window = revision.comment_window
    articles = opinions.articles_of(window.draft)
    opinion = Opinion(
        revision=revision,
        community=revision.community,
        draft=window.draft,
        article_id=article_id,
        article_label=articles[article_id].label if article_id else "",
        text=text,
        source=source,
        received_on=TODAY,
        **({"received_at": received_at} if received_at else {}),
        status=status,
        reject_reason="abuse" if status == Opinion.Status.REJECTED else "",
        name=name,
        mobile=mobile,
        consent=bool(name or mobile),
        answer=answer,
        answer_reason="已说明。" if answer else "",
    )
    opinion._change_reason = "居民提意见"
    opinion.save()
    return opinion


def many_opinions(revision: CovenantRevision, n: int) -> None:
    """n opinions spread over the articles and statuses, in one insert."""
    window = revision.comment_window
    statuses = [Opinion.Status.APPROVED, Opinion.Status.PENDING, Opinion.Status.REJECTED]
    Opinion.objects.bulk_create(
        Opinion(
            revision=revision,
            community=revision.community,
            draft=window.draft,
            article_id=f"a{i % 5 + 1}",
            article_label="",
            text=f"第 {i} 条意见",
            received_on=TODAY,
            status=statuses[i % 3],
            reject_reason="duplicate" if statuses[i % 3] == Opinion.Status.REJECTED else "",
            answer="explained" if i % 2 else "",
            answer_reason="已说明。" if i % 2 else "",
        )
        for i in range(n)
    )
