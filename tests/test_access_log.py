"""Secrets in URLs (an order's private link, a password-reset token) stay out of the access logs
of both servers the shop runs under: Werkzeug's and gunicorn's (started as README says)."""

import logging
import threading
import time

import pytest
import requests
from werkzeug.serving import make_server

from bench import harness
from storefront.access_log import redact

SECRET = "Zq9-SECRET_value"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f"GET /don-hang/DH12345678?k={SECRET} HTTP/1.1", "/don-hang/DH12345678?k=[redacted] "),
        (f"k={SECRET}", "k=[redacted]"),  # gunicorn's %(q)s: the query string alone
        (f"/don-hang/DH1?lang=vi&k={SECRET}&x=1", "?lang=vi&k=[redacted]&x=1"),
        (f'"https://shop.vn/don-hang/DH1?k={SECRET}#top"', "?k=[redacted]#top"),  # a Referer
        (f"/login?next=%2Fdon-hang%2FDH1%3Fk%3D{SECRET}", "%3Fk%3D[redacted]"),
        (f"GET /dat-lai-mat-khau/{SECRET}.abc HTTP/1.1", "/dat-lai-mat-khau/[redacted] "),
    ],
)
def test_secrets_are_redacted_from_a_log_line(line, expected):
    assert SECRET not in redact(line)
    assert expected in redact(line)


@pytest.mark.parametrize(
    "line", ["GET /san-pham?kind=tea&sort=price HTTP/1.1", "GET /tim-kiem?q=k%3D1 HTTP/1.1"]
)
def test_other_query_parameters_are_kept(line):
    assert redact(line) == line


def _secret_urls(base: str) -> list[str]:
    return [f"{base}/don-hang/DH00000000?k={SECRET}", f"{base}/dat-lai-mat-khau/{SECRET}"]


def test_the_werkzeug_server_logs_requests_without_their_secrets(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for url in _secret_urls(f"http://127.0.0.1:{server.server_port}"):
            requests.get(url, timeout=10)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    logged = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/don-hang/DH00000000?k=[redacted]" in line for line in logged), logged
    assert not any(SECRET in line for line in logged)


def test_gunicorn_started_as_the_readme_says_logs_requests_without_their_secrets(app, tmp_path):
    port = harness.free_port()
    env = {
        **harness.server_env(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path),
        "BASE_URL": f"http://127.0.0.1:{port}",
    }
    server = harness.start_gunicorn(port, 1, 1, env, tmp_path, access_log=True)
    try:
        harness.wait_until_up(f"http://127.0.0.1:{port}", server)
        for url in _secret_urls(f"http://127.0.0.1:{port}"):
            requests.get(url, timeout=10, headers={"Referer": url})
        time.sleep(0.5)  # the access log is written after the response
    finally:
        harness.stop(server)
    log = harness.gunicorn_log(tmp_path, port).read_text()
    assert "/don-hang/DH00000000?k=[redacted]" in log, log[-2000:]
    assert "/dat-lai-mat-khau/[redacted]" in log
    assert SECRET not in log
