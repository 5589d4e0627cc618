"""民主评议 (village 2025 §38, urban 2025 §37): the supervision committee records a year's meeting and
tallies; the assembly's quorum applies, tallies are bounded, the rating follows the district's
practice, two consecutive 不称职 are flagged to the township once, an urban evaluation counts only
once published, and a community without one by the year's end is overdue on the calendar."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from community.demo_evaluation import seed_evaluations
from community.disclosure.calendar import Status, calendars
from community.evaluations import flag_consecutive, save_results
from community.models import CommunityPage, Evaluation, Notification
from community.models.evaluation import Rating, person_key, rate
from community.procedures import MeetingKind

pytestmark = pytest.mark.django_db
D = datetime.date


def village_meeting(day, present=40, eligible=45):
    return {
        "meeting_kind": MeetingKind.VILLAGE_REPRESENTATIVES,
        "meeting_date": day,
        "eligible": eligible,
        "present": present,
        "women_present": 15,
    }


def person(name="赵大勇", post="委员", competent=30, basic=5, incompetent=5, kind="member"):
    return {
        "name": name,
        "post": post,
        "kind": kind,
        "competent": competent,
        "basic": basic,
        "incompetent": incompetent,
    }


def evaluate(community, year, ratings, meeting=None, published_on=None):
    evaluation = Evaluation.objects.create(community=community, year=year)
    meeting = meeting or village_meeting(D(year, 12, 10))
    return save_results(evaluation, None, meeting, ratings, published_on=published_on)


@pytest.mark.parametrize(
    "present, competent, basic, incompetent, expected",
    [
        (40, 30, 8, 2, Rating.COMPETENT),
        (40, 21, 10, 9, Rating.COMPETENT),  # 21 of 40: more than half
        (40, 20, 20, 0, Rating.BASIC),  # exactly half is not more than half
        (40, 10, 25, 5, Rating.BASIC),
        (40, 10, 10, 20, Rating.BASIC),  # half 不称职 is not yet 不称职
        (40, 5, 14, 21, Rating.INCOMPETENT),
        (41, 0, 0, 21, Rating.INCOMPETENT),
        (41, 0, 21, 20, Rating.BASIC),
        (40, 8, 8, 8, Rating.BASIC),  # many abstained
    ],
)
def test_the_rating_follows_the_districts_practice(
    present, competent, basic, incompetent, expected
):
    assert rate(present, competent, basic, incompetent) == expected


def test_a_person_is_the_same_however_the_name_is_typed():
    assert person_key("张 三") == person_key("张三") == person_key("張三".replace("張", "张"))
    assert person_key("ＷＡＮＧ Wei") == person_key("wangwei")


def test_results_are_stored_with_the_rating_of_the_tallies(xinghua):
    evaluation = evaluate(xinghua, 2023, [person(), person("钱小红", "报账员", 5, 10, 25, "hired")])
    ratings = {r.name: r for r in evaluation.ratings.all()}
    assert ratings["赵大勇"].rating == Rating.COMPETENT
    assert ratings["钱小红"].rating == Rating.INCOMPETENT
    assert evaluation.history.count() >= 1
    assert ratings["赵大勇"].history.count() == 1


def test_the_assemblys_quorum_applies(xinghua):
    """A 村民代表会议 needs two thirds of its members present (2018 §26, 2025 §30)."""
    evaluation = Evaluation.objects.create(community=xinghua, year=2023)
    with pytest.raises(ValidationError) as refused:
        save_results(
            evaluation,
            None,
            village_meeting(D(2023, 12, 1), present=29),
            [person(competent=20, basic=5, incompetent=4)],
        )
    assert "三分之二" in str(refused.value)
    assert "第二十六条第二款" in str(refused.value)  # the 2018 text on a 2023 meeting
    assert not evaluation.ratings.exists()


def test_a_group_meeting_cannot_evaluate(xinghua):
    meeting = {**village_meeting(D(2023, 12, 1)), "meeting_kind": MeetingKind.VILLAGE_GROUP}
    evaluation = Evaluation.objects.create(community=xinghua, year=2023)
    with pytest.raises(ValidationError) as refused:
        save_results(evaluation, None, meeting, [person()])
    assert "村民小组会议" in str(refused.value)


def test_tallies_cannot_exceed_those_present(xinghua):
    evaluation = Evaluation.objects.create(community=xinghua, year=2023)
    with pytest.raises(ValidationError) as refused:
        save_results(
            evaluation,
            None,
            village_meeting(D(2023, 12, 1)),
            [person(competent=30, basic=6, incompetent=5)],
        )
    assert "合计 41 票，超过到会人数 40 人" in str(refused.value)
    assert not evaluation.ratings.exists()


def test_a_person_needs_votes_and_appears_once(xinghua):
    evaluation = Evaluation.objects.create(community=xinghua, year=2023)
    with pytest.raises(ValidationError) as refused:
        save_results(
            evaluation, None, village_meeting(D(2023, 12, 1)),
            [person(), person("赵 大勇", "副主任"), person("孙三", competent=0, basic=0, incompetent=0)],
        )  # fmt: skip
    text = str(refused.value)
    assert "“赵 大勇”登记了两次" in text
    assert "请填写孙三的评议票数" in text


def test_paid_helpers_are_evaluated_in_villages_only(yinxing):
    evaluation = Evaluation.objects.create(community=yinxing, year=2026)
    meeting = {
        "meeting_kind": MeetingKind.RESIDENTS_REPRESENTATIVES, "meeting_date": D(2026, 3, 1),
        "eligible": 30, "present": 25,
    }  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        save_results(
            evaluation, None, meeting, [person(competent=20, basic=3, incompetent=2, kind="hired")]
        )
    assert "聘用人员" in str(refused.value)


def test_the_meeting_is_not_before_the_year_nor_in_the_future(xinghua):
    evaluation = Evaluation.objects.create(community=xinghua, year=2024)
    with pytest.raises(ValidationError) as refused:
        save_results(evaluation, None, village_meeting(D(2023, 12, 1)), [person()])
    assert "不能早于 2024年1月1日" in str(refused.value)
    future = datetime.date.today() + datetime.timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        save_results(evaluation, None, village_meeting(future), [person()])
    assert "不能晚于今天" in str(refused.value)


def test_published_results_are_final(xinghua):
    evaluation = evaluate(xinghua, 2023, [person()], published_on=D(2023, 12, 20))
    with pytest.raises(ValidationError) as refused:
        save_results(evaluation, None, village_meeting(D(2023, 12, 10)), [person(competent=10)])
    assert "不能再修改" in str(refused.value)
    assert evaluation.ratings.get().competent == 30


def notes(reviewer):
    return Notification.objects.filter(recipient=reviewer, kind=Notification.Kind.EVALUATION_FLAG)


FAIL = {"competent": 5, "basic": 10, "incompetent": 25}


def test_two_consecutive_incompetent_are_flagged_to_the_township_once(
    xinghua, reviewer_liuxi, reviewer_dongcheng
):
    evaluate(xinghua, 2022, [person(**FAIL), person("钱一")])
    assert not notes(reviewer_liuxi).exists()
    second = evaluate(xinghua, 2023, [person(post="副主任", **FAIL), person("钱一", **FAIL)])
    flagged = [r.name for r in second.ratings.all() if r.consecutive_incompetent]
    assert flagged == ["赵大勇"]  # 钱一 was 称职 the year before
    note = notes(reviewer_liuxi).get()
    assert "职务终止" in note.message and "赵大勇" in note.message
    assert "村民委员会组织法（2018年修正）第三十三条第二款" in note.message
    assert note.link == f"/admin/evaluations/{second.pk}/"
    flag_consecutive(second)
    save_results(
        Evaluation.objects.get(pk=second.pk),
        None,
        village_meeting(D(2023, 12, 10)),
        [person(post="副主任", **FAIL), person("钱一", **FAIL)],
    )
    assert notes(reviewer_liuxi).count() == 1
    assert not notes(reviewer_dongcheng).exists()


def test_a_competent_evaluation_between_breaks_the_chain(xinghua, reviewer_liuxi):
    evaluate(xinghua, 2021, [person(**FAIL)])
    evaluate(xinghua, 2022, [person()])
    third = evaluate(xinghua, 2023, [person(**FAIL)])
    assert not third.ratings.get().consecutive_incompetent
    assert not notes(reviewer_liuxi).exists()


def test_paid_helpers_are_not_flagged(xinghua, reviewer_liuxi):
    """Paragraph 2 ends the office of committee members; helpers are evaluated, not named there."""
    evaluate(xinghua, 2021, [person(kind="hired", **FAIL)])
    second = evaluate(xinghua, 2022, [person(kind="hired", **FAIL)])
    assert not second.ratings.get().consecutive_incompetent
    evaluate(xinghua, 2022 + 1, [person(**FAIL)])  # a member now, a helper the year before
    third = evaluate(xinghua, 2024, [person(kind="hired", **FAIL)])  # and a helper again
    assert not third.ratings.get().consecutive_incompetent
    assert not notes(reviewer_liuxi).exists()


def test_correcting_the_earlier_evaluation_flags_the_later_one(xinghua, reviewer_liuxi):
    first = evaluate(xinghua, 2022, [person()])
    second = evaluate(xinghua, 2023, [person(**FAIL)])
    assert not second.ratings.get().consecutive_incompetent
    save_results(
        Evaluation.objects.get(pk=first.pk),
        None,
        village_meeting(D(2022, 12, 10)),
        [person(**FAIL)],
    )
    assert second.ratings.get().consecutive_incompetent
    assert notes(reviewer_liuxi).count() == 1


def urban_meeting(day):
    return {
        "meeting_kind": MeetingKind.RESIDENTS_REPRESENTATIVES,
        "meeting_date": day,
        "eligible": 30,
        "present": 25,
    }


def test_an_urban_evaluation_before_the_2025_text_is_not_the_first_of_two(
    reviewer_dongcheng,
):
    """No urban text before 2026 ended an office for 不称职: a 2025 urban 不称职 has no legal effect,
    so the 2026 不称职 is the first that counts and nothing ends retroactively."""
    hepingli = CommunityPage.objects.get(slug="hepingli")
    failed = person(competent=3, basic=5, incompetent=15)
    assembly = {  # the 2018 text: a 居民会议 of the households' representatives
        "meeting_kind": MeetingKind.RESIDENTS_ASSEMBLY,
        "meeting_date": D(2025, 12, 10),
        "eligible": hepingli.adult_residents,
        "households": hepingli.households,
        "households_represented": hepingli.households // 2 + 1,
        "present": hepingli.households // 2 + 1,
    }
    first = evaluate(
        hepingli, 2025, [person(competent=100, basic=100, incompetent=hepingli.households // 3)],
        meeting=assembly,
    )  # fmt: skip
    assert first.law is None and first.ratings.get().rating == Rating.INCOMPETENT
    second = evaluate(hepingli, 2026, [failed], meeting=urban_meeting(D(2026, 3, 10)))
    assert second.law is not None and second.ratings.get().rating == Rating.INCOMPETENT
    assert not second.ratings.get().consecutive_incompetent
    assert not notes(reviewer_dongcheng).exists()


def test_an_urban_evaluation_is_complete_only_once_published(yinxing):
    day = D(2026, 3, 1)
    evaluation = Evaluation.objects.create(community=yinxing, year=day.year)
    save_results(
        evaluation, None, urban_meeting(day), [person(competent=20, basic=3, incompetent=2)]
    )
    assert evaluation.recorded and not evaluation.complete()
    assert "城市居民委员会组织法（2025年修订）第三十七条" in evaluation.status()
    village = evaluate(CommunityPage.objects.get(slug="shiqiao"), 2023, [person()])
    assert village.complete()  # publishing is optional for a village (2018 §33)


def year_entry(community, year, today):
    calendar = calendars(CommunityPage.objects.filter(pk=community.pk), today=today)[community.pk]
    return next(
        e for e in calendar.entries
        if e.item.key.endswith("-evaluation") and e.period and e.period.code == str(year)
    )  # fmt: skip


def test_a_village_without_an_evaluation_is_overdue_after_the_years_end(xinghua):
    year = 2026
    assert year_entry(xinghua, year, D(year, 12, 31)).status == Status.NOT_DUE
    assert year_entry(xinghua, year, D(year + 1, 1, 1)).status == Status.OVERDUE
    evaluate(xinghua, year, [person()], meeting=village_meeting(D(year, 6, 10)))
    entry = year_entry(xinghua, year, D(year + 1, 1, 1))
    assert entry.status == Status.ON_TIME
    assert entry.disclosed.disclosed_on == D(year, 6, 10)


def test_an_urban_evaluation_counts_from_its_publication(yinxing):
    evaluation = Evaluation.objects.create(community=yinxing, year=2026)
    save_results(
        evaluation,
        None,
        urban_meeting(D(2026, 6, 10)),
        [person(competent=20, basic=3, incompetent=2)],
    )
    assert year_entry(yinxing, 2026, D(2027, 1, 1)).status == Status.OVERDUE
    save_results(
        Evaluation.objects.get(pk=evaluation.pk), None, urban_meeting(D(2026, 6, 10)),
        [person(competent=20, basic=3, incompetent=2)], published_on=D(2026, 6, 20),
    )  # fmt: skip
    entry = year_entry(yinxing, 2026, D(2027, 1, 1))
    assert entry.status == Status.ON_TIME
    assert entry.disclosed.url.endswith("/evaluation/")


def test_the_demo_evaluated_last_year():
    year = datetime.date.today().year - 1
    found = Evaluation.objects.filter(year=year).select_related("community")
    kinds = {e.community.slug: e for e in found}
    assert {"xinghua", "shiqiao", "nanshan", "yinxing"} <= set(kinds)
    assert kinds["yinxing"].published_on is not None
    for evaluation in found:
        assert {r.rating for r in evaluation.ratings.all()} <= {Rating.COMPETENT, Rating.BASIC}
    assert seed_evaluations() == 0
