"""Building covenant texts for tests: raw StreamField data with fixed block ids."""

import datetime

from django.utils import timezone

from community.importing import save_draft
from community.models import CovenantPage


def article(aid: str, text: str) -> dict:
    return {"type": "item", "value": f"<p>{text}</p>", "id": aid}


def loose_article(aid: str, text: str) -> dict:
    """An article outside any chapter (the body's own "article" block)."""
    return {"type": "article", "value": f"<p>{text}</p>", "id": aid}


def chapter(cid: str, title: str, *articles: dict) -> dict:
    return {"type": "chapter", "value": {"title": title, "articles": list(articles)}, "id": cid}


BASE_TEXT = [
    chapter(
        "c1", "总则",
        article("a1", "为推进村民自治，弘扬社会主义核心价值观，制定本村规民约。"),
        article("a2", "本村规民约经村民会议讨论通过，全体村民共同遵守。"),
    ),
    chapter(
        "c2", "移风易俗",
        article("a3", "红白喜事从简办理，婚事宴席不超过二十桌。"),
        article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"),
    ),
]  # fmt: skip


def make_covenant(community, user, body=None, title="石桥村村规民约") -> CovenantPage:
    covenant = CovenantPage(
        title=title, slug="covenant", kind="village_covenant", body=body or BASE_TEXT
    )
    community.add_child(instance=covenant)
    covenant.save_revision(user=user)
    return covenant


def edit_draft(covenant: CovenantPage, user, body) -> None:
    """Save `body` as the draft, refusing a block type the body does not have (which Wagtail
    would drop without a word, leaving the draft unchanged)."""
    save_draft(covenant, user, body)


def good_vote(**overrides) -> dict:
    vote = dict(
        meeting_kind="village_assembly",
        meeting_date=datetime.date(2026, 6, 20),
        notice_date=datetime.date(2026, 6, 8),
        party_body="石桥村党支部委员会",
        eligible=1686, present=900, households=612, households_represented=0,
        women_present=400, votes_for=850, votes_against=30, abstentions=20,
    )  # fmt: skip
    vote = {**vote, **overrides}
    # the Party organisation's discussion (2025 texts) comes first: a little before the meeting
    vote.setdefault("party_discussed_on", vote["meeting_date"] - datetime.timedelta(days=19))
    return vote


_REAL_LOCALDATE = timezone.localdate


def freeze_today(monkeypatch, day: datetime.date) -> None:
    """Make `day` today for everything that asks django.utils.timezone.localdate() (the
    procedure's date checks, the version in force, the page cache's key); a date given to it
    is still converted."""

    def localdate(value=None, timezone=None):
        return day if value is None else _REAL_LOCALDATE(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
