"""One settings module, configured from the environment (see .env.example)."""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from suppliernet.env import env_bool, env_int, env_list, env_str, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Only a development convenience: a key in the environment is required whenever DEBUG is off.
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

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
    "csp",
    "django_tasks",
    "django_tasks_db",
    "suppliernet.companies",
    "suppliernet.network",
    "suppliernet.audit",
    "suppliernet.outbox",
    "suppliernet.invitations",
    "suppliernet.registration",
    "suppliernet.imports",
    "suppliernet.documents",
    "suppliernet.api",
    "suppliernet.webhooks",
    "suppliernet.operations",
    "ninja",  # its static files: the API docs page loads Swagger UI from this site, no CDN
    "suppliernet.demo",
]

MIDDLEWARE = [
    "suppliernet.operations.requestid.RequestIDMiddleware",  # first: every log line gets the ID
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "suppliernet.companies.language.UserLanguageMiddleware",
    "suppliernet.companies.tenancy.ActiveCompanyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "suppliernet.urls"
WSGI_APPLICATION = "suppliernet.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "suppliernet" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "suppliernet.companies.tenancy.active_company",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'suppliernet.sqlite3'}")
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the worker write while pages read; IMMEDIATE avoids "database is locked"
        # when two writers upgrade read locks at once. synchronous=NORMAL in WAL mode loses no
        # committed transaction when the app crashes (only on power loss, the last ones). An
        # 8 MB page cache (SQLite's default is 2 MB) keeps more of an import's indexes in
        # memory; it is only taken as pages are read, and a larger one costs the worker's RSS.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA cache_size=-8192; PRAGMA temp_store=MEMORY;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "companies.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "suppliernet" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "America/Bogota")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "suppliernet" / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "media/"
# Uploaded files (imports, documents) must be visible to every web and worker machine: MEDIA_ROOT
# on a shared volume, or STORAGE_BACKEND=s3 (the `s3` extra) with the AWS_* variables.
STORAGE_BACKEND = env_str("STORAGE_BACKEND", "filesystem")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if STORAGE_BACKEND == "filesystem"
    else {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "default_acl": None,
            "querystring_auth": True,  # private files: links are signed and expire
            "file_overwrite": False,
        },
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# TASKS_BACKEND=rq moves the queue to Redis (the `rq` extra; workers: `manage.py rqworker
# --job-class django_tasks_rq.Job --with-scheduler default`); "db" (or unset) keeps it in the
# database (`manage.py db_worker`). A dotted backend path is used as given.
TASKS_BACKEND = {
    "db": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}.get(env_str("TASKS_BACKEND", "db"), env_str("TASKS_BACKEND", "db"))
TASKS = {"default": {"BACKEND": TASKS_BACKEND, "QUEUES": ["default"]}}
if TASKS_BACKEND == "django_tasks_rq.RQBackend":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env_str("REDIS_URL", "redis://127.0.0.1:6379/0")}}
# /healthz answers 503 when a due task has waited longer than this: no worker is taking work.
HEALTHZ_MAX_TASK_WAIT = env_int("HEALTHZ_MAX_TASK_WAIT", 300)

EMAIL_CONFIG = parse_email_url(env_str("EMAIL_URL", "mailbox://"))
# Every e-mail, Django's own included, is written to the outbox in the transaction that caused
# it; the worker delivers it through the transport from EMAIL_URL (suppliernet/outbox).
EMAIL_BACKEND = "suppliernet.outbox.backends.OutboxBackend"
OUTBOX_TRANSPORT_BACKEND = EMAIL_CONFIG.backend
EMAIL_HOST = EMAIL_CONFIG.host
EMAIL_PORT = EMAIL_CONFIG.port
EMAIL_HOST_USER = EMAIL_CONFIG.user
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.password
EMAIL_USE_TLS = EMAIL_CONFIG.use_tls
EMAIL_USE_SSL = EMAIL_CONFIG.use_ssl
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SupplierNet <no-reply@suppliernet.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_REPLY_TO = env_str("EMAIL_REPLY_TO", "")
EMAIL_MESSAGE_ID_DOMAIN = env_str(
    "EMAIL_MESSAGE_ID_DOMAIN", parseaddr(DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
)
OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 100)  # messages per SMTP connection
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 30)  # doubles per attempt…
OUTBOX_RETRY_MAX_SECONDS = env_int("OUTBOX_RETRY_MAX_SECONDS", 3600)  # …up to this
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 90)  # `manage.py prune_outbox` deletes older mail
OUTBOX_CLAIM_TIMEOUT = env_int("OUTBOX_CLAIM_TIMEOUT", 900)  # seconds before a claim is abandoned

SUPPLIERS_PER_PAGE = env_int("SUPPLIERS_PER_PAGE", 50)

# Bulk Add Suppliers: the largest file accepted, its rows, and the rows checked and written
# per transaction (memory and lock time stay bounded whatever the file's size).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 500_000)
IMPORT_CHUNK_ROWS = env_int("IMPORT_CHUNK_ROWS", 2_000)
# An import processing without a written chunk for this long has lost its worker (a chunk takes
# seconds); its admins may then resume it.
IMPORT_STALLED_AFTER = env_int("IMPORT_STALLED_AFTER", 600)

INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 30)
# The key of the activation codes' hashes; empty: derived from SECRET_KEY (then rotating
# SECRET_KEY invalidates every open code).
INVITATION_CODE_KEY = env_str("INVITATION_CODE_KEY", "")
INVITATION_CHANGES_PER_HOUR = env_int("INVITATION_CHANGES_PER_HOUR", 5)  # resend/revoke
# Invite Selected over more suppliers than this ("all matching") runs in the task worker.
INVITE_IN_BACKGROUND_ABOVE = env_int("INVITE_IN_BACKGROUND_ABOVE", 2000)

# Activation: wrong code/tax ID pairs allowed per IP address and per invitation in the window.
REGISTRATION_MAX_FAILURES = env_int("REGISTRATION_MAX_FAILURES", 5)
REGISTRATION_FAILURE_WINDOW_MINUTES = env_int("REGISTRATION_FAILURE_WINDOW_MINUTES", 15)
# "Ask the admin to add me" / "ask for a new code" e-mails per invitation and day.
REGISTRATION_REQUESTS_PER_DAY = env_int("REGISTRATION_REQUESTS_PER_DAY", 3)

# Received e-invoices (XML, or zips of them): limits per XML file and per zip, the most files
# in a zip and the most a zip may expand (to 1), checked on its headers and again while read.
DOCUMENTS_MAX_FILE_BYTES = env_int("DOCUMENTS_MAX_FILE_BYTES", 5 * 1024 * 1024)
DOCUMENTS_MAX_ZIP_BYTES = env_int("DOCUMENTS_MAX_ZIP_BYTES", 50 * 1024 * 1024)
DOCUMENTS_MAX_ZIP_ENTRIES = env_int("DOCUMENTS_MAX_ZIP_ENTRIES", 5_000)
DOCUMENTS_MAX_ZIP_RATIO = env_int("DOCUMENTS_MAX_ZIP_RATIO", 100)
# Uploads up to this size are read during the request (about a second); larger ones by the
# task worker.
DOCUMENTS_INLINE_MAX_BYTES = env_int("DOCUMENTS_INLINE_MAX_BYTES", 1024 * 1024)

# API v1: requests per minute per token (429 with Retry-After above it).
API_RATE_LIMIT_PER_MINUTE = env_int("API_RATE_LIMIT_PER_MINUTE", 120)
# Outbound webhooks: seconds per delivery attempt, attempts before giving up (the waits
# between them are the outbox's backoff), and whether private/loopback addresses may be
# targets (development and tests only: in production that would be an SSRF hole).
WEBHOOKS_TIMEOUT = env_int("WEBHOOKS_TIMEOUT", 10)
WEBHOOKS_MAX_ATTEMPTS = env_int("WEBHOOKS_MAX_ATTEMPTS", 8)
WEBHOOKS_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOKS_ALLOW_PRIVATE_TARGETS", DEBUG)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# LOG_FORMAT=json: one JSON object per line with the request ID (production); text otherwise.
LOG_FORMAT = env_str("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "suppliernet.operations.logs.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
