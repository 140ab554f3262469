# gunicorn reads this file when started from the project's root (README, make scaleout, bench).
# Access-log lines without the secrets of order and password-reset links (storefront/access_log.py).
logger_class = "storefront.access_log.GunicornLogger"
