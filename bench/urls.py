"""The benchmark's baseline: a bare Django view answering a static HTML string of a given size,
through the same middleware, workers and server as the pages it is compared with."""

from functools import cache

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


@cache
def _html(size: int) -> bytes:
    head = (
        b'<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8"><title>baseline</title>'
    )
    tail = b"</body></html>"
    filler = "基层自治 阳光公开 ".encode() * (size // 20 + 1)
    return head + b"<body><p>" + filler[: max(0, size - len(head) - len(tail) - 9)] + tail


@transaction.non_atomic_requests
def baseline(request):
    size = min(int(request.GET.get("bytes", "2000")), 2_000_000)
    return HttpResponse(_html(size), content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/baseline/", baseline), *site_urlpatterns]
