"""Settings for the Minamata COP Portal.

Everything comes from the environment (twelve-factor, as cookiecutter-django does). There are no
production defaults for secrets: SECRET_KEY must be set. `make run` writes a `.env` with a
generated key and the embedded defaults (SQLite, eager Celery, mail to files); `make test` points
at PostgreSQL and Redis.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
env_file = env.str("PORTAL_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(env_file).exists():
    env.read_env(env_file)

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# How account e-mails name the portal ("Hello from …", their subject's prefix), whatever host the
# request came in by.
SITE_NAME = env.str("SITE_NAME", default="Minamata COP Portal")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "import_export",
    "simple_history",
    "django_countries",
    "rules.apps.AutodiscoverRulesConfig",
    "accounts",
    "reference",
    "outbox",
    "meetings",
    "participants",
    "documents",
    "bureau",
    "letters",
    "calls",
    "expertgroups",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "operations",
    "django_prometheus",
]

MIDDLEWARE = [
    # Counts every request, first in and last out (django-prometheus; operations/metrics.py).
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    # A request id on every log line of the request, and in the X-Request-ID answer header.
    "operations.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside everything but SecurityMiddleware, so static files and 413 answers carry the headers
    # too (README, Security headers).
    "csp.middleware.CSPMiddleware",
    "minamata_portal.headers.PermissionsPolicyMiddleware",
    # Refuses an oversized request (413) before anything reads its body (minamata_portal/middleware.py).
    "minamata_portal.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.StaffMustUseTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Logs each request made with a personal API token, outside the request's transaction.
    "api.middleware.TokenUseLogMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "minamata_portal.urls"
WSGI_APPLICATION = "minamata_portal.wsgi.application"

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
                # The person's roles and their pages, for the navigation (accounts/navigation.py).
                "accounts.navigation.portal_roles",
            ],
        },
    },
]

# Forms render through the project's templates: templates/django/forms/ puts an error summary,
# linked to the fields, at the top of every form (WCAG 3.3.1; README, Accessibility).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Persistent connections: opening one costs more than a public page's queries (the floor, /healthz,
# answers about 6 times faster with them). Checked before each request reuses one, so a database
# restart costs a retry, not an error. Behind PgBouncer in transaction pooling it may stay (the
# connection kept is the one to PgBouncer); set DISABLE_SERVER_SIDE_CURSORS=true there (README).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DISABLE_SERVER_SIDE_CURSORS", default=False)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Queries and their errors are counted per database for the metrics endpoint: django-prometheus's
# engines wrap Django's own (same SQL, same behaviour).
DATABASES["default"]["ENGINE"] = {
    "django.db.backends.postgresql": "django_prometheus.db.backends.postgresql",
    "django.db.backends.sqlite3": "django_prometheus.db.backends.sqlite3",
}.get(DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"])

# --- Cache (rate limits live here, so it must be shared between processes in production) ---
# With no CACHE_URL but a REDIS_URL, the cache is Redis too: two web processes (or hosts) then
# count one client's requests together. Only the embedded demo keeps it in one process's memory.
CACHES = {
    "default": env.cache(
        "CACHE_URL",
        default=env.str("REDIS_URL", default="").replace("redis://", "rediscache://", 1) or "locmemcache://",
    )
}
# Public pages as anonymous visitors see them are kept this many seconds at most (0: not at all);
# any change of what they show replaces them at once (minamata_portal/publiccache.py). Only with a
# shared cache by default: one process's memory does not hear what another process (a worker, a
# command) changed.
PUBLIC_CACHE_SECONDS = env.int(
    "PUBLIC_CACHE_SECONDS", default=0 if CACHES["default"]["BACKEND"].endswith("LocMemCache") else 600
)

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = env.list(
    "PASSWORD_HASHERS",
    default=[
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    ],
)

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset answer the same whether or not the address is known.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Account mails are stored and sent by the outbox, like every other mail (accounts.adapters).
ACCOUNT_MAIL_BACKEND = "outbox.backends.OutboxEmailBackend"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# A code already used (a second sign-in within its 30 seconds) is told apart from a wrong one.
MFA_FORMS = {
    "authenticate": "accounts.forms.MfaAuthenticateForm",
    "reauthenticate": "accounts.forms.MfaReauthenticateForm",
}
# Whether staff must enrol TOTP before they can use anything but the enrolment pages.
STAFF_MFA_REQUIRED = env.bool("STAFF_MFA_REQUIRED", default=True)

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploads (nomination letters, passports, documents) are private: stored outside the static
# root and served only through views that check permissions. There is no MEDIA_URL route.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media-not-served/"
# Private files (uploads, letters, reports) live on the local disk under MEDIA_ROOT (the embedded
# default, one host), or, with S3_BUCKET set, in an S3-compatible bucket (MinIO, AWS, moto) that
# every web and worker host shares. Either way they stay private: no ACL is set on an object,
# nothing links to the bucket, and the portal's checked views stream them (minamata_portal/files.py).
# "letters" holds rendered PDFs and the mails' attachments (the same objects): a letter
# re-rendered after a crash replaces its file rather than adding "name_x7Yz.pdf" beside it.
S3_BUCKET = env.str("S3_BUCKET", default="")
if S3_BUCKET:
    _S3_OPTIONS = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
        "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
        "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
        "region_name": env.str("S3_REGION", default="us-east-1"),
        "location": env.str("S3_PREFIX", default=""),
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 60,
        "addressing_style": "path",
        "signature_version": "s3v4",
    }
    _PRIVATE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "file_overwrite": False},
    }
    _LETTERS = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_S3_OPTIONS, "file_overwrite": True},
    }
else:
    _PRIVATE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    _LETTERS = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"allow_overwrite": True},
    }
STORAGES = {
    "default": _PRIVATE,
    "letters": _LETTERS,
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_STORAGE",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
# How long a focal point's personal invitation link stays valid.
FOCAL_POINT_INVITATION_DAYS = env.int("FOCAL_POINT_INVITATION_DAYS", default=14)
# "Create the next COP" plans it this many months after the last one (COPs meet every two years).
COP_INTERVAL_MONTHS = env.int("COP_INTERVAL_MONTHS", default=24)

# --- Imports and exports (django-import-export) ---------------------------------------------
# Every import runs in one transaction; exports neutralise cells a spreadsheet would run as
# formulas (=, +, -, @), whichever resource exports them.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="smtp://127.0.0.1:1025"))


def _default_from_email(site_url: str) -> str:
    """noreply@ the host of SITE_URL; a host no mail can come from (an address, localhost) gives
    the reserved test domain instead: set DEFAULT_FROM_EMAIL in production."""
    host = (urlsplit(site_url).hostname or "").lower()
    if not host or host == "localhost" or host.replace(".", "").isdigit() or ":" in host:
        host = "mercury.test"
    return f"Minamata Convention Secretariat <noreply@{host}>"


DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=_default_from_email(SITE_URL))
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The name printed above the signatory's title on every letter, and the title as it reads in each
# language where the catalogue's "Executive Secretary" does not fit (French and Spanish titles
# are gendered): LETTERS_SIGNATORY_TITLES="fr=Secrétaire exécutive,es=Secretaria Ejecutiva".
# A meeting's letter template may set both for its letters. Empty name: the title only.
# Behind N reverse proxies, the client address is read from X-Forwarded-For (rate limits of
# sign-in, letter verification and side-event requests count per client, not per proxy).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
LETTERS_SIGNATORY_NAME = env.str("LETTERS_SIGNATORY_NAME", default="")
LETTERS_SIGNATORY_TITLES = env.dict("LETTERS_SIGNATORY_TITLES", default={})
EMAIL_TIMEOUT = 10

# --- Celery ---------------------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=env.str("REDIS_URL", default=""))
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Longer than any retry countdown, so an unacknowledged task is not redelivered while a
# retry of it is still waiting (Redis redelivers after this many seconds).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {}
# Mails and letters whose task the broker lost (down, or a worker killed) are queued again.
CELERY_BEAT_SCHEDULE["outbox-sweep"] = {"task": "outbox.tasks.outbox_sweep", "schedule": 60.0}
CELERY_BEAT_SCHEDULE["letters-sweep"] = {"task": "letters.tasks.letters_sweep", "schedule": 60.0}
# Passport data of visa requests is purged this many days after the meeting ends (daily sweep).
PASSPORT_PURGE_DAYS = env.int("PASSPORT_PURGE_DAYS", default=30)
CELERY_BEAT_SCHEDULE["participants-passport-purge"] = {
    "task": "participants.tasks.passport_data_purge",
    "schedule": 24 * 60 * 60,
}
# Reminders of calls on the days staff set: checked hourly, each sent once.
CELERY_BEAT_SCHEDULE["calls-reminders"] = {"task": "calls.tasks.reminders_send_due", "schedule": 60 * 60}
# Beat records a heartbeat at every tick (operations.beat): /readyz and beat's health check read it.
CELERY_BEAT_SCHEDULER = "operations.beat:HeartbeatScheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 30
# The worker logs through LOGGING (JSON in production), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Operations: readiness, alerts, backups (operations/) -----------------------------------
# /readyz fails when more mails and letters wait than this, or the oldest waited longer (seconds).
OPERATIONS_BACKLOG_MAX = env.int("OPERATIONS_BACKLOG_MAX", default=500)
OPERATIONS_BACKLOG_MAX_AGE = env.int("OPERATIONS_BACKLOG_MAX_AGE", default=900)
# Beat's last heartbeat may be this old (seconds); a worker must answer a ping within this.
OPERATIONS_BEAT_MAX_AGE = env.int("OPERATIONS_BEAT_MAX_AGE", default=180)
OPERATIONS_WORKER_PING_TIMEOUT = env.float("OPERATIONS_WORKER_PING_TIMEOUT", default=1.0)
# Who is told (by e-mail, through the outbox) when a mail or letter fails for good, or the backlog
# stays over its threshold this many seconds.
OPERATORS = env.list("OPERATORS", default=[])
OPERATIONS_BACKLOG_ALERT_AFTER = env.int("OPERATIONS_BACKLOG_ALERT_AFTER", default=900)
CELERY_BEAT_SCHEDULE["operations-alert"] = {"task": "operations.tasks.operators_alert", "schedule": 300.0}
# Backups: a directory or s3://bucket/prefix; written daily at BACKUP_HOUR (UTC) when set, then
# pruned: the newest of each of the last 7 days, 4 weeks and 6 months are kept.
BACKUP_LOCATION = env.str("BACKUP_LOCATION", default="")
BACKUP_HOUR = env.int("BACKUP_HOUR", default=2)
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=7)
BACKUP_KEEP_WEEKLY = env.int("BACKUP_KEEP_WEEKLY", default=4)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=6)
BACKUP_S3_ENDPOINT_URL = env.str("BACKUP_S3_ENDPOINT_URL", default=env.str("S3_ENDPOINT_URL", default=""))
BACKUP_S3_ACCESS_KEY_ID = env.str("BACKUP_S3_ACCESS_KEY_ID", default=env.str("S3_ACCESS_KEY_ID", default=""))
BACKUP_S3_SECRET_ACCESS_KEY = env.str(
    "BACKUP_S3_SECRET_ACCESS_KEY", default=env.str("S3_SECRET_ACCESS_KEY", default="")
)
BACKUP_S3_REGION = env.str("BACKUP_S3_REGION", default=env.str("S3_REGION", default="us-east-1"))
if BACKUP_LOCATION:
    from celery.schedules import crontab

    CELERY_BEAT_SCHEDULE["operations-backup"] = {
        "task": "operations.tasks.backup_nightly",
        "schedule": crontab(hour=BACKUP_HOUR, minute=0),
    }
# The Prometheus endpoint (/metrics) answers a scraper sending "Authorization: Bearer <token>",
# and staff holding the metrics permission. Empty: staff only.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (django-csp 4): the portal ships its own scripts, styles and fonts and
# loads nothing from elsewhere. No inline script, no inline style, no eval, on our pages and the
# admin's alike: Django 5.2's admin has no inline script (its <script type="application/json">
# blocks are data, never run) and one inline <style>, in change_list.html, only for a ModelAdmin
# that turns off both action bars, which none of ours does; the import-export form's inline handler
# and styles are moved to static/admin/ by our copy of its template. img-src allows data: for
# the TOTP enrolment QR code (an SVG data URI from allauth) and the letters' QR codes.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of the portal uses (minamata_portal/headers.py).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb",
    )
}  # fmt: skip
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Health checks and the in-cluster liveness probe come over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # never /metrics: it carries a bearer token

# --- REST API (/api/v1/, the api app) ------------------------------------------------------
# Personal tokens for tools, the session for a signed-in browser; JSON only (the browsable API's
# inline script would break the Content-Security-Policy: Swagger UI at /api/v1/docs/ documents it).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.PersonalTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.TokenScopeAllows", "api.permissions.HoldsRule"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PortalRateThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.PortalPagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests a minute: per client address without a token, per token with one (the pages' counter).
API_REQUESTS_PER_MINUTE = env.int("API_REQUESTS_PER_MINUTE", default=120)
API_TOKEN_REQUESTS_PER_MINUTE = env.int("API_TOKEN_REQUESTS_PER_MINUTE", default=600)
# The log of token uses (api.ApiTokenUse) is kept this many days (daily sweep).
API_TOKEN_USE_RETENTION_DAYS = env.int("API_TOKEN_USE_RETENTION_DAYS", default=90)
CELERY_BEAT_SCHEDULE["api-token-uses-prune"] = {
    "task": "api.tasks.api_token_uses_prune_task",
    "schedule": 24 * 60 * 60,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minamata COP Portal API",
    "DESCRIPTION": "Meetings, agendas, documents, decisions and Parties of the Minamata Convention "
    "(public, read-only); registrations, letters and lists of participants for the secretariat's "
    "tools and focal points (personal tokens). See the README, section REST API.",
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set, whichever model's field carries it.
    "ENUM_NAME_OVERRIDES": {
        "MeetingStatusEnum": "meetings.enums.MeetingStatus",
        "MeetingKindEnum": "meetings.enums.MeetingKind",
        "AgendaStatusEnum": "meetings.enums.AgendaStatus",
        "LanguageEnum": "documents.enums.Language",
        "ProcessingStatusEnum": "documents.enums.ProcessingStatus",
        "DecisionStatusEnum": "bureau.enums.DecisionStatus",
        "DecisionKindEnum": "bureau.enums.DecisionKind",
        "MandateStatusEnum": "bureau.enums.MandateStatus",
        "RegistrationStatusEnum": "participants.enums.RegistrationStatus",
        "LetterStatusEnum": "letters.enums.LetterStatus",
        "LetterKindEnum": "letters.enums.LetterKind",
        "MailStatusEnum": "outbox.enums.MailStatus",
        "ListLanguageEnum": "api.serializers.MEETING_LANGUAGES",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# --- Field-level encryption (passport numbers) ----------------------------------------------
# A list, so keys can be rotated: the first encrypts, all decrypt.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALTS", default=["minamata-portal-fields"])

# --- Logs and errors ------------------------------------------------------------------------
# JSON lines in production (LOG_FORMAT=json, the default unless DEBUG), one object per record with
# the request id and the account's number, never an e-mail address (operations/logs.py). SQL and
# its parameters are never logged (django.db.backends stays at INFO).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request": {"()": "operations.logs.RequestContextFilter"},
        "personal_data": {"()": "operations.logs.PersonalDataFilter"},
    },
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request", "personal_data"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "django.db.backends": {"level": "INFO"},
    },
}

# Errors to Sentry when SENTRY_DSN is set: no personal data (sentry-sdk's send_default_pii off,
# request bodies and cookies dropped, e-mail addresses replaced; operations.logs.scrub_sentry_event).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    from operations.logs import scrub_sentry_event

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        release=env.str("SENTRY_RELEASE", default="") or None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,
        include_local_variables=False,  # frames' locals hold passport numbers and names
        max_request_body_size="never",
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        before_send=scrub_sentry_event,
    )
