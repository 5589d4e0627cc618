"""The admin shows a user only the pages of their scope, titles included (docs/roles.md).

The scope is the policy's `page_scope_q()`: the district's upper levels and the user's communities'
subtrees; everything for district staff and site administrators. It is applied at the two
mechanisms every admin view goes through:

- a page named in the URL (the explorer, the editor, move and its confirmation, the chooser's
  browse, history, the bulk actions' `id=` list): outside the scope it does not exist (404), before
  Wagtail's view reads its title, slug or draft;
- a listing of pages (the explorer's children, the chooser's browse and search, the page types
  usage report): Wagtail's queryset hooks filter it.
"""

from django.db.models import Q
from django.http import Http404
from wagtail import hooks
from wagtail.models import Page
from wagtail.permission_policies.pages import PagePermissionPolicy

from cms.ids import parse_id
from community.permissions import policy_for

# The URL keywords by which Wagtail's admin views name a page.
PAGE_KWARGS = ("page_id", "page_pk", "page_to_move_id", "destination_id", "parent_page_id")


def in_scope(pages, user):
    scope = policy_for(user).page_scope_q()
    return pages if scope is None else pages.filter(scope)


def _named_page_ids(request, view_kwargs) -> set[int | None]:
    """The pages the URL names; None for a value that cannot be a page's id (beyond MAX_ID)."""
    ids = {parse_id(view_kwargs[key]) for key in PAGE_KWARGS if key in view_kwargs}
    view_name = request.resolver_match.view_name
    lists_pages = view_name == "wagtailadmin_choose_page_chosen_multiple" or (
        view_name == "wagtail_bulk_action"
        and (view_kwargs.get("app_label"), view_kwargs.get("model_name")) == ("wagtailcore", "page")
    )
    if lists_pages:
        ids |= {parse_id(v) for v in request.GET.getlist("id") if v != "all"}
    return ids


class AdminScopeMiddleware:
    """A page named in an admin URL outside the user's scope answers 404 (one query; none for
    district staff, site administrators and requests naming no page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if not (match and match.view_name.startswith("wagtail")):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # Wagtail sends anonymous users to the login page
        ids = _named_page_ids(request, view_kwargs)
        if not ids:
            return None
        if None in ids:
            raise Http404("没有这个页面")  # no page has such an id; the database need not be asked
        scope = policy_for(user).page_scope_q()
        if scope is None:
            return None
        if Page.objects.filter(pk__in=ids).exclude(scope).exists():
            raise Http404("不在您的管理范围内")
        return None


@hooks.register("construct_explorer_page_queryset")
def explorer_in_scope(parent_page, pages, request):
    return in_scope(pages, request.user)


@hooks.register("construct_page_chooser_queryset")
def chooser_in_scope(pages, request):
    """Within the scope, the chooser lists live pages and the pages the user can edit: no one
    else's drafts (site administrators: everything)."""
    user = request.user
    policy = policy_for(user)
    if policy.sees_every_draft():
        return pages
    editable = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"add", "change", "publish"}
    )
    return in_scope(pages, user).filter(Q(live=True) | Q(pk__in=editable.values("pk")))
