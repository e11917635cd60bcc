"""A branch secretary adds a member and finds it; the sibling branch's secretary cannot."""

import pytest
from playwright.sync_api import Page, expect

from ..conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()


def log_out(page: Page) -> None:
    page.locator(".navbar-toggler").click()
    # Click only once the menu has finished opening: during Bootstrap's collapse animation
    # the button is clipped, and a click at its centre can land on nothing.
    expect(page.locator("#nav.collapse.show")).to_be_visible()
    page.get_by_role("button", name="退出").click()
    # Wait for the logout to land on the login page: going elsewhere at once could cancel
    # the POST, and the login page would then send the still-signed-in user away.
    expect(page.locator("#id_username")).to_be_visible()


def test_secretary_adds_member_and_sibling_cannot_find_it(
    live_server, transactional_db, cast, page: Page
):
    log_in(page, live_server.url, "alice")
    expect(page.get_by_role("heading", name="第一党支部")).to_be_visible()
    page.get_by_role("link", name="新增人员").first.click()

    page.select_option("#id_status", "full")
    page.fill("#id_since", "2020-01-01")
    page.fill("#id_name", "浏览器测试")
    page.fill("#id_id_number", "110105194912310021")  # wrong check character first
    page.select_option("#id_education", "undergraduate")
    page.select_option("#id_occupation", "retired")
    page.fill("#id_joined_on", "1975-07-01")
    page.fill("#id_converted_on", "1976-07-01")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("身份证号码校验码错误")).to_be_visible()

    page.fill("#id_id_number", "11010519491231002x")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="浏览器测试")).to_be_visible()
    expect(page.get_by_test_id("id-number")).to_contain_text("110*************2X")

    page.goto(f"{live_server.url}/members/")
    page.fill("#id_q", "浏览器")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#member-table")).to_contain_text("浏览器测试")
    page.screenshot(path="test-results/secretary-member-list.png", full_page=True)

    log_out(page)
    log_in(page, live_server.url, "bob")
    page.goto(f"{live_server.url}/members/?q=浏览器")
    expect(page.locator("#member-table")).to_contain_text("没有符合条件的人员")
    page.goto(f"{live_server.url}/members/?q=11010519491231002X")
    expect(page.locator("#member-table")).not_to_contain_text("浏览器测试")
