"""The residents' side of a covenant draft open for comment (docs/covenants.md, 草案征求意见):
`<covenant-url>draft/` (the window's saved draft, article by article, each with its diff against
the text it was drafted from, its published opinions and answers, and "对本条提意见"),
`draft/opinion/?article=<block id>` (the form for one article, or for the whole draft), the post
they send (`/_opinion/covenant/<id>/`), and the public 意见采纳情况说明 at `draft/report/` with its
print view `draft/report/print/`.

What a resident reads is public only: approved opinions (their public text, never the original of
a redacted one, never a name or a mobile number), their answers, and the count of opinions not
published by reason; and nothing of a draft whose window has not opened yet. Every page asks a
fixed number of queries whatever the number of opinions (one for the opinions, one per count).

The pages carry the form without a CSRF token, so they stay in the page cache (cms/cache.py); the
post is CSRF-exempt and refuses a post from another site's page (`cross_site`), as the notice
queries do (consultation/query_views.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.encoding import uri_to_iri
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from cms.api import cross_site
from cms.ids import parse_id
from cms.printable import qr_svg
from cms.ratelimit import client_key
from cms.visibility import reachable
from community.diff import ArticleChange
from community.models import CovenantPage, CovenantRevision
from community.models.covenant import diff_articles
from community.models.opinion import CommentWindow, Opinion
from community.models.outline import Article, Chapter
from community.opinion_intake import (
    RECEIVED_PENDING,
    RECEIVED_PUBLIC,
    UNKNOWN_ARTICLE,
    OpinionForm,
    Received,
    draft_text,
    receive,
    window_words,
)

# What a page reads of an opinion: never the name, the mobile number or the consent.
PUBLIC_FIELDS = ("id", "article_id", "article_label", "text", "public_text", "source",
                 "received_on", "answer", "answer_reason", "adopted_in", "status")  # fmt: skip
SENT = {"pending": RECEIVED_PENDING, "public": RECEIVED_PUBLIC}


def window_of(covenant: CovenantPage) -> CommentWindow | None:
    """The comment window of the covenant's newest revision that has one (with its draft)."""
    return covenant.comment_window(with_draft=True)


def has_opened(window: CommentWindow, day=None) -> bool:
    return (day or timezone.localdate()) >= window.opens_on


@dataclass
class DraftArticle:
    article: Article
    change: ArticleChange | None
    opinions: list[Opinion] = field(default_factory=list)


@dataclass
class DraftChapter:
    chapter: Chapter
    articles: list[DraftArticle]


@dataclass
class Orphan:
    """Opinions on an article that is no longer in the draft, under the label they were given."""

    label: str
    opinions: list[Opinion]


@dataclass
class DraftView:
    window: CommentWindow
    text: CovenantPage
    base: CovenantRevision | None
    chapters: list[DraftChapter]
    general: list[Opinion]
    orphans: list[Orphan]
    removed: list[ArticleChange]
    rejected: list[tuple[str, int]]
    opinions: list[Opinion]

    @property
    def articles(self) -> list[DraftArticle]:
        return [a for c in self.chapters for a in c.articles]

    @property
    def rejected_total(self) -> int:
        return sum(n for _, n in self.rejected)


def _public_opinions(window: CommentWindow) -> list[Opinion]:
    return list(
        Opinion.objects.filter(revision_id=window.revision_id).public().only(*PUBLIC_FIELDS)
    )


def rejected_counts(window: CommentWindow) -> list[tuple[str, int]]:
    """Opinions not published, by reason (public: the counts, never the opinions)."""
    rows = dict(
        Opinion.objects.filter(revision_id=window.revision_id, status=Opinion.Status.REJECTED)
        .values_list("reject_reason")
        .annotate(n=Count("pk"))
    )
    return [
        (label, rows[value]) for value, label in Opinion.RejectReason.choices if rows.get(value)
    ]


def draft_view(covenant: CovenantPage, window: CommentWindow) -> DraftView:
    """The draft as residents read it, with its published opinions and answers (no opinion at
    all before the window opens)."""
    text = draft_text(window)
    base = CovenantRevision.objects.filter(covenant_id=covenant.pk).latest(before=window.revision)
    base_articles = covenant.texts_of(base)[0].articles() if base is not None else []
    diff = diff_articles(base_articles, text.articles())
    change_of = {c.new.id: c for c in diff.changes if c.new is not None}
    opened = has_opened(window)
    opinions = _public_opinions(window) if opened else []
    chapters = [
        DraftChapter(chapter, [DraftArticle(a, change_of.get(a.id)) for a in chapter.articles])
        for chapter in text.outline()
    ]
    by_id = {a.article.id: a for c in chapters for a in c.articles}
    label_of = {i: a.article.label for i, a in by_id.items()}
    general: list[Opinion] = []
    orphans: dict[str, Orphan] = {}
    for opinion in opinions:
        opinion.adopted_label = label_of.get(opinion.adopted_in, "")
        if not opinion.article_id:
            general.append(opinion)
        elif opinion.article_id in by_id:
            by_id[opinion.article_id].opinions.append(opinion)
        else:
            label = f"原{opinion.article_label}" if opinion.article_label else "已删除的条文"
            orphans.setdefault(opinion.article_id, Orphan(label, [])).opinions.append(opinion)
    return DraftView(
        window=window,
        text=text,
        base=base,
        chapters=chapters,
        general=general,
        orphans=list(orphans.values()),
        removed=[c for c in diff.changes if c.kind == "removed"],
        rejected=rejected_counts(window) if opened else [],
        opinions=opinions,
    )


def _window_or_404(covenant: CovenantPage) -> CommentWindow:
    window = window_of(covenant)
    if window is None:
        raise Http404("这份公约没有征求意见的草案。")
    return window


def draft_url(covenant: CovenantPage, request, name: str = "draft") -> str:
    return covenant.get_url(request) + covenant.reverse_subpage(name)


def _context(covenant: CovenantPage, request, window: CommentWindow) -> dict:
    context = covenant.get_context(request)
    day = timezone.localdate()
    context.update(
        window=window,
        window_open=window.is_open(day),
        window_opened=has_opened(window, day),
        window_words=window_words(window, day),
        draft_url=draft_url(covenant, request),
        opinion_url=draft_url(covenant, request, "draft_opinion"),
        report_url=draft_url(covenant, request, "draft_report"),
    )
    return context


def draft_page(covenant: CovenantPage, request) -> TemplateResponse:
    window = _window_or_404(covenant)
    context = _context(covenant, request, window)
    if context["window_opened"]:
        context["view"] = draft_view(covenant, window)
    context["sent"] = SENT.get(request.GET.get("sent", ""))
    return TemplateResponse(request, "community/covenant_draft.html", context)


def _form_context(covenant, request, window, article_id: str) -> tuple[dict, int]:
    """The form page's context, and its status (404 for an article not in the draft)."""
    context = _context(covenant, request, window)
    context["post_url"] = reverse("covenant_opinion", args=(covenant.pk,))
    if not context["window_opened"]:  # nothing of the draft before its window opens
        context["article"] = None
        return context, 200
    articles = {a.id: a for a in draft_text(window).articles()}
    context["article"] = articles.get(article_id)
    if article_id and article_id not in articles:
        context["unknown_article"] = UNKNOWN_ARTICLE
        return context, 404
    return context, 200


def opinion_page(covenant: CovenantPage, request) -> TemplateResponse:
    """The form for one article (?article=<block id>) or, without one, for the whole draft."""
    window = _window_or_404(covenant)
    article_id = request.GET.get("article", "")[:64]
    context, status = _form_context(covenant, request, window, article_id)
    if status == 200 and context["window_open"]:
        context["form"] = OpinionForm(initial={"article": article_id}, window=window, articles={})
    return TemplateResponse(
        request, "community/covenant_draft_opinion.html", context, status=status
    )


@csrf_exempt
@require_POST
def submit_view(request, covenant_id: int):
    covenant = reachable(CovenantPage.objects).filter(pk=parse_id(covenant_id) or 0).first()
    if covenant is None:
        raise Http404("没有这份公约，或尚未公布。")
    window = _window_or_404(covenant)
    article_id = str(request.POST.get("article", ""))[:64]
    context, _ = _form_context(covenant, request, window, article_id)
    context.pop("unknown_article", None)  # said by the form's own error on its article
    if cross_site(request):
        context["refusal"] = "不接受其他网站页面代为提交的意见。"
        return TemplateResponse(
            request, "community/covenant_draft_opinion.html", context, status=403
        )
    result = receive(window, request.POST, client_key(request))
    if isinstance(result, Received):
        sent = "public" if result.opinion.is_public else "pending"
        return HttpResponseRedirect(
            f"{context['draft_url']}?{urlencode({'sent': sent})}#sent", status=303
        )
    context["form"] = result.form if context["window_open"] else None
    context["refusal"] = "" if result.code == "invalid" else result.message
    response = TemplateResponse(
        request, "community/covenant_draft_opinion.html", context, status=result.status
    )
    if result.retry_after is not None:
        response["Retry-After"] = str(result.retry_after)
    return response


@dataclass
class Report:
    view: DraftView
    by_source: list[tuple[str, int]]
    by_answer: list[tuple[str, int]]
    received: int
    unanswered: int


def report_of(covenant: CovenantPage, window: CommentWindow) -> Report:
    """意见采纳情况说明: the draft view's opinions and answers, and the totals: every opinion
    received by source (whatever became of it), the published ones by answer."""
    view = draft_view(covenant, window)
    sources = dict(
        Opinion.objects.filter(revision_id=window.revision_id)
        .values_list("source")
        .annotate(n=Count("pk"))
    )
    answers: dict[str, int] = {}
    for opinion in view.opinions:
        answers[opinion.answer] = answers.get(opinion.answer, 0) + 1
    return Report(
        view=view,
        by_source=[(label, sources.get(value, 0)) for value, label in Opinion.Source.choices],
        by_answer=[(label, answers.get(value, 0)) for value, label in Opinion.Answer.choices],
        received=sum(sources.values()),
        unanswered=answers.get("", 0),
    )


def report_page(covenant: CovenantPage, request, printing: bool = False) -> TemplateResponse:
    window = _window_or_404(covenant)
    context = _context(covenant, request, window)
    if context["window_opened"]:
        context["report"] = report_of(covenant, window)
    if printing:
        url = request.build_absolute_uri(context["report_url"])
        context.update(
            page_url=url,
            page_iri=uri_to_iri(url),
            qr=mark_safe(qr_svg(url, scale=3, fit=True)),
            base_template="print_base.html",
            printing=True,
            print_title=f"{covenant.title}草案意见采纳情况说明",
            back_url=context["report_url"],
        )
    return TemplateResponse(request, "community/covenant_draft_report.html", context)


def site_urls():
    return [path("_opinion/covenant/<int:covenant_id>/", submit_view, name="covenant_opinion")]
