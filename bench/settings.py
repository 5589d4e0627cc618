"""Benchmark settings: the site's settings plus the baseline view (bench/urls.py). Never used in
production; the baseline is not reachable from cms/urls.py."""

from cms.settings import *  # noqa: F403
from cms.settings import PAGE_CACHE_EXCLUDE

ROOT_URLCONF = "bench.urls"
PAGE_CACHE_EXCLUDE = (*PAGE_CACHE_EXCLUDE, "/bench/")  # the baseline is never served from cache
