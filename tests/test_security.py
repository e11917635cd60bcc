"""Login protection, session limits, caching headers and deployment defaults."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.urls import reverse

from partybuild.middleware import SEEN, STARTED
from partybuild.models import Action, AuditEvent

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def age_login_attempts(minutes: int) -> None:
    """Move every recorded failure `minutes` into the past."""
    past = datetime.timedelta(minutes=minutes)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=attempt.attempt_time - past)
    for expiration in AccessAttemptExpiration.objects.all():
        AccessAttemptExpiration.objects.filter(pk=expiration.pk).update(
            expires_at=expiration.expires_at - past
        )


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_fifteen_minutes(client, cast):
    for _ in range(4):
        assert log_in(client, "alice", "wrong-password").status_code == 200
    assert log_in(client, "alice", PASSWORD).status_code == 302  # 4 failures: still allowed
    client.post(reverse("logout"))
    for _ in range(5):
        log_in(client, "alice", "wrong-password")
    response = log_in(client, "alice", PASSWORD)  # the right password, refused
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.LOCKOUT, username="alice").exists()
    assert AuditEvent.objects.filter(action=Action.LOGIN_FAILED, username="alice").count() >= 9
    age_login_attempts(10)
    assert log_in(client, "alice", PASSWORD).status_code == 429  # 10 minutes later
    age_login_attempts(6)
    assert log_in(client, "alice", PASSWORD).status_code == 302  # 16 minutes later


@pytest.mark.django_db
def test_failures_from_one_address_lock_that_address_for_every_account(client, cast):
    for username in ("alice", "bob", "paul", "victor", "nora"):
        log_in(client, username, "wrong-password", address="10.0.0.9")
    assert log_in(client, "wendy", PASSWORD, address="10.0.0.9").status_code == 429
    assert log_in(client, "wendy", PASSWORD, address="10.0.0.10").status_code == 302


@pytest.mark.django_db
def test_an_idle_session_ends_after_thirty_minutes(client, cast):
    client.force_login(cast.alice)
    assert client.get(reverse("members:member_list")).status_code == 200
    session = client.session
    session[SEEN] = time.time() - 29 * 60
    session.save()
    assert client.get(reverse("members:member_list")).status_code == 200
    session = client.session
    session[SEEN] = time.time() - 31 * 60
    session.save()
    response = client.get(reverse("members:member_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert client.get(reverse("members:member_list")).status_code == 302  # stays out
    assert AuditEvent.objects.filter(action=Action.SESSION_EXPIRED, user=cast.alice).exists()


@pytest.mark.django_db
def test_a_session_ends_twelve_hours_after_login_however_active(client, cast):
    client.force_login(cast.alice)
    session = client.session
    session[STARTED] = time.time() - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("members:member_list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_logins_and_logouts_are_audited_with_the_address(client, cast):
    log_in(client, "alice", PASSWORD, address="10.1.2.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.1.2.3")
    events = list(AuditEvent.objects.filter(user=cast.alice).order_by("at", "id"))
    assert [(e.action, e.address) for e in events] == [
        (Action.LOGIN, "10.1.2.3"),
        (Action.LOGOUT, "10.1.2.3"),
    ]


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted(cast):
    event = AuditEvent.objects.create(action=Action.EXPORT, username="x")
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.update(summary="changed")


@pytest.mark.django_db
def test_signed_in_pages_and_downloads_are_not_stored(client, cast, tree):
    client.force_login(cast.alice)
    assert "no-store" in client.get(reverse("members:member_list"))["Cache-Control"]
    download = client.get(reverse("members:roster_template"))
    assert "no-store" in download["Cache-Control"]


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_without_inline_script(client, cast, tree):
    client.force_login(cast.wendy)
    response = client.get(reverse("reports:dashboard"))
    policy = response["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'none'",
                      "frame-ancestors 'none'"):  # fmt: skip
        assert directive in policy
    assert "unsafe-inline" not in policy


def test_debug_is_off_and_a_key_is_required_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env["DJANGO_SETTINGS_MODULE"] = "partybuild.settings"
    run = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                         capture_output=True, text=True)  # fmt: skip
    assert run.returncode != 0 and "SECRET_KEY must be set" in run.stderr
    run = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); from django.conf import settings;"
         " print(settings.DEBUG)"],
        cwd=ROOT, env={**env, "SECRET_KEY": "x" * 60}, capture_output=True, text=True,
    )  # fmt: skip
    assert run.stdout.strip() == "False"


def test_check_deploy_is_clean_with_the_production_settings():
    """The README's production environment: DEBUG off, a long key, HTTPS behind the proxy."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update(
        DJANGO_SETTINGS_MODULE="partybuild.settings",
        SECRET_KEY="k" * 20 + "Q7#mz!Rp2$vL9@xW4&nB8*cT1^hY6%dS3(fJ5)gK0-eU",
        ALLOWED_HOSTS="party.example.gov.cn",
        HTTPS="1",
    )
    run = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


@pytest.mark.django_db
def test_nul_bytes_huge_numbers_and_long_values_never_give_500(client, cast, tree, people):
    client.force_login(cast.wendy)
    pages = [
        reverse("members:member_list"), reverse("members:member_create"),
        reverse("reminders:list"), reverse("organizations:tree"),
        reverse("reports:ratios"), reverse("organizations:organization_search"),
    ]  # fmt: skip
    probes = [{"q": "a\x00b"}, {"organization": "9" * 25}, {"page": "9" * 30},
              {"q": "x" * 5000}, {"status": "\x00"}, {"sort": "-" * 300}]  # fmt: skip
    for url in pages:
        for probe in probes:
            status = client.get(url, probe).status_code
            assert status in (200, 302, 400, 404), (url, probe, status)
    huge = "9" * 25
    for url in (f"/members/{huge}/", f"/organizations/{huge}/", f"/reports/{huge}/yearly/"):
        assert client.get(url).status_code == 404
    assert client.get("/members/\x00/").status_code in (400, 404)
