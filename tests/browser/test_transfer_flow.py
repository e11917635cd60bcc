"""A branch secretary issues a transfer letter to a sibling branch (picked from the whole
system) and prints it; the receiving secretary confirms receipt; the member is in her list
and has left the sender's."""

import pytest
from playwright.sync_api import Page, expect

from ..factories import make_member
from .test_member_flow import log_in
from .test_picker_flow import pick

pytestmark = pytest.mark.browser


def test_secretary_issues_and_prints_a_letter_and_the_receiver_confirms(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    member = make_member(tree.b1, name="调往二支部")
    base = live_server.url

    log_in(page, base, "alice")
    page.goto(f"{base}/members/{member.pk}/")
    page.get_by_test_id("member-transfers-link").click()
    page.get_by_test_id("issue-letter").click()
    pick(page, "id_receiver", "第二党支部")
    page.fill("#id_issued_on", "2026-03-02")
    page.get_by_role("button", name="开具介绍信").click()
    expect(page.get_by_test_id("letter-state")).to_contain_text("已开具，待接收")
    number = page.get_by_test_id("letter-number").inner_text()
    page.get_by_test_id("print-letter").click()
    for part in ("part-stub", "part-letter", "part-slip"):
        expect(page.get_by_test_id(part)).to_contain_text(number)
    expect(page.get_by_test_id("part-letter")).to_contain_text("第二党支部")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("nav")).to_be_hidden()
    expect(page.get_by_test_id("letter-print")).to_be_visible()
    page.emulate_media(media="screen")
    page.goto(f"{base}/members/")
    expect(page.get_by_text("调往二支部")).to_be_visible()
    expect(page.get_by_text("转出中")).to_be_visible()

    receiver = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    bob = receiver.new_page()
    log_in(bob, base, "bob")
    bob.goto(f"{base}/transfers/organizations/{tree.b2.pk}/?direction=in")
    bob.get_by_role("link", name=number).click()
    expect(bob.get_by_test_id("payload")).to_contain_text("调往二支部")
    bob.get_by_test_id("receive").click()
    bob.fill("#id_on", "2026-03-10")
    bob.get_by_role("button", name="确认接收").click()
    expect(bob.get_by_test_id("letter-state")).to_contain_text("已接收")
    expect(bob.get_by_test_id("received-on")).to_have_text("2026-03-10")
    bob.goto(f"{base}/members/")
    expect(bob.get_by_text("调往二支部")).to_be_visible()

    page.goto(f"{base}/members/")
    expect(page.get_by_text("调往二支部")).to_have_count(0)
