"""A branch secretary takes a person from application to probationary member through the
pages, with a refused step; the committee's staff approve what only they may decide."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from members.choices import Status
from members.models import Member

from ..factories import id_number, make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def record(page: Page, step_label: str, on: str, **fill) -> None:
    page.get_by_role("link", name=step_label).click()
    page.fill("#id_on", on)
    for selector, value in fill.items():
        page.fill(f"#id_{selector}", value)
    page.get_by_role("button", name="记录").click()


def approve_all(staff: Page, base: str) -> None:
    staff.goto(f"{base}/development/approvals/")
    staff.get_by_role("button", name="批准").first.click()
    expect(staff.get_by_text("已批准。")).to_be_visible()


def test_secretary_takes_an_applicant_to_probationary_member(
    live_server, transactional_db, cast, tree, page: Page, browser
):
    for i in range(2):
        make_member(tree.b1, name=f"介绍人{i}", converted_on=datetime.date(2011, 7, 1))
    staff = browser.new_context(locale="zh-CN").new_page()
    log_in(staff, live_server.url, "paul")
    base = live_server.url
    log_in(page, base, "alice")

    page.goto(f"{base}/development/applicants/new/")
    page.fill("#id_name", "王小明")
    page.fill("#id_id_number", id_number(datetime.date(1995, 5, 5)))
    page.select_option("#id_education", "undergraduate")
    page.select_option("#id_occupation", "organ_staff")
    page.fill("#id_application_on", "2024-03-01")
    page.get_by_role("button", name="登记入党申请").click()
    expect(page.get_by_test_id("stage")).to_have_text("入党申请人")

    record(page, "2 派人谈话", "2024-03-15")
    page.get_by_role("link", name="3 确定入党积极分子").click()
    page.fill("#id_on", "2024-04-01")
    page.select_option("#id_channel", "members")
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("stage")).to_have_text("入党积极分子")
    # The timeline: 25 steps (7 and 8 are one record) in 5 stages, the person in the second.
    expect(page.locator("[data-testid=timeline] [data-step]")).to_have_count(24)
    expect(page.get_by_test_id("stage-2")).to_contain_text("当前阶段")
    expect(page.locator("[data-testid=timeline] [data-state=done]")).to_have_count(3)

    # Less than a year as activist: refused, with the reason.
    page.get_by_role("link", name="7–8 确定发展对象及公示").click()
    page.fill("#id_on", "2025-03-31")
    page.fill("#id_publicity_from", "2025-03-24")
    page.fill("#id_publicity_to", "2025-03-28")
    page.select_option("#id_approving_organization", label="第一党委")
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_text("最早可于 2025-04-01 确定为发展对象")).to_be_visible()
    page.fill("#id_on", "2025-04-01")
    page.get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("steps")).to_contain_text("待上级审批")
    approve_all(staff, base)
    page.reload()
    expect(page.get_by_test_id("stage")).to_have_text("发展对象")

    page.get_by_role("link", name="9 确定入党介绍人").click()
    page.fill("#id_on", "2025-04-10")
    page.get_by_label("介绍人0").check()
    page.get_by_label("介绍人1").check()
    page.get_by_role("button", name="记录").click()
    record(page, "10 政治审查", "2025-04-15")
    record(page, "11 集中培训", "2025-05-10", training_days="3")
    record(page, "12 支部委员会审查", "2025-06-01")
    page.get_by_role("link", name="13 上级党委预审").click()
    page.fill("#id_on", "2025-06-10")
    page.select_option("#id_approving_organization", label="第一党委")
    page.get_by_role("button", name="记录").click()
    approve_all(staff, base)
    page.reload()
    record(page, "14 填写入党志愿书", "2025-06-12")
    # The first meeting lacks a quorum: kept in the record, and the meeting is held again.
    for on, present in (("2025-07-01", "5"), ("2025-07-08", "9")):
        page.get_by_role("link", name="15 支部大会讨论").click()
        page.fill("#id_on", on)
        for name, value in [("should_attend", "10"), ("present", present), ("yes", present),
                            ("no", "0")]:  # fmt: skip
            page.fill(f"#id_vote-{name}", value)
        page.get_by_role("button", name="记录").click()
    expect(page.get_by_test_id("steps")).to_contain_text("未达到法定人数：应到 10 人，实到 5 人")
    expect(page.get_by_test_id("steps")).to_contain_text("通过：应到 10 人，赞成 9 票")
    record(page, "16 上级党委派人谈话", "2025-07-15")
    page.get_by_role("link", name="17 上级党委审批").click()
    page.fill("#id_on", "2025-08-01")
    page.select_option("#id_approving_organization", label="第一党委")
    page.get_by_role("button", name="记录").click()
    approve_all(staff, base)
    page.reload()
    expect(page.get_by_test_id("stage")).to_have_text("预备党员")

    person = Member.objects.get(name="王小明")
    assert person.status == Status.PROBATIONARY
    assert person.joined_on == datetime.date(2025, 7, 8)  # the meeting that passed
