"""The one settings module. Everything that differs between machines comes from
the environment (see README.md, "Environment variables"); with nothing set the
app runs on an embedded default: SQLite, a filesystem Celery broker and e-mail
written to a folder."""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# Local state of the embedded default (SQLite file, broker folder, mail, media).
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
_INSECURE_KEY = "django-insecure-development-key-change-me-in-production-please"
# The fallback key is public; `check --deploy` flags it, and production sets SECRET_KEY.
SECRET_KEY = env_str("SECRET_KEY", "") or _INSECURE_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://localhost:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "axes",
    "csp",
    # The product's apps, ground first: each imports only from those above it
    # in this list (ARCHITECTURE.md; the layers contract in pyproject.toml).
    "core",
    "notifications",
    "accounts",
    "members",
    "meetings",
    "taskteams",
    "workplans",
    "decisions",
    "documents",
    "reports",
    "home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before WhiteNoise, so static files carry the policy too (see CONTENT_SECURITY_POLICY).
    "core.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "members.middleware.CurrentNetworkMiddleware",
    # Axes must be last: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "members.context_processors.frame",
                "accounts.context_processors.session_clock",
                "home.context_processors.menu",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'secretariat.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A web process and a worker write at once: WAL lets readers go on while
    # one writes; IMMEDIATE takes the write lock when a transaction begins, so
    # a read-then-write transaction waits (timeout, seconds) instead of
    # failing with "database is locked" half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# Password reset requests accepted per hour from one client address (an
# office behind one NAT shares it) and for one e-mail address, known or not.
PASSWORD_RESET_PER_ADDRESS_PER_HOUR = env_int("PASSWORD_RESET_PER_ADDRESS_PER_HOUR", 20)
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3)
if PASSWORD_RESET_PER_ADDRESS_PER_HOUR < 1 or PASSWORD_RESET_PER_EMAIL_PER_HOUR < 1:
    raise ImproperlyConfigured("PASSWORD_RESET_PER_*_PER_HOUR must be 1 or more")

# Signed-in sessions end after this long without a request, and this long
# after the sign-in whatever the activity (accounts.middleware). Two idle
# hours outlast a meeting spent away from the desk, or minutes typed for an
# hour before saving, yet close a screen left open over lunch or at the end
# of the day; twelve hours cover one working day with one sign-in.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 120)
SESSION_MAX_AGE_HOURS = env_int("SESSION_MAX_AGE_HOURS", 12)
if not 1 <= SESSION_MAX_AGE_HOURS <= 24 * 30:
    raise ImproperlyConfigured("SESSION_MAX_AGE_HOURS must be from 1 to 720 hours")
if not 5 <= SESSION_IDLE_TIMEOUT_MINUTES <= SESSION_MAX_AGE_HOURS * 60:
    raise ImproperlyConfigured(
        "SESSION_IDLE_TIMEOUT_MINUTES must be from 5 minutes to SESSION_MAX_AGE_HOURS"
    )
# The stored session outlives its lifetime, so that the middleware, not the
# session store, ends it and can tell the user why (even the next morning).
SESSION_COOKIE_AGE = 2 * SESSION_MAX_AGE_HOURS * 3600

# Lock an account (per e-mail and address) after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
# Lockouts count the client's address, not our proxy's: the same function
# (django-ipware, configured by BEHIND_TLS_PROXY) serves the rate limits.
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded files go through Django's storage API everywhere: the local
# folder (MEDIA_ROOT) by default, or an S3-compatible bucket (django-storages)
# when web and worker processes run on different machines.
FILE_STORAGE = env_str("FILE_STORAGE", "local")
if FILE_STORAGE == "s3":
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("S3_BUCKET", ""),
            "endpoint_url": env_str("S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("S3_REGION", "") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID", "") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY", "") or None,
            "location": env_str("S3_PREFIX", "media"),
            # Private objects: the app hands files out through its own
            # permission-checked views, never by a public bucket address.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif FILE_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured("FILE_STORAGE must be local or s3.")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG and env_bool("STATIC_MANIFEST", True)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

FORMS_URLFIELD_ASSUME_HTTPS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Redis, cache and Celery -------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured(f"REDIS_URL must be a redis:// URL, got {REDIS_URL!r}")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_DIR = VAR_DIR / "celery-broker"
EMBEDDED_BROKER_TRANSPORT = "config.broker:FilesystemTransport"
CELERY_VISIBILITY_TIMEOUT = 3600
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Short socket timeouts: a hung Redis must not hold a web request.
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        # A task not acknowledged within this is delivered again (acks_late):
        # no task may wait longer, retry countdowns included (tests/notifications).
        "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
        "socket_timeout": 2,
        "socket_connect_timeout": 1,
    }
else:
    # The embedded broker: messages are files in a folder, so a real worker
    # and beat run on a bare machine without a broker server.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT = EMBEDDED_BROKER_TRANSPORT
    for _folder in ("queue", "control", "processed"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.2,
    }
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_IGNORE_RESULT = True
# Acknowledged after running only where a task says so (acks_late=True), with
# the reason it is safe to run twice in its docstring.
CELERY_TASK_ACKS_LATE = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Publishing must never hang a web request when the broker is down: the
# outbox publishes once per transaction with a single connection attempt
# (notifications.outbox.dispatch) and no publish retry.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "core.tasks.heartbeat", "schedule": 60.0},
    "flush-outbox": {"task": "notifications.tasks.flush_outbox", "schedule": 120.0},
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(minute=0, hour=3),
    },
    # Reminders (meetings/tasks.py), in CELERY_TIMEZONE. Each is idempotent.
    "reminders-quarterly": {
        "task": "meetings.tasks.send_quarterly_reminders",
        "schedule": crontab(minute=0, hour=6, day_of_month=1, month_of_year="1,4,7,10"),
    },
    "reminders-before-meetings": {
        "task": "meetings.tasks.send_meeting_reminders",
        "schedule": crontab(minute=10, hour=6),
    },
    "reminders-minutes-overdue": {
        "task": "meetings.tasks.send_minutes_reminders",
        "schedule": crontab(minute=20, hour=6),
    },
    "reminders-actions-overdue": {
        "task": "meetings.tasks.send_overdue_action_reminders",
        "schedule": crontab(minute=25, hour=6),
    },
    # Progress reporting (workplans/tasks.py). The request runs on each of the
    # quarter's first seven days: a day missed while beat was down is caught
    # up, and a repeated run sends nothing new. The reminder runs daily and
    # acts only in the last PROGRESS_REMINDER_DAYS_BEFORE_END days.
    "progress-requests": {
        "task": "workplans.tasks.send_progress_requests",
        "schedule": crontab(minute=30, hour=6, day_of_month="1-7", month_of_year="1,4,7,10"),
    },
    "progress-missing-reminders": {
        "task": "workplans.tasks.send_progress_missing_reminders",
        "schedule": crontab(minute=40, hour=6),
    },
    # Decisions (decisions/tasks.py): close those past their deadline, remind
    # those who have not answered. Both idempotent; a page showing an overdue
    # decision closes it too, so a stopped beat never leaves one open.
    "decisions-close": {"task": "decisions.tasks.close_consultations", "schedule": 60.0},
    "decisions-reminders": {"task": "decisions.tasks.send_decision_reminders", "schedule": 900.0},
    # Documents (documents/tasks.py): the text of uploaded PDFs for the search,
    # for the files whose task the broker never delivered. Idempotent.
    "documents-extract-texts": {"task": "documents.tasks.extract_pending_texts", "schedule": 600.0},
    # Reports (reports/tasks.py): builds whose worker died are marked failed,
    # queued builds the broker never delivered are handed over again.
    "reports-sweep": {"task": "reports.tasks.sweep_reports", "schedule": 300.0},
    # The reports the calendar makes due (reports/schedule.py), daily: each
    # occasion is asked for once, so a repeated or caught-up run adds nothing.
    "reports-schedule": {
        "task": "reports.tasks.schedule_reports",
        "schedule": crontab(minute=15, hour=5),
    },
    # Task team reviews falling due (taskteams/tasks.py), daily; idempotent.
    "reminders-taskteam-reviews": {
        "task": "taskteams.tasks.send_review_reminders",
        "schedule": crontab(minute=50, hour=6),
    },
}
# Agencies that have not stated a position are reminded this many hours
# before a decision's deadline (once per occasion).
DECISION_REMINDER_HOURS = tuple(
    int(h) for h in env_str("DECISION_REMINDER_HOURS", "72,24").split(",") if h.strip()
)
# Unanswered invitations are reminded this many days before the meeting;
# minutes not circulated this many days after it are chased.
MEETING_REMINDER_DAYS_BEFORE = env_int("MEETING_REMINDER_DAYS_BEFORE", 7)
MINUTES_OVERDUE_DAYS = env_int("MINUTES_OVERDUE_DAYS", 14)
if MEETING_REMINDER_DAYS_BEFORE < 0 or MINUTES_OVERDUE_DAYS < 0:
    raise ImproperlyConfigured(
        "MEETING_REMINDER_DAYS_BEFORE and MINUTES_OVERDUE_DAYS must be 0 or more days"
    )
# The secretariat is reminded of a task team's review this many days ahead.
TASKTEAM_REVIEW_REMINDER_DAYS = env_int("TASKTEAM_REVIEW_REMINDER_DAYS", 30)
if TASKTEAM_REVIEW_REMINDER_DAYS < 0:
    raise ImproperlyConfigured("TASKTEAM_REVIEW_REMINDER_DAYS must be 0 or more days")
# Focal points whose activity has no progress update for the quarter yet are
# reminded this many days before the quarter ends; evidence files attached
# to an update may be this large.
PROGRESS_REMINDER_DAYS_BEFORE_END = env_int("PROGRESS_REMINDER_DAYS_BEFORE_END", 14)
if not 1 <= PROGRESS_REMINDER_DAYS_BEFORE_END <= 80:
    raise ImproperlyConfigured("PROGRESS_REMINDER_DAYS_BEFORE_END must be from 1 to 80 days")
PROGRESS_EVIDENCE_MAX_MB = env_int("PROGRESS_EVIDENCE_MAX_MB", 10)
if not 1 <= PROGRESS_EVIDENCE_MAX_MB <= 100:
    raise ImproperlyConfigured("PROGRESS_EVIDENCE_MAX_MB must be from 1 to 100")

# --- E-mail --------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Secretariat <secretariat@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    # No mail server configured: every message is written to var/mail, one
    # file per message, where a developer can read it.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# --- Security -------------------------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_TLS_PROXY else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# --- Content-Security-Policy (django-csp) ----------------------------------------
# Every response says where its page may load things from: only this site, no
# inline script or style at all (not even a style="" attribute), no plugins, no
# framing. Behaviour lives in static/js/app.js (data-confirm, data-autosubmit,
# data-width ...), looks in static/css/. tests/core/test_csp.py holds pages to it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # Bootstrap draws its icons as data: SVG
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Product settings -----------------------------------------------------------
# Public membership-application form: at most this many submissions per
# address per hour, and not faster than a person can type.
APPLICATION_RATE_LIMIT_PER_HOUR = env_int("APPLICATION_RATE_LIMIT_PER_HOUR", 5)
APPLICATION_MIN_FILL_SECONDS = env_int("APPLICATION_MIN_FILL_SECONDS", 3)
# The form's "already a member?" check (members:apply_check, asked as the
# name and acronym change): at most this many per address per minute.
APPLY_CHECK_PER_ADDRESS_PER_MINUTE = env_int("APPLY_CHECK_PER_ADDRESS_PER_MINUTE", 30)
WORKER_HEARTBEAT_STALE_SECONDS = env_int("WORKER_HEARTBEAT_STALE_SECONDS", 300)
# An agenda or minutes PDF render is stopped after this many seconds.
PDF_RENDER_TIMEOUT_SECONDS = env_int("PDF_RENDER_TIMEOUT_SECONDS", 30)
if not 1 <= PDF_RENDER_TIMEOUT_SECONDS <= 600:
    raise ImproperlyConfigured("PDF_RENDER_TIMEOUT_SECONDS must be from 1 to 600")
# Reports (reports/): a worker's render of one report is stopped after
# REPORT_RENDER_TIMEOUT_SECONDS; the whole build (collecting the data too)
# has a soft limit of REPORT_BUILD_TIMEOUT_SECONDS and a hard one 30 s later.
REPORT_RENDER_TIMEOUT_SECONDS = env_int("REPORT_RENDER_TIMEOUT_SECONDS", 120)
REPORT_BUILD_TIMEOUT_SECONDS = env_int("REPORT_BUILD_TIMEOUT_SECONDS", 300)
if not 1 <= REPORT_RENDER_TIMEOUT_SECONDS <= REPORT_BUILD_TIMEOUT_SECONDS <= 3000:
    raise ImproperlyConfigured(
        "REPORT_RENDER_TIMEOUT_SECONDS must be from 1 to REPORT_BUILD_TIMEOUT_SECONDS (at most 3000)"
    )
# The biennial report to the Secretary-General (reports/schedule.py) is asked
# for in this month (1-12) of alternate years, for the two calendar years
# before: of the even years (2026, for 2024-2025) when REPORT_BIENNIAL_EVEN_YEARS
# is true (the default), of the odd years when it is false.
REPORT_BIENNIAL_MONTH = env_int("REPORT_BIENNIAL_MONTH", 3)
if not 1 <= REPORT_BIENNIAL_MONTH <= 12:
    raise ImproperlyConfigured("REPORT_BIENNIAL_MONTH must be a month, from 1 to 12")
REPORT_BIENNIAL_EVEN_YEARS = env_bool("REPORT_BIENNIAL_EVEN_YEARS", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "filters": {"drop_permission_denied": {"()": "core.views_helpers.DropPermissionDenied"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # A refused authorisation is logged once, in one line, on
        # secretariat.security (core.views_helpers.log_refusal).
        "django.request": {"filters": ["drop_permission_denied"]},
    },
}
