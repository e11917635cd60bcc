"""The member list, the dashboard and the appraisal sheet at 1024, 1280 and 390 px: the
navigation never splits an item over two lines (on a phone, inside its opened menu), no page
scrolls sideways, and the sheet becomes one card per member on a phone. The screenshots are
kept in test-results/screenshots for review."""

import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from appraisals.models import Sheet
from appraisals.services import campaign_open
from reports.tasks import request_recompute

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
D = datetime.date


def nav_items_on_one_line(page: Page, *, one_row: bool) -> None:
    links = page.locator('[data-testid="nav"] > .nav-item > .nav-link')
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert len(boxes) >= 6
    single = min(box["height"] for box in boxes)
    for box in boxes:
        assert box["height"] < single * 1.3, boxes  # no item on two lines
        if one_row:
            assert abs(box["y"] - boxes[0]["y"]) < 2, boxes


def no_sideways_scroll(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{page.url} is {scroll_width} px wide at {width}"


@pytest.fixture
def sheet(tree):
    for name in ("党员甲", "党员乙", "党员丙"):
        make_member(tree.b1, name=name)
    campaign = campaign_open(
        organization=tree.w, year=2025, title="2025年度民主评议党员", starts_on=D(2026, 1, 5),
        ends_on=D(2026, 2, 1), deadline=D(2026, 3, 1),
    )  # fmt: skip
    request_recompute()  # autocommit here: runs at once, in-process
    return Sheet.objects.get(campaign=campaign, organization=tree.b1)


@pytest.mark.parametrize("width", [1024, 1280, 390])
def test_pages_fit_at_each_width_and_the_sheet_is_cards_on_a_phone(
    live_server, transactional_db, cast, tree, sheet, page: Page, width
):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "wendy")  # the most menu items: the working committee
    pages = {
        "members": ("/members/", "党员"),
        "dashboard": ("/reports/", "统计"),
        "sheet": (f"/appraisals/sheets/{sheet.pk}/", "民主评议"),
    }
    for name, (path, section) in pages.items():
        page.goto(f"{live_server.url}{path}")
        no_sideways_scroll(page, width)
        if width < 992:  # collapsed behind the menu button
            page.locator(".navbar-toggler").click()
            expect(page.locator("#nav.collapse.show")).to_be_visible()  # opened, not opening
        nav_items_on_one_line(page, one_row=width >= 992)
        logout = page.get_by_test_id("logout").bounding_box()
        assert logout["height"] < 40, logout  # "退出" on one line
        expect(page.locator('[data-testid="nav"] .nav-link.active')).to_have_text(section)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
    if width >= 992:
        page.goto(f"{live_server.url}/reports/")
        controls = page.get_by_test_id("date-controls").bounding_box()
        assert controls["height"] < 45, controls  # the date controls sit on one line
        page.get_by_role("button", name="系统管理").click()
        expect(page.get_by_role("link", name="审计日志")).to_be_visible()
    else:  # the sheet, one card per member: each row as wide as the screen, labels inline
        rows = page.locator("#grid tbody tr")
        expect(rows).to_have_count(3)
        for i in range(3):
            box = rows.nth(i).bounding_box()
            assert box["width"] <= width and box["height"] > 200, box
        expect(page.get_by_test_id("grid").locator("thead")).to_be_hidden()


def test_a_member_page_prints_as_an_information_sheet(
    live_server, transactional_db, cast, tree, page: Page
):
    member = make_member(tree.b1, name="党员甲")
    log_in(page, live_server.url, "wendy")
    page.goto(f"{live_server.url}/members/{member.pk}/")
    expect(page.get_by_test_id("print-title")).to_be_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    expect(page.get_by_test_id("print-title")).to_contain_text("党员信息表")
    expect(page.get_by_test_id("nav")).to_be_hidden()
    expect(page.get_by_test_id("breadcrumbs")).to_be_hidden()
    expect(page.get_by_test_id("history")).to_be_hidden()
    expect(page.get_by_role("link", name="编辑")).to_be_hidden()
    expect(page.get_by_test_id("records")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "member-sheet-print.png"), full_page=True)
    page.pdf(path=str(SCREENSHOTS / "member-sheet.pdf"), format="A4")
