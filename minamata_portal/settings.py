"""Settings for the Minamata COP Portal.

Everything comes from the environment (twelve-factor, as cookiecutter-django does). There are no
production defaults for secrets: SECRET_KEY must be set. `make run` writes a `.env` with a
generated key and the embedded defaults (SQLite, eager Celery, mail to files); `make test` points
at PostgreSQL and Redis.
"""

from pathlib import Path

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

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
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
]

MIDDLEWARE = [
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
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (rate limits live here, so it must be shared between processes in production) ---
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

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
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Minamata COP Portal] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Minamata COP Portal"
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
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
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

# --- Imports and exports (django-import-export) ---------------------------------------------
# Every import runs in one transaction; exports neutralise cells a spreadsheet would run as
# formulas (=, +, -, @), whichever resource exports them.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = True

# --- Mail -----------------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="smtp://127.0.0.1:1025"))
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Minamata Convention Secretariat <noreply@localhost>"
)
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
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Field-level encryption (passport numbers) ----------------------------------------------
# A list, so keys can be rotated: the first encrypts, all decrypt.
SALT_KEY = env.list("FIELD_ENCRYPTION_SALTS", default=["minamata-portal-fields"])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}
