"""Working-committee staff set up a scheme, score two party committees and see the ranking
with grades and the bottom place."""

import pytest
from playwright.sync_api import Page, expect

from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_staff_score_two_organizations_and_see_the_ranking(
    live_server, transactional_db, cast, tree, page: Page
):
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "wendy")
    page.goto(f"{base}/assessment/organizations/{tree.w.pk}/")
    page.get_by_test_id("scheme-new").click()
    page.fill("#id_year", "2026")
    page.fill("#id_title", "2026年度党建目标考核")
    page.get_by_role("button", name="保存").click()
    for section, title, points in (("组织建设", "班子建设", "60"), ("组织生活", "三会一课", "40")):
        page.fill("#id_section", section)
        page.fill("#id_title", title)
        page.fill("#id_max_points", points)
        page.get_by_role("button", name="添加考核项目").click()
        expect(page.get_by_test_id("items")).to_contain_text(title)

    for code, name, first, second in (
        ("P1", "第一党委", "55", "36"),
        ("P2", "第二党委", "50", "20"),
    ):
        page.get_by_test_id(f"rank-{code}").get_by_role("link", name=name).click()
        page.get_by_label("审核 班子建设").fill(first)
        page.get_by_label("审核 三会一课").fill(second)
        page.get_by_test_id("save-scores").click()
        page.get_by_role("link", name="排名").click()

    ranking = page.get_by_test_id("ranking")
    expect(page.get_by_test_id("rank-P1")).to_contain_text("91.0")
    expect(page.get_by_test_id("rank-P1")).to_contain_text("好")
    expect(page.get_by_test_id("rank-P2")).to_contain_text("70.0")
    expect(page.get_by_test_id("rank-P2")).to_contain_text("末位")
    expect(ranking.locator("tr").nth(1)).to_contain_text("第一党委")
