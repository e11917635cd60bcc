"""A branch secretary fills the appraisal grid with the keyboard (Tab, 1-4 and 优/合/基/不,
arrows and Enter between rows, Ctrl+S), saves and submits; staff
return it with a reason; the secretary fixes and resubmits; staff approve and the campaign's
figures change."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from appraisals.models import Sheet
from appraisals.services import campaign_open

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser
D = datetime.date


def test_grid_by_keyboard_submission_return_and_approval(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    for name in ("党员甲", "党员乙", "党员丙"):
        make_member(tree.b1, name=name)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="2025年度民主评议党员", starts_on=D(2026, 1, 5),
        ends_on=D(2026, 2, 1), deadline=D(2026, 3, 1),
    )  # fmt: skip
    sheet = Sheet.objects.get(campaign=campaign, organization=tree.b1)
    base = live_server.url
    log_in(page, base, "alice")
    page.goto(f"{base}/appraisals/")
    page.get_by_role("link", name="2025年度民主评议党员").click()
    page.get_by_role("link", name="第一党支部").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("未开始")

    expect(page.locator("#grid")).to_have_attribute("data-keyboard", "ready")
    # Row by row with the keyboard: the checks and the four vote counts (3 members vote).
    page.get_by_label("党员丙 已个人自评").focus()
    for votes in ("3 0 0 0", "1 2 0 0", "0 2 1 0"):  # rows by name: 丙, 乙, 甲
        page.keyboard.press("Space")  # self-assessment done
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # mutual evaluation done
        for count in votes.split():
            page.keyboard.press("Tab")
            page.keyboard.press("Control+A")
            page.keyboard.type(count)
        for _ in range(5):  # grade, remark, next row's exemption, its note, its self-check
            page.keyboard.press("Tab")
    # Then down the grade column: 1-4 or 优/合/基/不 pick, arrows and Enter move rows.
    page.get_by_label("党员丙 评定等次").focus()
    page.keyboard.press("2")
    page.keyboard.press("ArrowDown")
    page.get_by_label("党员乙 评定等次").dispatch_event("keydown", {"key": "合"})  # IME
    page.keyboard.press("Enter")  # moves down, never submits
    page.keyboard.press("3")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("1")  # back to the first row: excellent after all
    expect(page.get_by_label("党员丙 评定等次")).to_have_value("excellent")
    expect(page.get_by_label("党员乙 评定等次")).to_have_value("qualified")
    expect(page.get_by_label("党员甲 评定等次")).to_have_value("basic")
    expect(page.get_by_label("党员乙 评定等次")).not_to_be_focused()
    expect(page.get_by_label("党员丙 评定等次")).to_be_focused()
    page.get_by_label("党员甲 评语").press("Enter")  # Enter in the last row: nothing sent
    expect(page.get_by_test_id("sheet-status")).to_have_text("未开始")
    page.keyboard.press("Control+S")  # saves the draft
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.get_by_test_id("sheet-status")).to_have_text("草稿")
    expect(page.get_by_label("党员丙 民主测评票：优秀")).to_have_value("3")

    page.get_by_test_id("submit").click()
    expect(page.get_by_text("须填写评语")).to_be_visible()  # refused, with the reason
    page.get_by_label("党员甲 评语").fill("学习不够深入")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("已报送")

    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, base, "paul")
    staff.goto(f"{base}/appraisals/sheets/{sheet.pk}/")
    staff.fill("#reason", "测评票数与等次不符，请核对")
    staff.get_by_test_id("return").click()
    expect(staff.get_by_text("评议表已退回支部。")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("return-reason")).to_contain_text("测评票数与等次不符")
    page.get_by_label("党员甲 评定等次").select_option("qualified")
    page.get_by_test_id("submit").click()
    expect(page.get_by_test_id("sheet-status")).to_have_text("已报送")

    staff.goto(f"{base}/appraisals/{campaign.pk}/")
    expect(staff.get_by_test_id("fig-took-part")).to_have_text("0")
    staff.get_by_role("link", name="第一党支部").click()
    staff.get_by_test_id("approve").click()
    expect(staff.get_by_text("评议表已审批。")).to_be_visible()
    staff.goto(f"{base}/appraisals/{campaign.pk}/")
    expect(staff.get_by_test_id("fig-took-part")).to_have_text("3")
    expect(staff.get_by_test_id("fig-participation")).to_have_text("100.00%")
    expect(staff.get_by_test_id("grade-excellent")).to_contain_text("33.33")
    expect(staff.get_by_test_id("grade-qualified")).to_contain_text("66.67")

    # The working committee's page has a line per party committee and drills down to the sheet.
    city = browser.new_context(locale="zh-CN").new_page()
    log_in(city, base, "wendy")
    city.goto(f"{base}/appraisals/{campaign.pk}/")
    expect(city.get_by_test_id("child-P1")).to_contain_text("1 / 1")
    expect(city.get_by_test_id("child-P1")).to_contain_text("100.00%")
    expect(city.get_by_test_id("child-P2")).to_contain_text("—")
    city.get_by_test_id("child-P1").get_by_role("link", name="第一党委").click()
    city.get_by_test_id("child-G1").get_by_role("link", name="第一党总支").click()
    city.get_by_test_id("child-B1").get_by_role("link", name="第一党支部").click()
    expect(city.get_by_test_id("sheet-status")).to_have_text("已批准")
    city.go_back()
    city.get_by_test_id("up").click()
    expect(city.get_by_test_id("child-B3")).to_be_visible()
