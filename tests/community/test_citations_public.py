"""Every citation a resident or a headless client reads names the text in force on the meeting's
day: a vote before 2026-01-01 the 2018 articles, a vote from then the 2025 ones (community.law)."""

import datetime
import re

import pytest

from community.models import CovenantRevision
from consultation.models import Decision

pytestmark = pytest.mark.django_db

CITATION = re.compile(r"(?:村民委员会组织法|城市居民委员会组织法)（(\d{4})年修[正订]）")
NEW_TEXTS = datetime.date(2026, 1, 1)


def _years(text: str) -> set[str]:
    return set(CITATION.findall(text))


def _expected(day: datetime.date) -> set[str]:
    return {"2025"} if day >= NEW_TEXTS else {"2018"}


def test_each_version_page_cites_the_text_of_its_meeting_day(client):
    versions = CovenantRevision.objects.adopted().select_related("covenant")
    assert {v.meeting_date >= NEW_TEXTS for v in versions} == {True, False}  # both eras seeded
    for version in versions:
        page = client.get(f"{version.covenant.url}versions/{version.pk}/")
        assert page.status_code == 200
        assert _years(page.content.decode()) == _expected(version.meeting_date), version


def test_the_versions_api_serves_the_articles_of_each_day(client):
    for version in CovenantRevision.objects.adopted().select_related("covenant"):
        served = client.get(f"/api/v3/covenants/{version.covenant_id}/versions/").json()
        (entry,) = [v for v in served if v["id"] == version.pk]
        years = {p["version"][:4] for p in entry["legal_basis"] if p["law"].endswith("组织法")}
        assert years == _expected(version.meeting_date)
        assert all(p["citation"].endswith(p["article"]) for p in entry["legal_basis"])


def test_public_decisions_cite_2025_articles_and_their_special_majority(client, xinghua):
    html = client.get(xinghua.url).content.decode()
    for decision in Decision.objects.published().filter(community=xinghua):
        assert decision.meeting_date >= NEW_TEXTS
        assert decision.title in html
    assert _years(html) == {"2025"}
    assert "农村集体经济组织法（2024年）第二十八条" in html
