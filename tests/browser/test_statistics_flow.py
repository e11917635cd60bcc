"""Committee staff recompute the statistics, drill down the ratio report and download the
yearly workbook."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from members.choices import Gender
from reports.tasks import request_recompute

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_staff_recompute_drill_down_and_download(
    live_server, transactional_db, cast, tree, page: Page, tmp_path
):
    make_member(tree.b1)
    make_member(tree.b1)
    make_member(tree.b4, gender=Gender.FEMALE)
    request_recompute()  # autocommit here: runs at once, in-process
    make_member(tree.b3)  # after the figures: the dashboard says so

    log_in(page, live_server.url, "wendy")
    page.goto(f"{live_server.url}/reports/")
    headline = page.get_by_test_id("headline")
    expect(headline).to_contain_text("3")
    expect(headline).to_contain_text("33.3%")  # one woman of three
    expect(page.get_by_test_id("freshness")).to_contain_text("数据已有变动")
    expect(page.locator("canvas[data-chart='age']")).to_be_visible()
    expect(page.get_by_test_id("gender")).to_contain_text("女性")

    page.get_by_test_id("recompute").click()
    expect(page.get_by_test_id("freshness")).not_to_contain_text("数据已有变动")
    expect(headline).to_contain_text("25.0%")  # one woman of four: fresh figures
    expect(headline.locator(".fs-3").first).to_have_text("4")

    page.get_by_role("link", name="比例对比表").click()
    table = page.get_by_test_id("ratios")
    expect(table).to_contain_text("第二党委")
    expect(page.get_by_test_id("total")).to_contain_text("4")
    page.get_by_role("link", name="第一党委").click()
    expect(page.get_by_test_id("total")).to_contain_text("第一党委 (合计)")
    expect(table).to_contain_text("第三党支部")
    page.get_by_role("link", name="第一党总支").click()
    expect(table).to_contain_text("第二党支部")
    page.locator("a[data-sort='women']").click()  # sorted on the server
    expect(page).to_have_url(re.compile(r"sort=-women"))
    page.get_by_role("link", name="第一党支部").click()  # a branch: its dashboard

    expect(page.get_by_role("heading", name="第一党支部 · 统计")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_test_id("yearly").click()
    path = tmp_path / "yearly.xlsx"
    download.value.save_as(path)
    book = load_workbook(path)
    assert book["封面"]["B3"].value == "第一党支部"
    rows = {r[0]: r[1] for r in book["基本构成"].iter_rows(values_only=True) if r and r[0]}
    assert rows["党员"] == 2


def test_secretary_sees_her_own_branch_only(
    live_server, transactional_db, cast, tree, page: Page, tmp_path
):
    make_member(tree.b1, gender=Gender.FEMALE)
    make_member(tree.b2)
    make_member(tree.b2)
    request_recompute()

    log_in(page, live_server.url, "alice")
    page.goto(f"{live_server.url}/reports/")
    expect(page.get_by_role("heading", name="第一党支部 · 统计")).to_be_visible()
    headline = page.get_by_test_id("headline")
    expect(headline.locator(".fs-3").first).to_have_text("1")
    expect(headline).to_contain_text("100.0%")
    expect(page.get_by_test_id("recompute")).to_have_count(0)  # staff only
    expect(page.get_by_role("link", name="比例对比表")).to_have_count(0)  # no children

    for url in (f"/reports/{tree.b2.pk}/", f"/reports/{tree.g1.pk}/ratios/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 404, url
        expect(page.locator("body")).not_to_contain_text("第二党支部")

    page.goto(f"{live_server.url}/reports/")
    with page.expect_download() as download:
        page.get_by_test_id("yearly").click()
    path = tmp_path / "yearly.xlsx"
    download.value.save_as(path)
    rows = {r[0]: r[1] for r in load_workbook(path)["基本构成"].iter_rows(values_only=True)
            if r and r[0]}  # fmt: skip
    assert rows["党员"] == 1
