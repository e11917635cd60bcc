"""A branch secretary records a member away (floating) and, for another, the report to a
residential community and the community's evaluation, then sees the evaluation beside the
member on the appraisal grid."""

import pytest
from playwright.sync_api import Page, expect

from appraisals.models import Sheet

from ..factories import make_member
from ..test_appraisals import open_campaign
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_secretary_records_floating_and_community_and_sees_it_on_the_grid(
    live_server, transactional_db, cast, tree, page: Page
):
    away = make_member(tree.b1, name="外出务工")
    neighbour = make_member(tree.b1, name="社区报到")
    open_campaign(tree.w)
    base = live_server.url
    log_in(page, base, "alice")

    page.goto(f"{base}/transfers/members/{away.pk}/")
    page.get_by_test_id("floating-new").click()
    page.fill("#id_since", "2026-02-01")
    page.fill("#id_whereabouts", "广东省深圳市")
    page.fill("#id_host_organization", "深圳市流动党员党支部")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("floating-record")).to_contain_text("深圳市流动党员党支部")
    page.fill("#id_on", "2026-03-15")
    page.fill("#id_note", "电话联系，情况良好")
    page.get_by_role("button", name="记录联系").click()
    expect(page.get_by_test_id("contacts")).to_contain_text("电话联系，情况良好")
    page.goto(f"{base}/transfers/organizations/{tree.b1.pk}/floating/")
    expect(page.get_by_test_id("floating")).to_contain_text("外出务工")

    page.goto(f"{base}/members/{neighbour.pk}/")
    page.get_by_test_id("member-community-link").click()
    page.get_by_test_id("report-new").click()
    page.fill("#id_community", "东城区和平社区")
    page.fill("#id_reported_on", "2025-03-01")
    page.get_by_role("button", name="保存").click()
    page.get_by_test_id("evaluation-new").click()
    page.fill("#id_year", "2025")
    page.select_option("#id_grade", "fairly_good")
    page.fill("#id_remark", "积极参加社区志愿服务")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("evaluations")).to_contain_text("较好")

    sheet = Sheet.objects.get(organization=tree.b1)
    page.goto(f"{base}/appraisals/sheets/{sheet.pk}/")
    row = page.locator("tr", has_text="社区报到")
    expect(row.get_by_test_id("community-evaluation")).to_contain_text("较好")
