"""The one settings module, read from the environment (see docs/deployment.md).

With nothing set, the site runs on the embedded default: SQLite under ``var/``, media under
``var/media/``, local-memory cache, DEBUG on. Setting ``DATABASE_URL`` (e.g. ``postgres://…``)
switches to production defaults: DEBUG off, and a ``SECRET_KEY`` is then required.
"""

import datetime
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

EMBEDDED = "DATABASE_URL" not in env
DEBUG = env.bool("DEBUG", default=EMBEDDED)

_DEV_SECRET_KEY = "dev-only-not-secret-gongzhi-embedded-default-0123456789abcdef"
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (production). "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

if EMBEDDED:
    VAR_DIR.mkdir(exist_ok=True)

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A connection the database dropped (a restart) is replaced at the next request, not reused.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A lost database answers 503 with this Retry-After (cms/resilience.py), never 500.
DATABASE_RETRY_AFTER_SECONDS = env.int("DATABASE_RETRY_AFTER_SECONDS", default=10)
SQLITE = DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
# A refused step never leaves half a change behind: each request in one transaction. On SQLite only
# the writing requests (cms/transactions.py, added to MIDDLEWARE below), so that a page view never
# takes the write lock.
DATABASES["default"]["ATOMIC_REQUESTS"] = not SQLITE
if SQLITE:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # WAL: readers never wait for the writer, nor it for them.
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    # A write transaction takes the lock when it begins, so it waits its turn (below) instead of
    # failing when a read inside it turns into a write.
    _options.setdefault("transaction_mode", "IMMEDIATE")
    # Seconds a write waits for the lock before `database is locked` (Python's default is 5).
    _options.setdefault("timeout", env.int("SQLITE_TIMEOUT", default=20))

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://gongzhi")}
# Redis is an accelerator, never a single point of failure (cms/resilience.py, docs/deployment.md):
# Django's RedisCache with short timeouts behind a per-process circuit breaker, so a stopped or
# hung Redis costs one timeout per CACHE_BREAKER_SECONDS and pages are served uncached meanwhile.
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    CACHES["default"]["BACKEND"] = "cms.resilience.ResilientRedisCache"
    CACHES["default"].setdefault("OPTIONS", {})
    CACHES["default"]["OPTIONS"].setdefault(
        "socket_connect_timeout", env.float("CACHE_CONNECT_TIMEOUT", default=0.25)
    )
    CACHES["default"]["OPTIONS"].setdefault(
        "socket_timeout", env.float("CACHE_TIMEOUT", default=0.25)
    )
CACHE_BREAKER_SECONDS = env.float("CACHE_BREAKER_SECONDS", default=5.0)
# Whole-page cache for anonymous GETs (cms/cache.py, docs/performance.md). On by default where every
# process sees one cache: embedded (one process), or a shared cache such as Redis. With the
# per-process local-memory cache and several gunicorn workers, one worker could not tell the others
# about a publish, so it stays off there unless PAGE_CACHE_SECONDS says otherwise.
_SHARED_CACHE = not CACHES["default"]["BACKEND"].endswith("LocMemCache")
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300 if EMBEDDED or _SHARED_CACHE else 0)
PAGE_CACHE_CDN_SECONDS = env.int("PAGE_CACHE_CDN_SECONDS", default=60)
# Bytes of recently served pages each process keeps beside a shared cache (cms/cache.py LocalCopies).
PAGE_CACHE_LOCAL_BYTES = env.int(
    "PAGE_CACHE_LOCAL_BYTES", default=32 * 2**20 if _SHARED_CACHE else 0
)
# How long a process may go on using the generation it last read from a shared cache (seconds).
PAGE_CACHE_GENERATION_SECONDS = env.float(
    "PAGE_CACHE_GENERATION_SECONDS", default=1.0 if _SHARED_CACHE else 0.0
)
PAGE_CACHE_EXCLUDE = ("/admin/", "/documents/")
# Saving or deleting any of these changes what some public page or API response shows.
PAGE_CACHE_INVALIDATED_BY = [
    "community.CovenantRevision",
    "community.CommentWindow",  # a covenant's link to its draft open for comment, and its dates
    "community.DisclosureItem",  # the disclosure calendar's items
    "community.DistrictSettings",  # its deadlines and start date
    "consultation.Deliberation",
    "consultation.ImplementationUpdate",
    "consultation.Decision",
    "community.Evaluation",
    "community.EvaluationRating",
    "community.SupervisionMember",  # the community page's supervision committee and agendas
    "community.SupervisionOpinion",  # its public opinions
    "community.ExperienceFeature",
    "community.ExperienceTheme",
    "wagtailcore.Site",
    "wagtailcore.PageViewRestriction",
    "wagtailredirects.Redirect",
    "wagtaildocs.Document",
    "wagtailimages.Image",
]

INSTALLED_APPS = [
    "cms",  # the page cache's invalidation signals (cms/apps.py)
    "home",
    "community",
    "consultation",
    "wagtail_modeladmin",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.typed_table_block",
    "wagtail.embeds",
    "wagtail.sites",
    "community.supervision.apps.UsersConfig",  # wagtail.users, with our user forms
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "csp",  # Content-Security-Policy headers (cms/headers.py)
    "ninja",  # serves the API docs page from its own static files, no CDN
    "django.contrib.admin",  # needed by wagtail-modeladmin's list filters; not mounted
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # failed logins and page passwords, counted in the database (cms/logins.py)
    "django_tasks",  # background tasks (cms/tasks.py): the backport of Django 6's django.tasks
    "django_tasks_db",  # their queue in the database, worked by `manage.py db_worker`
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cms.resilience.DatabaseUnavailableMiddleware",  # a lost database: 503, not 500
    "cms.headers.SecurityHeadersMiddleware",  # CSP and Permissions-Policy, on cache hits too
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "cms.input_guard.InputGuardMiddleware",  # 400 for NUL/surrogates, API ints beyond the database
    "cms.cache.PageCacheMiddleware",  # before sessions: a hit costs no session, CSRF or auth work
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "cms.storage.StoreErrorMiddleware",  # a file the store cannot give back: 503, not 500
    "community.admin_scope.AdminScopeMiddleware",  # a page outside the user's scope: 404
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "cms.sessions.AdminIdleTimeoutMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into cms/logins.py's page
]
if SQLITE:  # innermost, where ATOMIC_REQUESTS would wrap the view: a transaction for writes only
    MIDDLEWARE.append("cms.transactions.WriteRequestTransactionMiddleware")

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Every account is staff (residents need none): at least 12 characters.
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))


def _media_storage(url: str) -> dict:
    """STORAGES["default"] for MEDIA_STORAGE_URL: ``s3://[KEY:SECRET@]bucket[/prefix]?endpoint_url=…
    &region=…&addressing_style=path|virtual`` (credentials percent-encoded, or from
    AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); empty: files under MEDIA_ROOT (docs/deployment.md)."""
    if not url:
        return {"BACKEND": "cms.storage.MediaFileSystemStorage"}
    parts = urlsplit(url)
    bucket = parts.netloc.rpartition("@")[2]
    query = dict(parse_qsl(parts.query))
    names = {"endpoint_url", "region", "addressing_style", "connect_timeout", "read_timeout"}
    if parts.scheme != "s3" or not bucket or set(query) - names:
        raise ImproperlyConfigured(
            f"MEDIA_STORAGE_URL must be s3://bucket[/prefix]?{'&'.join(sorted(names))}"
        )
    options = {"bucket_name": bucket, "location": parts.path.strip("/")}
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    if "region" in query:
        options["region_name"] = query.pop("region")
    for name in ("connect_timeout", "read_timeout"):
        if name in query:
            options[name] = float(query.pop(name))
    return {"BACKEND": "cms.storage_s3.MediaS3Storage", "OPTIONS": {**options, **query}}


# Images, documents and renditions: MEDIA_ROOT, or an S3-compatible object store (cms/storage_s3.py).
MEDIA_STORAGE_URL = env.str("MEDIA_STORAGE_URL", default="")
# With the object store: 0 streams each permitted file through the app; N > 0 redirects, after the
# access check, to a presigned URL of the bucket valid N seconds (the browser must reach the store,
# and CSP_MEDIA_ORIGINS must name it).
MEDIA_PRESIGNED_SECONDS = env.int("MEDIA_PRESIGNED_SECONDS", default=0)
STORAGES = {
    "default": _media_storage(MEDIA_STORAGE_URL),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# EMAIL_URL (smtp+tls://user:password@host:587) sets the backend and the server; an explicit
# EMAIL_BACKEND wins; with neither, mail is written to the console.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
if "EMAIL_URL" in env:
    globals().update(env.email_url("EMAIL_URL"))
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default=EMAIL_BACKEND)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="gongzhi@localhost")

# Background tasks (cms/tasks.py, docs/deployment.md): e-mail, search index updates, the digest.
# "immediate" (the default, and the embedded one) runs each task inline, in the process that asks
# for it, so `quickstart` needs no other process; "database" queues them in the database, in the
# transaction of the change that asks for them, for `manage.py db_worker` (production).
_TASKS_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in _TASKS_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASKS_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASKS_BACKENDS[TASKS_BACKEND]}}
# A failed task is tried again this many times in all, waiting TASKS_RETRY_SECONDS, then twice
# as long each time (queued backends; inline, it is tried again at once).
TASKS_RETRY_ATTEMPTS = env.int("TASKS_RETRY_ATTEMPTS", default=5)
TASKS_RETRY_SECONDS = env.int("TASKS_RETRY_SECONDS", default=30)
# A task still marked running this long after it started is taken to have lost its worker (killed
# mid-run on another host) and is queued again; a worker's own host requeues at once the tasks of a
# worker process that no longer runs (cms/tasks.py requeue_abandoned).
TASKS_ABANDONED_SECONDS = env.int("TASKS_ABANDONED_SECONDS", default=15 * 60)

# Production hardening: on whenever DEBUG is off; each can be relaxed from the environment
# (for example on an intranet without TLS), at the cost of a `check --deploy` warning.
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 30)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    if env.bool("USE_X_FORWARDED_PROTO", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's live preview shows the page in a same-origin iframe, which DENY would break.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]

# Security headers (cms/headers.py, docs/site.md). The public site and the API run no inline
# script or style: a strict policy. Wagtail's admin uses inline scripts and styles (and its
# preview frames the site), so /admin/ has its own. Origins of media on another host (a CDN) go in CSP_MEDIA_ORIGINS.
_CSP_MEDIA = env.list("CSP_MEDIA_ORIGINS", default=[])
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *_CSP_MEDIA],
        "media-src": ["'self'", *_CSP_MEDIA],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        # The page editor writes its configuration in inline <script> blocks (no nonce).
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", *_CSP_MEDIA],
        "font-src": ["'self'", "data:"],
        "frame-src": ["'self'"],
    }
}
PERMISSIONS_POLICY = env.str(
    "PERMISSIONS_POLICY",
    default="camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
    "magnetometer=(), gyroscope=(), accelerometer=(), display-capture=(), "
    "browsing-topics=()",
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}

# Wagtail
WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="共治")
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No moderation workflows: covenants have their statutory procedure, records their own publishing,
# and a workflow's approval would publish past those rules.
WAGTAIL_WORKFLOW_ENABLED = False
# Wagtail's database backend, with quotes in search terms escaped for SQLite (cms/search_backend.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "cms.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "doc", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "xls"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
# Upload forms that write the file while validating: a store that refuses it is a field error.
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.forms.DocumentForm"
# Uploaded files are served only through the checks of cms/media_access.py (docs/deployment.md):
# documents by Wagtail's serve view, whatever the storage, and MEDIA_URL by our own view. With
# MEDIA_ACCEL_REDIRECT (e.g. "/protected-media/", an nginx `internal` location aliasing MEDIA_ROOT)
# that view lets the web server send the bytes after the check.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
MEDIA_ACCEL_REDIRECT = env.str("MEDIA_ACCEL_REDIRECT", default="")
WAGTAIL_PASSWORD_RESET_ENABLED = env.bool("PASSWORD_RESET_ENABLED", default=False)
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILADMIN_USER_LOGIN_FORM = "cms.forms.LoginForm"
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The page password form in the site's own page (readable on a phone), not Wagtail's bare one.
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "password_required.html"
# No call from the admin to releases.wagtail.org: the site loads nothing from elsewhere (CSP).
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars from gravatar.com for users with an e-mail: the admin loads nothing from elsewhere.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Days an agenda must be public before its consultation (提前通报); docs/consultations.md, local practice.
CONSULTATION_NOTICE_DAYS = env.int("CONSULTATION_NOTICE_DAYS", default=3)
# Days after which an agenda with no new implementation update is flagged on the dashboard.
FEEDBACK_OVERDUE_DAYS = 30
# Accepted form answers per form and client address in one window: (answers, seconds), "60/3600"
# from the environment. A village answers from behind one carrier address (40 residents in an hour
# at a meeting); a script sending hundreds is stopped at 60. Refused answers do not count
# (cms/ratelimit.py; docs/consultations.md).
_rate = env.str("FORM_RATE_LIMIT", default="60/3600").split("/")
FORM_RATE_LIMIT = (int(_rate[0]), int(_rate[1]))
# Hours an accepted answer's Idempotency-Key or form token is remembered: a retry within them is
# answered as the first try was, and stores nothing (consultation/idempotency.py, docs/api.md).
ANSWER_RECEIPT_HOURS = env.int("ANSWER_RECEIPT_HOURS", default=24)
# Form field types offered to committees beyond those that fit residents: "hidden" (隐藏字段) and
# "url" (网址), e.g. "hidden,url". Fields already stored with these types work either way.
FORM_EXTRA_FIELD_TYPES = env.list("FORM_EXTRA_FIELD_TYPES", default=[])
USE_X_FORWARDED_FOR = env.bool("USE_X_FORWARDED_FOR", default=False)
# Proxies in front of the app that append to X-Forwarded-For (a load balancer and nginx: 2). The
# client's address is the entry they added, never the leftmost one (cms/client.py),
# for login throttling and the form rate limit. USE_X_FORWARDED_FOR alone means one.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1 if USE_X_FORWARDED_FOR else 0)
# Browser origins besides the site itself that may post answers to the API (a front end on another
# domain; a mini-program sends no Origin and needs none): consultation/forms_api.py.
ANSWER_ALLOWED_ORIGINS = env.list("ANSWER_ALLOWED_ORIGINS", default=[])

# Logins and page passwords (cms/logins.py, docs/roles.md): failures per account and per address
# before a lockout, and its length; an administrator can lift it sooner (设置 → 登录锁定).
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=10)
LOGIN_LOCKOUT_MINUTES = env.int("LOGIN_LOCKOUT_MINUTES", default=15)
AUTHENTICATION_BACKENDS = [
    "cms.logins.ThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = "cms.logins.lockout_parameters"
AXES_CLIENT_IP_CALLABLE = "cms.client.client_address"
AXES_LOCKOUT_CALLABLE = "cms.logins.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# An admin session ends after this many minutes without a request (cms/sessions.py).
ADMIN_IDLE_TIMEOUT_MINUTES = env.int("ADMIN_IDLE_TIMEOUT_MINUTES", default=120)

# django-simple-history: history rows are never deleted with their record (docs/operations.md).
SIMPLE_HISTORY_REVERT_DISABLED = True
# A change's reason is text, not varchar(100): a 2026 vote's reason names its four articles (over
# 100 characters), which PostgreSQL refused with an error on recording the vote.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
