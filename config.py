"""Settings from environment variables, with safe embedded defaults.

Nothing here needs a server: the default database is a SQLite file in ``instance/``.
"""

import os
import secrets
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _persistent_secret_key(instance_dir: Path) -> str:
    """A random key made once and kept in instance/, so sessions survive a restart."""
    instance_dir.mkdir(parents=True, exist_ok=True)
    key_file = instance_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def database_url(url: str) -> str:
    """Accept the usual postgres:// and postgresql:// forms; we drive PostgreSQL with psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    def __init__(self) -> None:
        env = os.environ
        # "production" refuses to start with a generated or weak SECRET_KEY or with debug on.
        self.STOREFRONT_ENV = env.get("STOREFRONT_ENV", "development").strip().lower()
        self.SECRET_KEY_FROM_ENV = bool(env.get("SECRET_KEY"))
        self.SECRET_KEY = env.get("SECRET_KEY") or _persistent_secret_key(INSTANCE_DIR)
        # How many reverse proxies (nginx) in front set X-Forwarded-For/-Proto/-Host; 0 = none.
        self.PROXY_FIX = int(env.get("PROXY_FIX", 0))
        self.SQLALCHEMY_DATABASE_URI = database_url(
            env.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'storefront.db'}")
        )
        # The public origin, e.g. https://ocop.example.vn: every absolute link (e-mails, QR codes,
        # the API) is built on it, and when it is set only its host is answered (400 for others).
        # Production refuses to start without an https:// one.
        self.BASE_URL = env.get("BASE_URL", "").rstrip("/")
        # More host names answered besides BASE_URL's, comma-separated (e.g. www.ocop.example.vn);
        # ".example.vn" allows every subdomain. Not Flask's TRUSTED_HOSTS (see security.py).
        self.ALLOWED_HOSTS = [
            host.strip().lower() for host in env.get("TRUSTED_HOSTS", "").split(",") if host.strip()
        ]
        self.REDIS_URL = env.get("REDIS_URL")
        self.RATELIMIT_STORAGE_URI = self.REDIS_URL or "memory://"
        # Public pages as everybody sees them (storefront/page_cache.py): in Redis, shared by
        # every worker and instance, when REDIS_URL is set; else in each process.
        # PAGE_CACHE_SECONDS=0 turns the page cache off; the cache itself stays (the catalogue's
        # totals per filter, kept by listing generation, for signed-in visitors too).
        self.CACHE_TYPE = "RedisCache" if self.REDIS_URL else "SimpleCache"
        self.CACHE_REDIS_URL = self.REDIS_URL
        self.CACHE_KEY_PREFIX = env.get("CACHE_KEY_PREFIX", "ocop:")
        self.PAGE_CACHE_SECONDS = int(env.get("PAGE_CACHE_SECONDS", 300))
        self.CACHE_DEFAULT_TIMEOUT = max(self.PAGE_CACHE_SECONDS, 300)
        self.CACHE_THRESHOLD = 2000  # pages kept per process without Redis
        self.RATELIMIT_HEADERS_ENABLED = True
        self.MAX_CONTENT_LENGTH = int(env.get("MAX_CONTENT_LENGTH", 8 * 1024 * 1024))
        self.MAX_IMAGE_BYTES = int(env.get("MAX_IMAGE_BYTES", 5 * 1024 * 1024))
        self.UPLOAD_DIR = env.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
        self.BABEL_DEFAULT_LOCALE = "vi"
        self.BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
        self.LANGUAGES = ("vi", "en")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.BASE_URL.startswith("https://")
        self.REMEMBER_COOKIE_SECURE = self.SESSION_COOKIE_SECURE
        self.PREFERRED_URL_SCHEME = "https" if self.SESSION_COOKIE_SECURE else "http"
        # E-mail: SMTP when MAIL_SERVER is set; otherwise logged and kept in the outbox.
        self.MAIL_SERVER = env.get("MAIL_SERVER")
        self.MAIL_PORT = int(env.get("MAIL_PORT", 587))
        self.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "1") == "1"
        self.MAIL_USE_SSL = env.get("MAIL_USE_SSL", "0") == "1"
        self.MAIL_USERNAME = env.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD")
        self.MAIL_SENDER = env.get("MAIL_SENDER", "no-reply@ocop.local")
        self.MAIL_SENDER_NAME = env.get("MAIL_SENDER_NAME", "Cửa hàng OCOP")
        # The outbox: a failed delivery is tried again after 1, 2, 4, 8… minutes, then given up.
        self.OUTBOX_MAX_ATTEMPTS = int(env.get("OUTBOX_MAX_ATTEMPTS", 6))
        self.OUTBOX_RETRY_SECONDS = int(env.get("OUTBOX_RETRY_SECONDS", 60))
        self.OUTBOX_BATCH_SIZE = int(env.get("OUTBOX_BATCH_SIZE", 200))
        # SMS (storefront/outbox/sms.py): SMS_PROVIDER=esms sends through eSMS.vn; unset, text
        # messages are logged and kept in the outbox (the dev outbox page shows them).
        self.SMS_PROVIDER = env.get("SMS_PROVIDER", "").strip().lower()
        self.ESMS_API_KEY = env.get("ESMS_API_KEY", "")
        self.ESMS_SECRET_KEY = env.get("ESMS_SECRET_KEY", "")
        self.ESMS_BRANDNAME = env.get("ESMS_BRANDNAME", "")
        self.ESMS_SANDBOX = env.get("ESMS_SANDBOX", "0") == "1"
        # Password reset by SMS code: asking for a code, per mobile number (the limit per client
        # address is RESET_RATE_LIMIT).
        self.SMS_CODE_RATE_LIMIT = env.get("SMS_CODE_RATE_LIMIT", "3 per 10 minutes;6 per day")
        # Tries of a code per number (each code also stops after 5 wrong tries).
        self.SMS_CODE_TRY_RATE_LIMIT = env.get("SMS_CODE_TRY_RATE_LIMIT", "10 per 10 minutes")
        # werkzeug's method for new password hashes; a check reads the method from the hash.
        self.PASSWORD_HASH_METHOD = "scrypt"
        self.PASSWORD_RESET_MAX_AGE = int(env.get("PASSWORD_RESET_MAX_AGE", 2 * 3600))
        self.LOGIN_RATE_LIMIT = env.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
        self.RESET_RATE_LIMIT = env.get("RESET_RATE_LIMIT", "5 per minute;20 per hour")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        # The heading of the reports the office hands in (the province's people's committee and
        # the office under it), as the province writes them.
        self.REPORT_AUTHORITY = env.get("REPORT_AUTHORITY", "UBND tỉnh Quảng Ngãi")
        self.REPORT_OFFICE = env.get(
            "REPORT_OFFICE", "Văn phòng Điều phối Chương trình Mỗi xã một sản phẩm (OCOP)"
        )
        # Checkout and payments
        self.SHIPPING_FEE_VND = int(env.get("SHIPPING_FEE_VND", 30000))  # per producer's parcel
        self.TRANSFER_PAYMENT_TTL_HOURS = int(env.get("TRANSFER_PAYMENT_TTL_HOURS", 24))
        # Stripe refuses Checkout Sessions that live longer than 24 hours.
        self.CARD_PAYMENT_TTL_HOURS = min(int(env.get("CARD_PAYMENT_TTL_HOURS", 1)), 23)
        # The shop's bank account for VietQR transfers. Without settings a demo account is shown
        # (marked as such); set all four in production.
        self.VIETQR_BANK_BIN = env.get("VIETQR_BANK_BIN", "970436")
        self.VIETQR_BANK_NAME = env.get("VIETQR_BANK_NAME", "Vietcombank")
        self.VIETQR_ACCOUNT_NUMBER = env.get("VIETQR_ACCOUNT_NUMBER", "0000000000")
        self.VIETQR_ACCOUNT_NAME = env.get("VIETQR_ACCOUNT_NAME", "VP DIEU PHOI OCOP (DEMO)")
        self.VIETQR_IS_DEMO = "VIETQR_ACCOUNT_NUMBER" not in env
        # Stripe Checkout (card) is on only when both keys are set.
        self.STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY")
        self.STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET")
        # Incoming transfers confirmed by the bank-notification services (payments/bank_webhooks):
        # SePay's webhook API key ("Authorization: Apikey …") and Casso's checksum key (the
        # X-Casso-Signature HMAC). Each webhook is on only when its key is set.
        self.SEPAY_WEBHOOK_API_KEY = env.get("SEPAY_WEBHOOK_API_KEY", "")
        self.CASSO_WEBHOOK_CHECKSUM_KEY = env.get("CASSO_WEBHOOK_CHECKSUM_KEY", "")
        self.CATALOG_PAGE_SIZE = int(env.get("CATALOG_PAGE_SIZE", 24))
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        # Public JSON API (flask-smorest): OpenAPI document at /api/openapi.json.
        self.API_TITLE = "OCOP Storefront API"
        self.API_VERSION = "v1"
        self.OPENAPI_VERSION = "3.0.3"
        self.OPENAPI_URL_PREFIX = "/api"
        self.OPENAPI_JSON_PATH = "openapi.json"
        self.API_RATE_LIMIT = env.get("API_RATE_LIMIT", "120 per minute")
        # Traceability (storefront/traceability): /q/ scans are counted per product, batch and day
        # (nothing about the person); without Redis each process writes its counts at most
        # every SCAN_FLUSH_SECONDS; day counts older than SCAN_RETENTION_DAYS are summed by month.
        self.SCAN_COUNTING = env.get("SCAN_COUNTING", "1") == "1"
        self.SCAN_FLUSH_SECONDS = float(env.get("SCAN_FLUSH_SECONDS", 10))
        self.SCAN_RETENTION_DAYS = int(env.get("SCAN_RETENTION_DAYS", 400))
        # Shoppers' reports of suspicious labels, per client address (kept only by the limiter).
        self.LABEL_REPORT_RATE_LIMIT = env.get("LABEL_REPORT_RATE_LIMIT", "5 per hour;20 per day")
        self.TESTING = False


class TestingConfig(Config):
    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.WTF_CSRF_ENABLED = False
        # The test client's default host and the live test servers', answered next to BASE_URL's
        # (tests set BASE_URL).
        self.ALLOWED_HOSTS = [*self.ALLOWED_HOSTS, "localhost", "127.0.0.1"]
        # One PBKDF2 round instead of scrypt's ~130 ms per test user; tests only.
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1"
        self.SCAN_FLUSH_SECONDS = 0  # every scan written after its response: tests read it at once
        self.SQLALCHEMY_DATABASE_URI = database_url(
            os.environ.get("TEST_DATABASE_URL", "sqlite:///" + str(INSTANCE_DIR / "test.db"))
        )
