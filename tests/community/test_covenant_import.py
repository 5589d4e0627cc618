import datetime
from dataclasses import replace

import pytest

from community.importing import HistoricalAdoption, import_adoption
from community.models import CovenantPage, CovenantRevision, Stage
from community.transitions import ProcedureError
from tests.community.covenant_helpers import BASE_TEXT, good_vote

pytestmark = pytest.mark.django_db
D = datetime.date


def adoption(**vote) -> HistoricalAdoption:
    return HistoricalAdoption(
        text=BASE_TEXT, reason="补录2018年版", started_on=D(2018, 3, 1), opinions_received=50,
        opinions_summary="汇总", submitted_on=D(2018, 4, 1), review_opinion="合法", reviewed_on=D(2018, 4, 10),
        vote=good_vote(meeting_date=D(2018, 5, 1), notice_date=D(2018, 4, 20), **vote),
        filing_authority="柳溪镇人民政府", filing_number="柳民备〔2018〕1号", filed_on=D(2018, 5, 20),
        version_label="2018年版", published_on=D(2018, 5, 25),
    )  # fmt: skip


def test_historical_adoption_is_a_completed_procedure_with_its_dates(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    covenant = CovenantPage(title="石桥村村规民约", slug="covenant")
    shiqiao.add_child(instance=covenant)
    revision = import_adoption(covenant, committee_shiqiao, reviewer_liuxi, adoption())
    assert revision.imported and revision.stage == Stage.PUBLISHED
    assert (revision.meeting_date, revision.published_on) == (D(2018, 5, 1), D(2018, 5, 25))
    assert "filing_late" in [w["code"] for w in revision.warnings]  # 19 days after the vote
    assert CovenantPage.objects.get(pk=covenant.pk).live


def test_historical_adoption_obeys_the_same_quorum(shiqiao, committee_shiqiao, reviewer_liuxi):
    covenant = CovenantPage(title="石桥村村规民约", slug="covenant")
    shiqiao.add_child(instance=covenant)
    with pytest.raises(ProcedureError, match="未超过本村 18 周岁以上村民"):
        import_adoption(
            covenant, committee_shiqiao, reviewer_liuxi, adoption(present=800, votes_for=750)
        )
    assert not CovenantPage.objects.get(pk=covenant.pk).live
    assert not CovenantRevision.objects.filter(covenant=covenant).exists()


def test_demo_has_three_covenants_with_versions_and_one_revision_awaiting_the_vote():
    versions = {c.title: c.versions().count() for c in CovenantPage.objects.all()}
    assert versions == {"杏花村村规民约": 2, "石桥村村规民约": 2, "银杏社区居民公约": 3}
    (waiting,) = CovenantRevision.objects.filter(stage=Stage.VOTE)
    assert waiting.covenant.title == "杏花村村规民约"
    assert waiting.covenant.latest_revision_id == waiting.reviewed_revision_id  # ready to vote on


def test_demo_versions_cite_the_text_of_their_day():
    """2019–2024 votes keep their 2018 articles; the 2026 ones cite the 2025 texts."""
    cited = {
        (v.covenant.title, v.version_label): v.legal_basis[0].citation
        for v in CovenantRevision.objects.adopted().select_related("covenant")
    }
    assert cited == {
        ("杏花村村规民约", "2019年版"): "村民委员会组织法（2018年修正）第二十二条",
        ("杏花村村规民约", "2023年修订"): "村民委员会组织法（2018年修正）第二十二条",
        ("石桥村村规民约", "2021年版"): "村民委员会组织法（2018年修正）第二十二条",
        ("石桥村村规民约", "2026年修订"): "村民委员会组织法（2025年修正）第二十六条",
        ("银杏社区居民公约", "2020年版"): "城市居民委员会组织法（2018年修正）第九条第三款",
        ("银杏社区居民公约", "2024年修订"): "城市居民委员会组织法（2018年修正）第九条第三款",
        ("银杏社区居民公约", "2026年修订"): "城市居民委员会组织法（2025年修订）第二十九条",
    }


def test_every_demo_version_has_its_articles():
    """A block type the body does not know is dropped silently: every seeded text must survive."""
    for covenant in CovenantPage.objects.all():
        for version in covenant.versions():
            (text,) = covenant.texts_of(version)
            assert len(text.articles()) >= 5, (covenant.title, version.version_label)


def test_a_text_with_a_block_type_the_body_does_not_have_is_refused(
    shiqiao, committee_shiqiao, reviewer_liuxi
):
    """Wagtail drops a raw block of an unknown type without a word: an imported text of chapter
    items at the top level ("item" instead of "article") would be saved empty."""
    covenant = CovenantPage(title="石桥村村规民约", slug="covenant")
    shiqiao.add_child(instance=covenant)
    text = [{"type": "item", "value": "<p>本村规民约适用于本村全体村民。</p>", "id": "x-1"}]
    with pytest.raises(ProcedureError, match="item"):
        import_adoption(covenant, committee_shiqiao, reviewer_liuxi, replace(adoption(), text=text))
    assert not CovenantRevision.objects.filter(covenant=covenant).exists()


def test_demo_covenants_have_text_in_every_version():
    empty = [
        (v.covenant.title, v.version_label)
        for v in CovenantRevision.objects.adopted().select_related("covenant", "voted_revision")
        if not v.voted_revision.as_object().outline()
    ]
    assert empty == []
