"""Logins are throttled (docs/roles.md, logins): django-axes counts failed admin logins and wrong
page passwords in the database, so every worker sees the same count, per account and per address.

- An admin account is locked after `LOGIN_FAILURE_LIMIT` failures (any address); an address after
  as many failures (any account or page password), for `LOGIN_LOCKOUT_MINUTES`.
- A page password is counted per address only: counting per page would let anyone lock a whole
  village out of its own notices.
- A locked client gets a Chinese page (429); a site administrator unlocks it in 设置 → 登录锁定
  (`lockouts` below, for whoever holds axes' delete permission) or with `python manage.py axes_reset_username NAME`.

The client's address is `client_address()`: REMOTE_ADDR, or, behind `TRUSTED_PROXY_COUNT` proxies,
the X-Forwarded-For entry those proxies added (cms/client.py).
"""

import datetime

from axes import utils as axes_utils
from axes.backends import AxesStandaloneBackend
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.db.models import Max, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from wagtail import views as wagtail_views
from wagtail.models import PageViewRestriction

from cms.ids import parse_id

# The "account" a page password is counted under (never a real username: those have no colon).
PAGE_PASSWORD_ACCOUNT = "页面密码:{}"


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' check before the password is compared. Only web requests are counted: a script or a
    test that authenticates without a request is not a login over the network."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_parameters(request_or_attempt, credentials=None):
    username = (credentials or {}).get("username") or getattr(request_or_attempt, "username", "")
    if str(username).startswith(PAGE_PASSWORD_ACCOUNT.format("")):
        return ["ip_address"]
    return ["ip_address", "username"]


def lockout_response(request, original_response=None, credentials=None):
    # Rendered now: axes hands it back from a middleware, after the template-response phase.
    response = render(
        request, "lockout.html", {"minutes": settings.LOGIN_LOCKOUT_MINUTES}, status=429
    )
    response["Retry-After"] = str(settings.LOGIN_LOCKOUT_MINUTES * 60)
    return response


@csrf_protect
def authenticate_with_password(request, page_view_restriction_id, page_id):
    """Wagtail's page password form, counted like a login: a wrong password is a failure, and a
    locked address is refused before the password is compared."""
    restriction = get_object_or_404(PageViewRestriction, id=page_view_restriction_id)
    credentials = {"username": PAGE_PASSWORD_ACCOUNT.format(restriction.pk)}
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            return lockout_response(request)
        response = wagtail_views.authenticate_with_password(
            request, page_view_restriction_id, page_id
        )
        if response.status_code != 302:  # the form was shown again: the password was wrong
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if not AxesProxyHandler.is_allowed(request, credentials):
                return lockout_response(request)
        return response
    return wagtail_views.authenticate_with_password(request, page_view_restriction_id, page_id)


UNLOCK_PERMISSION = "axes.delete_accessattempt"


def _locked(attempts, field: str):
    """Values of `field` (an account, an address) whose failures reach the limit, counted as axes
    counts them: the sum over every attempt row of that account or address."""
    return (
        attempts.values(field)
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last")
    )


def _account_label(username: str) -> str:
    prefix = PAGE_PASSWORD_ACCOUNT.format("")
    if not username.startswith(prefix):
        return username
    restriction = (
        PageViewRestriction.objects.select_related("page")
        .filter(pk=parse_id(username[len(prefix) :]))
        .first()
    )
    return f"页面访问密码：{restriction.page.title}" if restriction else "页面访问密码"


def lockouts(request):
    """设置 → 登录锁定: the accounts and the addresses locked now, each with 解除锁定."""
    if not request.user.has_perm(UNLOCK_PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        username = request.POST.get("username") or None
        ip = request.POST.get("ip_address") or None
        if username or ip:
            removed = axes_utils.reset(ip=ip, username=username)
            messages.success(request, f"已解除锁定（清除 {removed} 条失败记录）。")
        return redirect("gongzhi_login_lockouts")
    since = timezone.now() - datetime.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    attempts = AccessAttempt.objects.filter(attempt_time__gte=since)
    prefix = PAGE_PASSWORD_ACCOUNT.format("")
    accounts = [
        {**row, "label": _account_label(row["username"])}
        for row in _locked(attempts.exclude(username__startswith=prefix), "username")
    ]
    context = {
        "page_title": "登录锁定",
        "header_icon": "lock",
        "accounts": accounts,
        "addresses": list(_locked(attempts, "ip_address")),
        "limit": settings.AXES_FAILURE_LIMIT,
        "minutes": settings.LOGIN_LOCKOUT_MINUTES,
    }
    return TemplateResponse(request, "cms/lockouts.html", context)
