"""Committee staff create a secretary's account; she logs in with the one-time password, is
made to change it, and sees her branch only; staff deactivate her and her session ends."""

import pytest
from playwright.sync_api import Page, expect

from ..factories import make_member
from .test_member_flow import log_in
from .test_picker_flow import pick

pytestmark = pytest.mark.browser
NEW_PASSWORD = "Quiet-harbour-2026"


def test_staff_create_a_secretary_account_and_deactivate_it(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    make_member(tree.b1, name="一支部党员")
    make_member(tree.b2, name="二支部党员")
    base = live_server.url
    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, base, "paul")
    staff.goto(f"{base}/accounts/")
    staff.get_by_test_id("new-account").click()
    staff.fill("#id_username", "carol")
    staff.fill("#id_full_name", "陈卡罗")
    pick(staff, "id_organization", "第一党支部")
    staff.select_option("#id_role", "secretary")
    staff.get_by_role("button", name="创建账号").click()
    password = staff.get_by_test_id("one-time-password").inner_text().strip()
    assert len(password) == 14

    # The secretary's first login goes to the password page, and nowhere else.
    page.goto(f"{base}/login/")
    page.fill("#id_username", "carol")
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.goto(f"{base}/members/")
    expect(page.get_by_test_id("must-change")).to_be_visible()
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()
    expect(page.get_by_text("您的密码已修改。")).to_be_visible()
    page.goto(f"{base}/members/")
    expect(page.get_by_text("一支部党员")).to_be_visible()
    expect(page.get_by_text("二支部党员")).to_have_count(0)

    # Staff deactivate the account: her open session ends at her next click.
    staff.goto(f"{base}/accounts/")
    staff.get_by_role("link", name="carol").click()
    staff.get_by_test_id("deactivate").click()
    expect(staff.get_by_test_id("account-status")).to_have_text("已停用")
    page.goto(f"{base}/members/")
    expect(page.locator("#id_username")).to_be_visible()  # the login page
    page.fill("#id_username", "carol")
    page.fill("#id_password", NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#id_username")).to_be_visible()  # refused
