"""The supervision committee records a 民主评议 through the form as a browser submits it: every
input and select of the page goes back, the two blank rows at the bottom included (their 类别
select posts its first option), and blank rows are ignored as the form's help text promises."""

import datetime

import pytest
from bs4 import BeautifulSoup

from community.models import Evaluation
from community.procedures import MeetingKind

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def browser_data(html: str) -> dict:
    """What a browser posts for the page's form, untouched: text inputs with their value, checked
    boxes only, each select's selected option or else its first."""
    form = BeautifulSoup(html, "html.parser").find("main").find("form", method="post")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "select":
            options = field.find_all("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            data[name] = chosen[0].get("value", chosen[0].text) if chosen else ""
        elif field.name == "textarea":
            data[name] = field.text
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") not in ("submit", "button"):
            data[name] = field.get("value", "")
    return data


def fill_meeting(data: dict, present: int = 40) -> dict:
    data.update(
        {
            "meeting_kind": MeetingKind.VILLAGE_REPRESENTATIVES,
            "meeting_date": TODAY.isoformat(),
            "eligible": "45",
            "present": str(present),
            "women_present": "15",
        }
    )
    return data


def fill_tallies(data: dict, rows: int) -> dict:
    for n in range(rows):
        data.update(
            {
                f"ratings-{n}-competent": "30",
                f"ratings-{n}-basic": "8",
                f"ratings-{n}-incompetent": "2",
            }
        )
    return data


@pytest.fixture
def this_years(xinghua):
    return Evaluation.objects.create(community=xinghua, year=TODAY.year)


def test_the_committee_saves_last_years_people_with_the_blank_rows_left_blank(
    client, supervisor_xinghua, this_years
):
    client.force_login(supervisor_xinghua)
    url = f"/admin/evaluations/{this_years.pk}/edit/"
    data = browser_data(client.get(url).content.decode())
    people = int(data["ratings-INITIAL_FORMS"])
    assert people == 6 and int(data["ratings-TOTAL_FORMS"]) == people + 2
    assert data[f"ratings-{people}-name"] == "" and data[f"ratings-{people}-kind"] == "member"
    response = client.post(url, fill_tallies(fill_meeting(data), people))
    assert response.status_code == 302, response.content.decode()[-4000:]
    assert this_years.ratings.count() == people
    assert set(this_years.ratings.values_list("rating", flat=True)) == {"competent"}


@pytest.mark.parametrize("kind", ["member", "hired"])
def test_a_blank_row_is_ignored_whatever_its_kind_and_deleted_rows_too(
    client, supervisor_xinghua, this_years, kind
):
    client.force_login(supervisor_xinghua)
    url = f"/admin/evaluations/{this_years.pk}/edit/"
    data = fill_tallies(fill_meeting(browser_data(client.get(url).content.decode())), 5)
    people = int(data["ratings-INITIAL_FORMS"])
    data[f"ratings-{people}-kind"] = kind
    data[f"ratings-{people + 1}-kind"] = kind
    data[f"ratings-{people + 1}-DELETE"] = "on"
    data[f"ratings-{people - 1}-DELETE"] = "on"  # the sixth of last year's people is not rated
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-4000:]
    assert this_years.ratings.count() == 5


def test_a_half_filled_extra_row_is_still_checked(client, supervisor_xinghua, this_years):
    client.force_login(supervisor_xinghua)
    url = f"/admin/evaluations/{this_years.pk}/edit/"
    data = browser_data(client.get(url).content.decode())
    people = int(data["ratings-INITIAL_FORMS"])
    data = fill_tallies(fill_meeting(data), people)
    data[f"ratings-{people}-name"] = "新委员"
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "请填写职务" in text and "请填写票数" in text
    assert not this_years.ratings.exists()


def section_text(html: str, year: int) -> str:
    section = BeautifulSoup(html, "html.parser").find(id=f"evaluation-{year}")
    return " ".join(section.get_text(" ").split())


def test_a_residents_meeting_carried_by_households_reads_as_one_meeting(client, yinxing):
    """银杏社区's 居民会议 reached its quorum by household representatives: the attendance line
    and 达到法定人数 both count households, and the articles are the 评议依据."""
    evaluation = Evaluation.objects.filter(community=yinxing).latest("year")
    households, represented = evaluation.households, evaluation.households_represented
    assert evaluation.present < evaluation.eligible // 2 < evaluation.eligible  # not by heads
    text = section_text(client.get(yinxing.url + "evaluation/").content.decode(), evaluation.year)
    assert f"到会 {evaluation.present} 人，代表总户数 {households} 户中的 {represented} 户" in text
    assert f"达到法定人数：到会户代表 {represented} 户 / 总户数 {households} 户" in text
    assert f"应到 {evaluation.eligible} 人" not in text
    assert "评议依据：城市居民委员会组织法" in text and "表决依据" not in text


def test_a_representatives_meeting_states_heads_on_the_desk(client, shiqiao, reviewer_liuxi):
    evaluation = Evaluation.objects.filter(community=shiqiao).latest("year")
    client.force_login(reviewer_liuxi)
    page = client.get(f"/admin/evaluations/{evaluation.pk}/").content.decode()
    text = " ".join(BeautifulSoup(page, "html.parser").find("main").get_text(" ").split())
    assert f"应到 {evaluation.eligible} 人，到会 {evaluation.present} 人" in text
    assert "评议依据：村民委员会组织法" in text and "表决依据" not in text


def test_names_and_posts_have_room_on_the_form(client, supervisor_xinghua, this_years):
    client.force_login(supervisor_xinghua)
    page = client.get(f"/admin/evaluations/{this_years.pk}/edit/").content.decode()
    soup = BeautifulSoup(page, "html.parser")
    assert soup.find("table", class_="evaluation-tallies").find(
        "input", attrs={"name": "ratings-0-name"}
    )
    assert '.evaluation-tallies input[name$="-name"]' in page and "min-width: 9em" in page
