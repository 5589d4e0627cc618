"""Admin sessions end after `ADMIN_IDLE_TIMEOUT_MINUTES` without a request (docs/roles.md): a
committee member who walks away from the village office's computer is logged out, whatever the
session cookie's age."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login

LAST_SEEN = "gongzhi_last_seen"
# The session is written at most this often to record activity (seconds).
RESOLUTION = 60


class AdminIdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if last_seen is not None and now - last_seen > settings.ADMIN_IDLE_TIMEOUT_MINUTES * 60:
                logout(request)
                if request.path.startswith("/admin/"):
                    messages.info(request, "长时间未操作，已自动退出登录，请重新登录。")
                    return redirect_to_login(request.get_full_path(), "wagtailadmin_login")
            elif last_seen is None or now - last_seen >= RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
