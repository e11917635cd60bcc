"""The navigation fits on one line at 1024 and 1280 px (no item split over two lines), the
current section is highlighted, and the menus open; screenshots are kept for review."""

import pytest
from playwright.sync_api import Page, expect

from .test_member_flow import log_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1024, 1280])
def test_the_navigation_fits_on_one_line(
    live_server, transactional_db, cast, tree, page: Page, width, tmp_path
):
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server.url, "wendy")  # the most menu items: the working committee
    page.goto(f"{live_server.url}/members/")
    links = page.locator('[data-testid="nav"] > .nav-item > .nav-link')
    boxes = [links.nth(i).bounding_box() for i in range(links.count())]
    assert len(boxes) >= 6
    first = boxes[0]
    for box in boxes:
        assert abs(box["y"] - first["y"]) < 2, boxes  # one row
        assert box["height"] < first["height"] * 1.3, boxes  # no item on two lines
    expect(page.locator('[data-testid="nav"] .nav-link.active')).to_have_text("党员")
    page.get_by_role("button", name="系统管理").click()
    expect(page.get_by_role("link", name="审计日志")).to_be_visible()
    page.screenshot(path=str(tmp_path / f"members-{width}.png"))
