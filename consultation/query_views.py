"""The resident's side of a query on the site: the form under every notice posts here, and the
private follow-up page (its address is a random token) shows the answer and takes a dispute.

The notice page carries the form without a CSRF token, so that it stays in the page cache (a
page with a token is never stored, cms/cache.py); this view is therefore CSRF-exempt and refuses a
post from another site's page as the form API does (`cross_site`). The follow-up page is private:
never cached, never indexed, no Referer sent onwards."""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from cms.api import cross_site
from cms.ids import parse_id
from cms.ratelimit import client_key
from cms.visibility import reachable
from community.models import NoticePage
from consultation.answers import Code
from consultation.models.queries import NoticeQuery
from consultation.queries import Asked, DisputeForm, QueryForm, ask, dispute


def _private(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    # same-origin, not no-referrer: the token never leaves the site, and the dispute form's POST
    # keeps its Origin (with no-referrer Chromium sends "Origin: null", which Django's CSRF
    # check refuses: no resident could dispute an answer).
    response["Referrer-Policy"] = "same-origin"
    return response


@csrf_exempt
@require_POST
def ask_view(request, notice_id: int):
    notice = reachable(NoticePage.objects.live()).filter(pk=parse_id(notice_id) or 0).first()
    if notice is None:  # before any other answer: a draft's title is never shown
        raise Http404("没有这条公示，或尚未发布。")
    if cross_site(request):
        return TemplateResponse(
            request,
            "consultation/query_form_page.html",
            {
                "notice": notice,
                "form": QueryForm(),
                "refusal": "不接受其他网站页面代为提交的查询。",
            },
            status=403,
        )
    result = ask(notice, request.POST, client_key(request))
    if isinstance(result, Asked):
        url = reverse("notice_query_followup", args=(result.query.token,))
        return HttpResponseRedirect(f"{url}?new=1", status=303)
    if result.code == Code.CLOSED:
        raise Http404(result.message)
    context = {
        "notice": notice,
        "form": result.form,
        "refusal": result.message if result.code != Code.INVALID else "",
    }
    response = TemplateResponse(
        request, "consultation/query_form_page.html", context, status=result.status
    )
    if result.retry_after is not None:
        response["Retry-After"] = str(result.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def followup_view(request, token: str):
    if len(token) > 64:
        raise Http404("没有这条查询。")
    query = get_object_or_404(
        NoticeQuery.objects.select_related("notice", "community"), token=token
    )
    form = DisputeForm()
    if request.method == "POST":
        form = DisputeForm(request.POST)
        if query.is_answered and not query.disputed_at and form.is_valid():
            dispute(query, form.cleaned_data["reason"])
            return HttpResponseRedirect(request.path, status=303)
    context = {
        "query": query,
        "notice": query.notice,
        "form": form,
        "new": request.GET.get("new") == "1",
        "address": request.build_absolute_uri(request.path),
    }
    return _private(TemplateResponse(request, "consultation/query_followup.html", context))


def site_urls():
    return [
        path("_query/notice/<int:notice_id>/", ask_view, name="notice_query_ask"),
        path("_query/<str:token>/", followup_view, name="notice_query_followup"),
    ]
