"""The production smoke test: nginx with the deploy site (TLS, static files, X-Accel-Redirect),
gunicorn (DEBUG off) with deploy/gunicorn.conf.py, a Celery worker and beat, PostgreSQL and
Redis, started by scripts/smoke.sh. An HTTPS client plays the browser."""

import http.client
import json
import os
import re
import ssl
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.smoke,
    pytest.mark.skipif(not os.environ.get("SMOKE_URL"), reason="scripts/smoke.sh sets SMOKE_URL"),
]
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains; preload",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Browser:
    """Cookies and CSRF as a browser keeps them; the throwaway certificate is not checked."""

    def __init__(self, base: str):
        url = urllib.parse.urlsplit(base)
        self.https = url.scheme == "https"
        self.host, self.port = url.hostname, url.port
        self.origin = f"{url.scheme}://{url.hostname}:{url.port}"
        self.cookies: dict[str, str] = {}
        self.set_cookie_headers: list[str] = []

    def connection(self) -> http.client.HTTPConnection:
        if self.https:
            context = ssl.create_default_context()
            context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
            return http.client.HTTPSConnection(self.host, self.port, timeout=30, context=context)
        return http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, form: dict | None = None):
        connection = self.connection()
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
            body = urllib.parse.urlencode(form)
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": self.origin, "Referer": self.origin + path}  # fmt: skip
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            self.set_cookie_headers.append(header)
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        response.content = content
        return response

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        return self.request("POST", path, form)


@pytest.fixture(scope="module")
def browser():
    browser = Browser(os.environ["SMOKE_URL"])
    browser.get("/login/")
    response = browser.post("/login/", {"username": "committee", "password": "partybuild-demo"})
    assert response.status == 302, response.content[:2000]
    return browser


def test_health_answers_over_plain_http_with_every_check_up():
    browser = Browser(os.environ["SMOKE_PLAIN_URL"])
    response = browser.get("/healthz")  # the load balancer's way: no redirect
    body = json.loads(response.content)
    assert response.status == 200, body
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True, "broker": True, "worker": True, "statistics": True}  # fmt: skip


def test_plain_http_is_sent_to_https_and_debug_is_off():
    plain = Browser(os.environ["SMOKE_PLAIN_URL"]).get("/login/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")
    missing = Browser(os.environ["SMOKE_URL"]).get("/no-such-page/")
    assert missing.status == 404
    assert b"Traceback" not in missing.content and b"URLconf" not in missing.content


def test_the_dashboard_after_logging_in_with_the_security_headers(browser):
    response = browser.get("/reports/")
    assert response.status == 200
    page = response.content.decode()
    assert "党员" in page and re.search(r"\d{3,}", page)
    for header, value in SECURITY_HEADERS.items():
        assert response.headers[header] == value, header
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "no-store" in response.headers["Cache-Control"]
    session = [h for h in browser.set_cookie_headers if h.startswith("sessionid=")]
    assert session and all("Secure" in h and "HttpOnly" in h for h in session)


def test_nginx_serves_the_collected_static_files_with_a_long_cache(browser):
    page = browser.get("/reports/").content.decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page).group(1)
    response = browser.get(stylesheet)
    assert response.status == 200 and b"{" in response.content
    assert response.headers["Server"].startswith("nginx")
    assert response.headers["Cache-Control"] == "max-age=2592000"  # expires 30d
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_an_export_runs_as_a_job_in_the_worker_and_is_downloaded(browser):
    response = browser.post("/members/export/", {})
    assert response.status == 302
    job = response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    deadline = time.monotonic() + 60
    while True:
        status = json.loads(browser.get(f"/jobs/{job}/status/").content)
        if status["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert status["status"] == "done", status
    download = browser.get(f"/jobs/{job}/download/")
    # The app checked the job is this user's and handed the sending to nginx.
    assert download.status == 200 and download.content[:2] == b"PK"  # an xlsx (zip)
    assert "attachment" in download.headers["Content-Disposition"]
    assert "X-Accel-Redirect" not in download.headers


def test_uploaded_files_have_no_public_address():
    browser = Browser(os.environ["SMOKE_URL"])
    assert browser.get("/protected-media/exports/").status == 404  # nginx: internal only
    assert browser.get("/media/exports/").status == 404


def test_beat_is_running():
    pidfile = Path(os.environ["SMOKE_BEAT_PID"])
    pid = int(pidfile.read_text())
    os.kill(pid, 0)  # raises if the process is gone
