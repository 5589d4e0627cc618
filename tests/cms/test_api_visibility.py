"""The anonymous API sweep: every GET endpoint in the OpenAPI document, walked with every id that
exists, never returns anything unpublished, private or personal (issue 5, rule 7)."""

import datetime
import io
import re

import PIL.Image
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, PageViewRestriction

from community.models import CovenantPage, ExperiencePage, NoticeIndexPage, NoticePage, Opinion
from consultation.models import (
    CommunityFormSubmission,
    ConsultationPage,
    Deliberation,
    ImplementationUpdate,
    NoticeQuery,
)

pytestmark = pytest.mark.django_db

# Speakers' names and residents' phone numbers in the demo data (and of the queries below, issue
# 16): they must never leave.
PERSONAL = [
    "王秀英",
    "张国强",
    "13857112345",
    "13967154321",
    "钱晓梅",
    "13700001111",
    "孙建华",
    "13912340000",
    "周淑芬",  # an opinion on a covenant draft (issue 17)
    "13600002222",
]


def _png() -> ContentFile:
    buf = io.BytesIO()
    PIL.Image.new("RGB", (8, 8), "red").save(buf, "PNG")
    return ContentFile(buf.getvalue(), name="x.png")


@pytest.fixture
def secrets(xinghua, committee_xinghua, django_capture_on_commit_callbacks):
    """A draft, a pending edit, a private page, an unpublished record, draft-only files."""
    board = NoticeIndexPage.objects.child_of(xinghua).get()
    with django_capture_on_commit_callbacks(execute=True):
        draft_doc = Document.objects.create(
            title="低保名单草稿SECRETDOC", file=ContentFile(b"x", "d.pdf")
        )
        draft_img = Image.objects.create(title="草稿图片SECRETIMG", file=_png())
        public_doc = Document.objects.create(
            title="公开附件PUBLICDOC", file=ContentFile(b"x", "p.pdf")
        )

        draft = NoticePage(
            title="草稿公示SECRETDRAFT",
            slug="secret-draft",
            live=False,
            attachments=[("document", draft_doc)],
        )
        board.add_child(instance=draft)
        draft.save_revision(user=committee_xinghua)

        pending = NoticePage(title="已公示", slug="pending", attachments=[("document", public_doc)])
        board.add_child(instance=pending)
        pending.save_revision(user=committee_xinghua).publish()
        pending.title = "未发布的修改SECRETPENDING"
        pending.save_revision(user=committee_xinghua)

        private = NoticePage(title="密码保护SECRETPRIVATE", slug="private")
        board.add_child(instance=private)
        private.save_revision(user=committee_xinghua).publish()
        PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")

        experience = ExperiencePage(
            title="草稿经验SECRETEXP", slug="secret-exp", summary="草稿", live=False
        )
        experience.body = [("image", {"image": draft_img, "alt_text": "x", "decorative": False})]
        xinghua.add_child(instance=experience)
        experience.save_revision(user=committee_xinghua)

    agenda = ConsultationPage.objects.descendant_of(xinghua).live().first()
    Deliberation.objects.create(
        agenda=agenda,
        held_at=timezone.now(),
        chair="王",
        recorder="周",
        outcome="未公开记录SECRETREC",
    )
    ImplementationUpdate.objects.create(
        agenda=agenda, date=timezone.localdate(), text="未公开进展SECRETUPD"
    )
    # A resident's queries on a public notice: the answered one is public, never who asked; the
    # unanswered one is not public at all.
    for question, answer in (("公开的查询", "公开的答复"), ("未答复的查询SECRETQUERY", "")):
        NoticeQuery.objects.create(
            notice=pending,
            community=xinghua,
            question=question,
            name="钱晓梅",
            mobile="13700001111",
            consent=True,
            due_on=timezone.localdate(),
            answer=answer,
            answered_on=timezone.localdate() if answer else None,
            token=f"SECRETTOKEN{len(answer)}",
        )
    assert NoticeQuery.objects.filter(name="孙建华").exists()  # the demo's
    _draft_opinions(xinghua, committee_xinghua)
    assert CommunityFormSubmission.objects.exists()
    return {"public_doc": public_doc, "pages": [draft, pending, private, experience]}


def _draft_opinions(community, committee) -> None:
    """Opinions on a draft open for comment (issue 17): the approved one is public (its redacted
    text, never the original, the name or the mobile); pending and rejected ones are not; and a
    second covenant's draft whose window has not opened shows nothing at all."""
    from tests.community.opinion_helpers import covenant_in_force, open_window, opinion

    reviewer = get_user_model().objects.get(username="shenhe_liuxi")
    window = open_window(
        covenant_in_force(community, committee, reviewer, slug="draft-open"), committee
    )
    personal = {"name": "周淑芬", "mobile": "13600002222", "consent": True}
    opinion(window, "a5", "原文SECRETORIGINAL", public_text="公开的草案意见", answer="explained",
            answer_reason="公开的意见答复", **personal)  # fmt: skip
    opinion(window, "a5", "待审SECRETOPINION", status=Opinion.Status.PENDING, **personal)
    opinion(window, "a5", "SECRETREJECTED", status=Opinion.Status.REJECTED, reject_reason="abuse")
    later = open_window(
        covenant_in_force(community, committee, reviewer, slug="draft-later", title="未开放的公约"),
        committee,
        opens_on=timezone.localdate() + datetime.timedelta(days=3),
        closes_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    opinion(later, "a5", "未开放草案的意见SECRETEARLY")


def _ids(path: str) -> list[int]:
    if "{page_id}" in path:
        return list(Page.objects.values_list("pk", flat=True))
    if "{document_id}" in path:
        return list(Document.objects.values_list("pk", flat=True))
    if "{image_id}" in path:
        return list(Image.objects.values_list("pk", flat=True))
    return [0]


def _walk(client, path: str):
    """Every page of a listing (limit is capped at 20), or the one response of a detail URL."""
    offset = 0
    while True:
        response = client.get(path, {"limit": 20, "offset": offset})
        yield response
        data = response.json() if response.status_code == 200 else None
        if not isinstance(data, dict) or "items" not in data:
            return
        offset += 20
        if offset >= data["count"]:
            return


def test_no_anonymous_response_contains_anything_unpublished_or_personal(client, secrets):
    paths = client.get("/api/v3/openapi.json").json()["paths"]
    get_paths = [p for p, ops in paths.items() if "get" in ops]
    assert len(get_paths) >= 15
    page_types = sorted({p.specific_class._meta.label for p in Page.objects.exclude(depth=1)})
    seen = 0
    bodies = []
    for template in get_paths:
        for pk in _ids(template):
            path = re.sub(r"\{(page_id|document_id|image_id)\}", str(pk), template)
            path = path.replace("{type}", "community.ExperienceTheme")
            path = path.replace("{type_name}", "community.NoticePage")
            if "{" in path:  # revision ids: behind authentication anyway
                path = re.sub(r"\{\w+\}", "1", path)
            for response in _walk(client, path):
                assert response.status_code < 500, path
                bodies.append((path, response.content.decode("unicode_escape", "replace")))
                seen += 1
    for page_type in page_types:
        for response in _walk(client, f"/api/v3/pages/?type={page_type}"):
            bodies.append((page_type, response.content.decode("unicode_escape", "replace")))
    for page in secrets["pages"]:
        response = client.get("/api/v3/pages/find/", {"html_path": page.url_path[len("/home") :]})
        bodies.append((page.url_path, response.content.decode("unicode_escape", "replace")))
    # and the draft pages' HTML (issue 17): the page, the form, the report and its print view
    for covenant in CovenantPage.objects.filter(slug__in=["draft-open", "draft-later"]):
        for suffix in ("", "opinion/?article=a5", "report/", "report/print/"):
            response = client.get(f"{covenant.url}draft/{suffix}")
            assert response.status_code == 200, (covenant.slug, suffix)
            bodies.append((f"{covenant.url}draft/{suffix}", response.content.decode()))
    assert seen > 100
    for where, body in bodies:
        assert "SECRET" not in body, (where, body[:300])
        for personal in PERSONAL:
            assert personal not in body, (where, personal)
    listing = "".join(b for w, b in bodies if w.startswith("/api/v3/documents/"))
    assert "公开附件PUBLICDOC" in listing  # the sweep does see what is public
    assert any("公开的答复" in b for w, b in bodies if "/queries/" in w)
    assert any(
        "公开的意见答复" in b and "公开的草案意见" in b for w, b in bodies if "/opinions/" in w
    )


def test_documents_used_only_by_drafts_are_not_listed(client, secrets):
    titles = [d["title"] for d in client.get("/api/v3/documents/").json()["items"]]
    assert titles == ["公开附件PUBLICDOC"]
    assert client.get("/api/v3/images/").json()["items"] == []
    draft_doc = Document.objects.get(title__startswith="低保名单")
    assert client.get(f"/api/v3/documents/{draft_doc.pk}/").status_code == 404


def test_page_json_serves_urls_and_html_not_ids(client, secrets):
    pending = NoticePage.objects.get(slug="pending")
    data = client.get(f"/api/v3/pages/{pending.pk}/").json()
    attachment = data["attachments"][0]["value"]
    assert attachment["url"].endswith(".pdf") and attachment["title"] == "公开附件PUBLICDOC"
    assert data["title"] == "已公示"  # the live version, not the pending edit
