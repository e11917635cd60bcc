"""Committee staff browse the tree, import a roster (a bad file first) and export the list."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from ..test_roster import roster_row, workbook_bytes
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_staff_browse_tree_import_roster_and_export(
    live_server, transactional_db, cast, page: Page, tmp_path
):
    log_in(page, live_server.url, "wendy")
    expect(page.get_by_role("heading", name="组织架构")).to_be_visible()
    page.locator("tr[data-level='0'] .tree-toggle").click()
    expect(page.get_by_role("link", name="第一党委")).to_be_visible()
    page.locator("tr:has-text('第一党委') .tree-toggle").click()
    expect(page.get_by_role("link", name="第三党支部")).to_be_visible()
    page.get_by_role("link", name="第三党支部").click()
    expect(page.get_by_test_id("health")).to_contain_text("书记空缺")

    bad = tmp_path / "bad.xlsx"
    rows = [roster_row(i, "B3") for i in range(3)]
    rows[1][8] = "党员"  # not a status: line 3
    bad.write_bytes(workbook_bytes(rows).getvalue())
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("第 3 行")
    expect(page.get_by_test_id("import-errors")).to_contain_text("未导入任何数据")

    good = tmp_path / "good.xlsx"
    rows[1] = roster_row(1, "B3")
    good.write_bytes(workbook_bytes(rows).getvalue())
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text("已导入 3 人")).to_be_visible()
    expect(page.get_by_test_id("result-count")).to_contain_text("3 人")

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    path = tmp_path / "export.xlsx"
    assert download_info.value.suggested_filename.startswith("花名册-")  # says what it is
    download_info.value.save_as(path)
    sheet = load_workbook(path).active
    assert sorted(r[0] for r in sheet.iter_rows(min_row=2, values_only=True)) == [
        "测试0",
        "测试1",
        "测试2",
    ]
