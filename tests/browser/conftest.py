import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, headless, with no attempt to reach the network."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "zh-CN", "viewport": {"width": 390, "height": 844}}


@pytest.fixture(autouse=True)
def _patient_timeouts(page):
    """A cold Chromium on a busy 2-core machine can take seconds to start rendering."""
    from playwright.sync_api import expect

    page.set_default_timeout(20_000)
    expect.set_options(timeout=15_000)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(autouse=True)
def _show_page_on_failure(request, page):
    """On failure, print where the browser was and what it showed."""
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        print(f"\n--- browser at {page.url} ---\n{page.inner_text('body')[:2000]}")


@pytest.fixture(autouse=True, scope="session")
def _connections_closed_after_each_request():
    """The live server answers a kept-alive browser connection on one thread, which would
    keep its database connection (CONN_MAX_AGE) past the test database's teardown."""
    from django.db import connections

    connections["default"].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(autouse=True)
def _no_content_security_policy_violations(page):
    """Every page works under the Content-Security-Policy: no inline script or style."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert not violations, violations
