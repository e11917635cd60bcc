"""A branch secretary records a committee meeting, marks attendance with the keyboard and
prints the sign-in sheet; staff see the branch's cell for that month turn from red to green
in the compliance matrix."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from organizations.models import Position, Post

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser
D = datetime.date


def test_secretary_records_a_committee_meeting_and_the_matrix_turns_green(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    today = datetime.date.today()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)
    people = [make_member(tree.b1, name=n) for n in ("委员甲", "委员乙", "委员丙", "党员丁")]
    for person, post in zip(people, [Post.SECRETARY, Post.ORGANIZATION, Post.PROPAGANDA],
                            strict=False):  # fmt: skip
        Position.objects.create(organization=tree.b1, member=person, post=post,
                                started_on=D(2024, 1, 1))  # fmt: skip
    base = live_server.url

    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, base, "paul")
    staff.goto(f"{base}/meetings/matrix/{tree.b1.pk}/?year={last_month.year}")
    cell = staff.locator(
        f"[data-testid=row-B1] td:nth-child({last_month.month + 1}) [data-kind=committee_meeting]"
    )
    expect(cell).to_have_attribute("data-state", "missed")

    log_in(page, base, "alice")
    page.goto(f"{base}/organizations/{tree.b1.pk}/")
    page.get_by_test_id("org-meetings").click()
    page.get_by_test_id("new-meeting").click()
    page.select_option("#id_kind", "committee_meeting")
    page.fill("#id_on", last_month.isoformat())
    page.fill("#id_place", "三楼会议室")
    page.fill("#id_topic", "研究发展党员工作")
    page.fill("#id_host", "委员甲")
    page.get_by_role("button", name="保存并列出应到人员").click()
    expect(page.get_by_text("会议已登记")).to_be_visible()
    rows = page.get_by_test_id("attendance").locator("tbody tr")
    expect(rows).to_have_count(3)  # the committee: 委员甲乙丙, not 党员丁

    # By keyboard: the first stays present, the second is on leave (2), the third absent (缺).
    expect(page.locator("#grid")).to_have_attribute("data-keyboard", "ready")
    page.get_by_label("委员乙 出席情况").focus()
    page.keyboard.press("2")
    page.keyboard.press("Tab")
    page.keyboard.type("出差")
    page.get_by_label("委员乙 出席情况").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_label("委员丙 出席情况").dispatch_event("keydown", {"key": "缺"})
    expect(page.get_by_label("委员乙 出席情况")).to_have_value("leave")
    expect(page.get_by_label("委员丙 出席情况")).to_have_value("absent")
    page.keyboard.press("Control+S")
    # 1 of 3 committee members present: no quorum, refused with the reason.
    expect(page.get_by_text("不足法定人数")).to_be_visible()
    page.get_by_label("委员丙 出席情况").focus()
    page.keyboard.press("1")
    page.keyboard.press("Control+S")
    expect(page.get_by_text("出席情况已保存")).to_be_visible()
    expect(page.get_by_test_id("meeting-status")).to_have_text("已召开")
    expect(page.get_by_test_id("attendance-summary")).to_contain_text("应到 3 人，实到 2 人")

    page.get_by_test_id("signin").click()
    expect(page.get_by_test_id("signin-title")).to_contain_text("支部委员会")
    page.emulate_media(media="print")
    expect(page.get_by_test_id("nav")).to_be_hidden()
    expect(page.get_by_test_id("signin-rows")).to_contain_text("委员乙")

    staff.reload()
    expect(cell).to_have_attribute("data-state", "held")


def test_secretary_imports_past_meetings_sees_who_comes_and_follows_a_reminder(
    live_server, transactional_db, cast, tree, page: Page, tmp_path
):
    """On a phone (390 px): a bad file imports nothing and names its line; the good one
    imports both meetings; who comes lists the absent member first; the branch page's
    reminder opens the form for the kind not yet held this month."""
    from ..test_meetings import meetings_file
    from .test_layout import no_sideways_scroll

    today = datetime.date.today()
    january, february = D(today.year, 1, 12), D(today.year, 2, 9)
    make_member(tree.b1, name="常到")
    absent = make_member(tree.b1, name="缺席者")
    line = ["B1", "主题党日", january.isoformat(), "重温入党誓词", "活动室", "", "", "", "",
            absent.id_number, "", ""]  # fmt: skip
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(meetings_file([line, [*line[:1], "茶话会", *line[2:]]]).getvalue())
    good = tmp_path / "good.xlsx"
    second = ["B1", "主题党日", february.isoformat(), "参观红色教育基地", *[""] * 8]
    good.write_bytes(meetings_file([line, second]).getvalue())
    base = live_server.url
    log_in(page, base, "alice")

    page.goto(f"{base}/meetings/import/")
    page.set_input_files("#id_file", str(bad))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_test_id("import-errors")).to_contain_text("第 3 行")
    expect(page.get_by_test_id("import-errors")).to_contain_text("未导入任何数据")
    page.set_input_files("#id_file", str(good))
    page.get_by_role("button", name="检查并导入").click()
    expect(page.get_by_text("已导入 2 次会议")).to_be_visible()

    page.goto(f"{base}/meetings/organizations/{tree.b1.pk}/attendance/")
    first = page.get_by_test_id("people").locator("tbody tr").first
    expect(first).to_contain_text("缺席者")
    expect(first).to_contain_text("50.0")
    no_sideways_scroll(page, 390)

    page.goto(f"{base}/organizations/{tree.b1.pk}/")
    panel = page.get_by_test_id("due-panel")
    expect(panel).to_contain_text("本月尚未召开主题党日")
    no_sideways_scroll(page, 390)
    item = panel.locator("li", has_text="本月尚未召开主题党日")
    item.get_by_role("link", name="第一党支部").click()
    expect(page.locator("#id_kind")).to_have_value("theme_day")
