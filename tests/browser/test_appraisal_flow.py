"""A branch secretary fills the appraisal grid with the keyboard, saves and submits; staff
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

    # Row by row with the keyboard: the four vote counts (3 members vote), then the grade,
    # then the remark.
    page.get_by_label("党员丙 已个人自评").focus()
    for votes, grade_keys, remark in (
        ("3 0 0 0", ["ArrowDown"], ""),  # excellent
        ("1 2 0 0", ["ArrowDown", "ArrowDown"], ""),  # qualified
        ("0 2 1 0", ["ArrowDown", "ArrowDown", "ArrowDown"], ""),  # basic, remark missing
    ):
        page.keyboard.press("Space")  # self-assessment done
        page.keyboard.press("Tab")
        page.keyboard.press("Space")  # mutual evaluation done
        for count in votes.split():
            page.keyboard.press("Tab")
            page.keyboard.press("Control+A")
            page.keyboard.type(count)
        page.keyboard.press("Tab")
        for key in grade_keys:
            page.keyboard.press(key)
        page.keyboard.press("Tab")
        page.keyboard.type(remark)
        page.keyboard.press("Tab")  # next row: exemption
        page.keyboard.press("Tab")  # exemption note
        page.keyboard.press("Tab")  # self-assessment
    expect(page.get_by_label("党员丙 评定等次")).to_have_value("excellent")  # rows by name
    expect(page.get_by_label("党员乙 评定等次")).to_have_value("qualified")
    expect(page.get_by_label("党员甲 评定等次")).to_have_value("basic")
    page.get_by_label("党员甲 评语").press("Enter")  # Enter saves the draft
    expect(page.get_by_text("草稿已保存。")).to_be_visible()
    expect(page.get_by_test_id("sheet-status")).to_have_text("草稿")

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
