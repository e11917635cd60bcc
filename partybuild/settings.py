"""Settings for partybuild, every value from the environment.

Nothing set gives a working development setup: an SQLite file in the project folder and
Celery tasks run in-process. DATABASE_URL selects PostgreSQL, REDIS_URL a real broker.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Off unless asked for: `make run` sets DEBUG=1 for the development server.
DEBUG = env_flag("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (make run sets DEBUG=1 for development)."
        )
    SECRET_KEY = "development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "partybuild",
    "organizations",
    "members",
    "reminders",
    "development",
    "appraisals",
    "meetings",
    "dues",
    "transfers",
    "community",
    "elections",
    "training",
    "secretary_reports",
    "assessment",
    "reports",
    "accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "partybuild.middleware.SaneInputMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "organizations.middleware.ActingRoleMiddleware",
    "accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "partybuild.middleware.SessionLimitsMiddleware",
    "partybuild.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "partybuild.middleware.FriendlyErrorPagesMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partybuild.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.party_context",
                "partybuild.context_processors.import_limits",
                "partybuild.context_processors.section",
            ],
        },
    },
]

WSGI_APPLICATION = "partybuild.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT misfires on recursive and closure-table plans (bad row estimates).
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": BASE_DIR / "db.sqlite3",
            "OPTIONS": {"timeout": 20},
        }
    }

# A read replica (PostgreSQL streaming standby): the statistics pages, ratio reports, exports
# and workbooks read from it while it answers and lags less than REPLICA_MAX_LAG_SECONDS,
# else from the primary (partybuild/replica.py). Writes always go to the primary.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60)
    DATABASES["replica"]["OPTIONS"] = {"options": "-c jit=off", "connect_timeout": 3}
    # Tests: the replica streams the primary's test database; no database of its own.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["partybuild.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = float(os.environ.get("REPLICA_MAX_LAG_SECONDS", "30"))
# How long a replica's state (answering, lag) is trusted before it is asked again.
REPLICA_CHECK_SECONDS = float(os.environ.get("REPLICA_CHECK_SECONDS", "5"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Brute-force protection (django-axes): after LOGIN_FAILURE_LIMIT failures for one account or
# from one address within LOGIN_LOCKOUT_MINUTES, further attempts are refused for as long.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_USE_ATTEMPT_EXPIRATION = True  # failures older than the window no longer count
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "partybuild.security.lockout_response"
AXES_VERBOSE = False

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after the
# login whatever happens (partybuild.middleware.SessionLimitsMiddleware).
SESSION_IDLE_SECONDS = int(os.environ.get("SESSION_IDLE_MINUTES", "30")) * 60
SESSION_MAX_SECONDS = int(os.environ.get("SESSION_MAX_HOURS", "12")) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Behind nginx: the internal location that serves MEDIA_ROOT (e.g. /protected-media/); the
# app then answers a download with X-Accel-Redirect after its scope check (partybuild.files).
FILE_ACCEL_PREFIX = os.environ.get("FILE_ACCEL_PREFIX", "")
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Results keep the task's name and the worker that ran it (operators, and the queue tests).
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = datetime.timedelta(days=1)
# One queue per kind of long work, so that a long import cannot hold up the nightly
# statistics: `celery worker -Q statistics` takes only that work. A worker started without
# -Q consumes every queue (make run, make worker, a single machine).
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "statistics", "exports", "imports")]
CELERY_TASK_ROUTES = {
    "reports.tasks.stats_*": {"queue": "statistics"},
    "reports.tasks.yearly_report": {"queue": "exports"},
    "*.tasks.*_export": {"queue": "exports"},
    "*.tasks.*_import": {"queue": "imports"},
}
# Every worker notes it is alive this often; /healthz wants a note younger than the maximum.
WORKER_HEARTBEAT_SECONDS = int(os.environ.get("WORKER_HEARTBEAT_SECONDS", "30"))
HEALTH_WORKER_MAX_AGE_SECONDS = int(os.environ.get("HEALTH_WORKER_MAX_AGE_SECONDS", "120"))
# The newest statistics snapshot may be this old before /healthz says so (nightly runs).
HEALTH_SNAPSHOT_MAX_AGE_HOURS = int(os.environ.get("HEALTH_SNAPSHOT_MAX_AGE_HOURS", "48"))
# Nightly statistics and reminders for the day (run `celery -A partybuild beat` beside the workers).
CELERY_BEAT_SCHEDULE = {
    "statistics-nightly": {
        "task": "reports.tasks.stats_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    # The new month's dues are opened first; the reminders then read them.
    "dues-nightly": {
        "task": "dues.tasks.open_months",
        "schedule": crontab(hour=0, minute=5),
    },
    # Duties of a period (a meeting of the month) move on to the new day's periods.
    "reminders-nightly": {
        "task": "reminders.tasks.rebuild_timed",
        "schedule": crontab(hour=0, minute=20),
    },
}

# With a broker the cache is Redis, shared by web processes and workers (the statistics'
# debounce lives there); without one each process keeps its own.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "partybuild",
        }
    }

# Statistics engine (reports/engine.py): parts a run is split into, the wait after a data
# change before recomputing (more changes meanwhile join the same run), and how long a run
# may go without progress before it counts as abandoned.
# Parts run in parallel only on several workers: set STATS_PARTS to the workers' total
# concurrency. In-process (no broker) one part is fastest.
STATS_PARTS = int(os.environ.get("STATS_PARTS", "4" if REDIS_URL else "1"))
STATS_DEBOUNCE_SECONDS = int(os.environ.get("STATS_DEBOUNCE_SECONDS", "60"))
STATS_STALE_SECONDS = int(os.environ.get("STATS_STALE_SECONDS", "600"))
# Slows every part down, to watch progress or to stop a worker in the middle of a run.
STATS_PART_DELAY_SECONDS = float(os.environ.get("STATS_PART_DELAY_SECONDS", "0"))

# Exports larger than this many rows go to a Celery task instead of streaming.
ROSTER_EXPORT_INLINE_LIMIT = int(os.environ.get("ROSTER_EXPORT_INLINE_LIMIT", "5000"))
# Yearly workbooks of subtrees with more organizations than this are written by a worker.
YEARLY_INLINE_LIMIT = int(os.environ.get("YEARLY_INLINE_LIMIT", "1000"))
# Lists (ratio report, reminders, campaign progress...) longer than this go to a worker.
TABLE_EXPORT_INLINE_LIMIT = int(os.environ.get("TABLE_EXPORT_INLINE_LIMIT", "5000"))
# Campaigns over subtrees with more organizations than this are opened by a worker, their
# progress shown on the job page.
CAMPAIGN_INLINE_LIMIT = int(os.environ.get("CAMPAIGN_INLINE_LIMIT", "1000"))
# Spreadsheet imports are bounded before they are parsed (partybuild/sheets.py): the file's
# size, what it unpacks to, its lines and the time spent reading them. Longer ones than
# IMPORT_INLINE_LIMIT lines run as background jobs; pages list the first errors only.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(10 * 1024 * 1024)))
IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("IMPORT_MAX_UNPACKED_BYTES", str(100 * 1024 * 1024)))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", "50000"))
IMPORT_MAX_SECONDS = int(os.environ.get("IMPORT_MAX_SECONDS", "60"))
IMPORT_INLINE_LIMIT = int(os.environ.get("IMPORT_INLINE_LIMIT", "2000"))
IMPORT_SHOWN_ERRORS = int(os.environ.get("IMPORT_SHOWN_ERRORS", "200"))
# Any uploaded file (attachments too) is kept to this many bytes while it arrives.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
FILE_UPLOAD_HANDLERS = ["partybuild.uploads.BoundedUploadHandler"]

# Behind a TLS-terminating proxy set HTTPS=1: Secure cookies, HSTS and the redirect to https.
# The proxy must set X-Forwarded-Proto (deploy notes in the README).
HTTPS = env_flag("HTTPS", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# The load balancer asks for /healthz over plain HTTP, behind the TLS proxy.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (Django's own middleware): scripts and styles from this site only,
# no inline script, no plugins, no <base>, no framing.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# Errors with their traceback (django.request) and the audit trail go to stderr.
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "partybuild": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "celery": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

PROJECT_NAME = _("Party building")
