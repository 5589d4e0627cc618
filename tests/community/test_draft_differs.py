"""Issue 14 item 7: a draft must differ. 提请审核 of a draft that says what the version in force
says is refused (draft_unchanged), "identical" meaning the same text by meaning (same preamble,
chapters and articles by text and links), not byte-equal JSON; the drafting stage and the refusal
link to the page editor where the text is edited."""

import copy
import datetime

import pytest
from django.urls import reverse

from community import transitions as t
from community.models import Stage
from community.steps import ProcedureError
from tests.community.covenant_helpers import BASE_TEXT, article, chapter, edit_draft, make_covenant
from tests.community.editor import save_in_editor, through_draftail
from tests.community.test_covenant_pages import adopt

pytestmark = pytest.mark.django_db
D = datetime.date
REFUSAL = "草案与现行版本相同，请先在编辑页修改条文"


@pytest.fixture
def in_force(shiqiao, committee_shiqiao, reviewer_liuxi):
    """A covenant with one version in force, and a new revision at 拟定草案."""
    covenant = make_covenant(shiqiao, committee_shiqiao)
    adopt(covenant, committee_shiqiao, reviewer_liuxi, "2023年版", 2023)
    revision = t.start_revision(
        covenant, committee_shiqiao, reason="修订", started_on=D(2026, 3, 1)
    )
    t.begin_drafting(revision, committee_shiqiao)
    return covenant, revision


def submit(revision, user):
    return t.submit_for_review(revision, user, submitted_on=D(2026, 4, 1))


def refusal_codes(revision, user):
    with pytest.raises(ProcedureError) as refused:
        submit(revision, user)
    return [(v.code, v.message) for v in refused.value.violations]


def editor_resaved(raw):
    raw = copy.deepcopy(raw)
    for block in raw:
        for item in block["value"]["articles"]:
            item["value"] = through_draftail(item["value"])
    return raw


@pytest.mark.parametrize(
    "draft",
    [
        pytest.param(lambda: None, id="no-new-draft"),
        pytest.param(lambda: BASE_TEXT, id="saved-again-unchanged"),
        pytest.param(lambda: editor_resaved(BASE_TEXT), id="data-block-key"),
        pytest.param(
            lambda: [
                BASE_TEXT[0],
                chapter(
                    "c2",
                    "移风易俗",
                    article("a3", "<b>红白喜事</b>从简办理，婚事宴席不超过二十桌。"),
                    article("a4", "倡导文明祭扫，\n 不在山林焚烧纸钱。"),
                ),
            ],
            id="bold-and-whitespace",
        ),
        pytest.param(
            lambda: [
                chapter(
                    "n1",
                    "总则",
                    *[a | {"id": f"n-{a['id']}"} for a in BASE_TEXT[0]["value"]["articles"]],
                ),
                BASE_TEXT[1],
            ],
            id="new-block-ids",
        ),
    ],
)
def test_a_draft_that_says_what_the_version_in_force_says_is_refused(
    in_force, committee_shiqiao, draft
):
    covenant, revision = in_force
    if draft() is not None:
        edit_draft(covenant, committee_shiqiao, draft())
    assert refusal_codes(revision, committee_shiqiao) == [("draft_unchanged", REFUSAL)]
    revision.refresh_from_db()
    assert revision.stage == Stage.DRAFTING and revision.draft_revision is None


@pytest.mark.parametrize(
    "draft, preamble",
    [
        pytest.param(
            [BASE_TEXT[0], chapter("c2", "移风易俗",
                                   article("a3", "红白喜事从简办理，婚事宴席不超过十五桌。"),
                                   article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"))],
            None, id="one-character",
        ),
        pytest.param(BASE_TEXT, "<p>为推进村民自治，制定本公约。</p>", id="preamble"),
        pytest.param(
            [BASE_TEXT[0], chapter("c2", "村风民俗", *BASE_TEXT[1]["value"]["articles"])],
            None, id="chapter-title",
        ),
        pytest.param(
            [chapter("c1", "总则", *BASE_TEXT[0]["value"]["articles"], *BASE_TEXT[1]["value"]["articles"])],
            None, id="articles-regrouped",
        ),
        pytest.param(
            [BASE_TEXT[0], chapter("c2", "移风易俗",
                                   article("a3", '<a href="https://example.org/x">红白喜事</a>从简办理，婚事宴席不超过二十桌。'),
                                   article("a4", "倡导文明祭扫，不在山林焚烧纸钱。"))],
            None, id="a-link-added",
        ),
    ],
)  # fmt: skip
def test_a_draft_that_changes_text_preamble_structure_or_links_is_submitted(
    in_force, committee_shiqiao, draft, preamble
):
    covenant, revision = in_force
    revision_body = covenant.get_latest_revision_as_object()
    revision_body.body = draft
    if preamble is not None:
        revision_body.preamble = preamble
    revision_body.save_revision(user=committee_shiqiao)
    assert submit(revision, committee_shiqiao).stage == Stage.REVIEW


def test_a_first_covenant_is_never_identical(shiqiao, committee_shiqiao):
    covenant = make_covenant(shiqiao, committee_shiqiao)
    revision = t.start_revision(
        covenant, committee_shiqiao, reason="制定", started_on=D(2026, 3, 1)
    )
    t.begin_drafting(revision, committee_shiqiao)
    assert submit(revision, committee_shiqiao).stage == Stage.REVIEW


def test_the_drafting_stage_and_the_refusal_link_to_the_page_editor(
    client, in_force, committee_shiqiao
):
    covenant, revision = in_force
    edit_url = reverse("wagtailadmin_pages:edit", args=(covenant.pk,))
    save_in_editor(client, committee_shiqiao, covenant)  # saved again in the editor, unchanged
    detail = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert f'<a class="button button-secondary" href="{edit_url}">到编辑页修改条文</a>' in detail

    step = reverse("community_revision_step", args=(revision.pk, "submit"))
    assert f'href="{edit_url}"' in client.get(step).content.decode()
    refused = client.post(step, {"submitted_on": "2026-04-01"})
    assert refused.status_code == 200
    html = refused.content.decode()
    assert REFUSAL in html
    alert = html[html.index('role="alert"') : html.index("</div>", html.index('role="alert"'))]
    assert f'href="{edit_url}">到编辑页修改条文</a>' in alert
    revision.refresh_from_db()
    assert revision.stage == Stage.DRAFTING

    draft = covenant.get_latest_revision_as_object()
    raw = list(draft.body.raw_data)
    raw[1]["value"]["articles"][0]["value"] = raw[1]["value"]["articles"][0]["value"].replace(
        "二十桌", "十五桌"
    )
    edit_draft(covenant, committee_shiqiao, raw)
    assert client.post(step, {"submitted_on": "2026-04-01"}).status_code == 302
    revision.refresh_from_db()
    assert revision.stage == Stage.REVIEW
    detail = client.get(reverse("community_revision_detail", args=(revision.pk,))).content.decode()
    assert "到编辑页修改条文" not in detail  # past the drafting stage
