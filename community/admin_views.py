"""Admin views of the covenant procedure: a revision's record and history, one form per step,
starting a revision, and the township's queue. Every change goes through community.transitions."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from cms.display import field_text
from community.models import CommunityPage, CovenantPage, CovenantRevision, Stage
from community.models.covenant import diff_articles
from community.models.vote import VOTE_FIELDS
from community.opinion_forms import article_choices
from community.opinions import (
    WHOLE_DRAFT,
    feedback_by_article,
    may_moderate,
    may_write_notes,
    opinion_count,
    window_of,
)
from community.permissions import policy_for, within
from community.register_admin import register_panel
from community.review.history import field_changes, related_titles
from community.review.registry import history_registry
from community.steps import ProcedureError, may_take
from community.transitions import FILING, REVIEW, START, available_steps, step_named

STAGE_FIELDS = {
    "征集民意": ["reason", "soliciting_started_on", "opinions_received", "opinions_summary"],
    "拟定草案与审核": ["draft_revision", "submitted_on", "reviewer", "reviewed_on", "review_opinion", "review_passed"],
    "审议表决": ["party_discussed_on", "party_body", *VOTE_FIELDS, "voted_revision"],
    "备案与公布": ["filing_authority", "filing_number", "filed_on", "version_label", "published_on", "effective_on"],
}  # fmt: skip
EDIT_THE_TEXT = {"no_draft", "draft_unchanged"}  # refusals whose remedy is in the page editor


def _scoped(request, pk: int) -> CovenantRevision:
    revisions = CovenantRevision.objects.for_user(request.user).select_related(
        "covenant", "community"
    )
    return get_object_or_404(revisions, pk=pk)


def _history(revision: CovenantRevision) -> tuple[list[dict], dict]:
    """simple-history rows, oldest first, each with the fields it changed, read as the review
    desk reads them (labels, 是/否, names, local times); and the titles of the objects their
    foreign keys point at (the record's own among them)."""
    rows = list(
        revision.history.select_related("history_user").order_by("history_date", "history_id")
    )
    entry = history_registry.for_model(CovenantRevision)
    titles = related_titles(entry, rows)
    timeline = []
    for previous, row in zip([None, *rows], rows, strict=False):
        changes = field_changes(entry, row, previous, titles) if previous is not None else []
        timeline.append({"row": row, "changes": changes})
    return timeline, titles


def _field_rows(
    revision: CovenantRevision, titles: dict | None = None, count=None
) -> list[tuple[str, list[tuple[str, object]]]]:
    """The record by stage, each value as text; `titles` names the objects its foreign keys
    point at (review.history.related_titles), else each is looked up. `count`
    (opinions.OpinionCount) replaces the typed number of opinions with the real one."""
    sections = []
    for heading, names in STAGE_FIELDS.items():
        rows = []
        for name in names:
            field = CovenantRevision._meta.get_field(name)
            value = field_text(field, field.value_from_object(revision), titles)
            if name == "opinions_received" and count is not None and count.recorded:
                value = (
                    f"{count.total}（" + "，".join(f"{k} {n}" for k, n in count.by_source) + "）"
                )
            if value:
                rows.append((field.verbose_name, value))
        if heading == "审议表决" and revision.quorum_basis:
            rows.append(("达到法定人数", revision.quorum_basis))
        if heading == "审议表决" and revision.meeting_kind:
            rows.append(("表决依据", "\n".join(p.citation for p in revision.legal_basis)))
        if rows:
            sections.append((heading, rows))
    return sections


def _text_diff(revision: CovenantRevision):
    """This revision's text (voted, else reviewed, else submitted) against the version adopted
    before it (the text it was drafted from, in force or not yet): what the reviewer is asked to
    approve, article by article."""
    proposed = revision.voted_revision or revision.reviewed_revision or revision.draft_revision
    if proposed is None:
        return None, []
    earlier = (
        CovenantRevision.objects.filter(covenant_id=revision.covenant_id)
        .select_related("voted_revision")
        .latest(before=revision)
    )
    new_articles = proposed.as_object().articles()
    old_articles = earlier.voted_revision.as_object().articles() if earlier else []
    return diff_articles(old_articles, new_articles), [a for a in new_articles if a.mentions_fine]


def _feedback(request, revision: CovenantRevision, diff, note_next: str) -> dict:
    """Beside each article of the diff: its opinions, answers and the reviewer's notes
    (community.opinions.feedback_by_article, a constant number of queries); the articles shown
    are the changed ones and any other that has something beside it."""
    if diff is None:
        return {}
    articles = {c.new.id: c.new for c in diff.changes if c.new is not None}
    feedback = feedback_by_article(revision, request.user, articles)
    rows = []
    for change in diff.changes:
        article = change.new or change.old
        found = feedback.pop(article.id, None)
        if change.kind != "unchanged" or change.renumbered or found:
            rows.append((change, found))
    whole = feedback.pop("", None)
    others = []
    for found in feedback.values():
        label = next(
            (o.article_label for o in found.opinions if o.article_label),
            next((n.article_label for n in found.notes if n.article_label), "已删除的条文"),
        )
        others.append((label or WHOLE_DRAFT, found))
    may_note = revision.stage == Stage.REVIEW and may_write_notes(request.user, revision)
    return {
        "article_rows": rows,
        "whole_feedback": whole,
        "other_feedback": others,
        "may_note": may_note,
        "note_next": note_next,
        "note_choices": article_choices(articles) if may_note else [],
    }


def _opinion_forms(revision: CovenantRevision) -> list[tuple[object, int]]:
    """The revision's 意见征集 forms, each with how many answers it received. Only the community's
    own forms: a link set before the form's rule was kept counts nothing."""
    return [
        (form, form.get_submissions().count())
        for form in revision.opinion_forms.descendant_of(revision.community)
    ]


def _edit_text_url(revision: CovenantRevision) -> str:
    """Where a draft's text is edited: the covenant's page editor."""
    return reverse("wagtailadmin_pages:edit", args=(revision.covenant_id,))


def revision_detail(request, pk: int):
    revision = _scoped(request, pk)
    covenant = CovenantPage.objects.get(pk=revision.covenant_id)
    diff, fines = _text_diff(revision)
    timeline, titles = _history(revision)
    count = opinion_count(revision)
    context = {
        **_feedback(request, revision, diff, "detail"),
        "opinion_count": count,
        "comment_window": window_of(revision),
        "may_moderate": may_moderate(request.user, revision),
        "opinion_forms": _opinion_forms(revision),
        "diff": diff,
        "fines": fines,
        "page_title": str(revision),
        "header_icon": "doc-full",
        "revision": revision,
        "sections": _field_rows(revision, titles, count),
        "steps": [(step.name, step.label) for step in available_steps(revision, request.user)],
        "timeline": timeline,
        "live_revision_id": covenant.live_revision_id,
        "live_matches_vote": revision.stage != Stage.PUBLISHED
        or covenant.live_revision_id == revision.voted_revision_id,
        "latest_revision_id": covenant.latest_revision_id,
        "edit_text_url": _edit_text_url(revision) if revision.stage == Stage.DRAFTING else None,
        "register_panel": register_panel(revision),
    }
    return TemplateResponse(request, "community/admin/revision_detail.html", context)


def revision_step(request, pk: int, step: str):
    found = step_named(step)
    if found is None:
        raise Http404
    revision = _scoped(request, pk)
    if found not in available_steps(revision, request.user):
        raise PermissionDenied
    form = found.form(revision, request.POST or None)
    refused: set[str] = set()
    if request.method == "POST" and form.is_valid():
        try:
            found.run(revision, request.user, **form.cleaned_data)
        except ProcedureError as error:
            error.apply_to(form)
            refused = {violation.code for violation in error.violations}
        else:
            messages.success(request, found.success)
            return redirect("community_revision_detail", revision.pk)
    context = {
        "page_title": f"{found.label} · {revision}",
        "header_icon": "doc-full",
        "form": form,
        "revision": revision,
        # Submitting is where a draft is found missing or unchanged: the text is edited elsewhere.
        "edit_text_url": _edit_text_url(revision) if found.stage == Stage.DRAFTING else None,
        "edit_text_refused": bool(refused & EDIT_THE_TEXT),
    }
    if found is REVIEW:
        # The reviewer's verdict is given where the proposed text and the opinions are shown.
        context["verdict"] = True
        context["diff"], context["fines"] = _text_diff(revision)
        context.update(_feedback(request, revision, context["diff"], "review"))
        context["opinion_forms"] = _opinion_forms(revision)
        context["opinion_count"] = opinion_count(revision)
    if found is FILING:
        # The reviewer files what was voted: the tallies, their warnings and the register they
        # were judged against, on the page where the filing is decided.
        context["vote_rows"] = dict(_field_rows(revision)).get("审议表决", [])
        context["warnings"] = revision.warnings
        context["register_panel"] = register_panel(revision)
    return TemplateResponse(request, "community/admin/revision_step.html", context)


def start_list(request):
    """The covenants of the user's communities, each with whether a revision may start."""
    scope = within(CommunityPage.objects.for_user(request.user))
    open_ids = set(CovenantRevision.objects.open().values_list("covenant_id", flat=True))
    titles = dict(CommunityPage.objects.values_list("path", "title"))
    own = set(policy_for(request.user).committee_communities().values_list("path", flat=True))
    rows = []
    for covenant in CovenantPage.objects.filter(scope).order_by("path"):
        community_path = covenant.path[: -covenant.steplen]
        rows.append(
            (
                covenant,
                titles.get(community_path, ""),
                covenant.pk in open_ids,
                community_path in own,
            )
        )
    context = {"page_title": "发起公约修订", "header_icon": "doc-full", "rows": rows}
    return TemplateResponse(request, "community/admin/start_list.html", context)


def start(request, page_id: int):
    covenant = get_object_or_404(CovenantPage, pk=page_id)
    community = covenant.get_parent().specific
    if not CommunityPage.objects.for_user(request.user).filter(pk=community.pk).exists():
        raise Http404
    if not may_take(START, request.user, community):
        raise PermissionDenied
    form = START.form(None, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            revision = START.run(covenant, request.user, **form.cleaned_data)
        except ProcedureError as error:
            error.apply_to(form)
        else:
            messages.success(request, START.success)
            return redirect("community_revision_detail", revision.pk)
    context = {
        "page_title": f"发起修订 · {covenant.title}",
        "header_icon": "doc-full",
        "form": form,
    }
    return TemplateResponse(request, "community/admin/revision_step.html", context)


def review_queue(request):
    revisions = (
        CovenantRevision.objects.for_user(request.user)
        .filter(stage__in=[Stage.REVIEW, Stage.FILING])
        .select_related("covenant", "community")
        .order_by("updated_at")
    )
    kinds_by_community: dict[int, set[str]] = {}
    rows = []
    for r in revisions:
        if r.community_id not in kinds_by_community:
            kinds_by_community[r.community_id] = policy_for(request.user).kinds_in(r.community)
        steps = available_steps(r, request.user, kinds_by_community[r.community_id])
        rows.append((r, [step.name for step in steps]))
    context = {"page_title": "待审核与备案", "header_icon": "tasks", "rows": rows}
    return TemplateResponse(request, "community/admin/review_queue.html", context)


def revision_urls():
    return [
        path("covenants/queue/", review_queue, name="community_review_queue"),
        path("covenants/start/", start_list, name="community_start_list"),
        path("covenants/start/<int:page_id>/", start, name="community_start_revision"),
        path("covenants/revisions/<int:pk>/", revision_detail, name="community_revision_detail"),
        path(
            "covenants/revisions/<int:pk>/<slug:step>/",
            revision_step,
            name="community_revision_step",
        ),
    ]


def detail_url(revision: CovenantRevision) -> str:
    return reverse("community_revision_detail", args=(revision.pk,))
