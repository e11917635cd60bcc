"""A branch secretary ticks this month's dues in the collection grid and prints a receipt;
staff see the branch's collection rate change after they recompute the statistics."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from dues.rules import Category
from dues.services import basis_set
from reports.tasks import request_recompute

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_secretary_ticks_payments_prints_a_receipt_and_staff_see_the_rate(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    month = datetime.date.today().replace(day=1)
    for name, base in (("甲", "4000.00"), ("乙", "2000.00"), ("丙", "5000.00")):
        basis_set(member=make_member(tree.b1, name=name), starts=month,
                  category=Category.EMPLOYED, base=Decimal(base))  # fmt: skip
    request_recompute()  # 100.00 owed this month, nothing paid
    base = live_server.url

    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, base, "paul")
    staff.goto(f"{base}/reports/{tree.b1.pk}/")
    expect(staff.get_by_test_id("dues-rate")).to_have_text("0.0%")

    log_in(page, base, "alice")
    page.goto(f"{base}/dues/organizations/{tree.b1.pk}/")
    expect(page.get_by_test_id("totals")).to_contain_text("100.00")
    expect(page.locator("#grid")).to_have_attribute("data-keyboard", "ready")
    page.get_by_label("已交 甲").check()
    page.get_by_label("已交 乙").focus()
    page.keyboard.press("Space")
    page.keyboard.press("Control+S")
    expect(page.get_by_text("已登记 2 笔交纳")).to_be_visible()
    expect(page.get_by_test_id("totals")).to_contain_text("50.0%")

    page.get_by_test_id(f"due-{_member_pk('甲')}").locator("a[href*='/dues/payments/']").click()
    expect(page.get_by_test_id("receipt-amount")).to_have_text("¥40.00")
    expect(page.get_by_test_id("receipt")).to_contain_text("甲")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("nav")).to_be_hidden()
    expect(page.get_by_test_id("print")).to_be_hidden()
    expect(page.get_by_test_id("receipt")).to_be_visible()

    staff.get_by_test_id("recompute").click()
    expect(staff.get_by_test_id("dues-rate")).to_have_text("50.0%")
    expect(staff.get_by_test_id("dues-paid")).to_have_text("50.00")


def _member_pk(name: str) -> int:
    from members.models import Member

    return Member.objects.get(name=name).pk
