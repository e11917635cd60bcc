"""Committee staff record a branch's re-election from its member meeting: the candidates and
their votes, the count against the rules, submission, approval; the branch's posts and term
change and its health flags clear."""

import datetime

import pytest
from playwright.sync_api import Page, expect

from meetings.models import Kind, Meeting
from organizations.models import Organization, Post

from ..factories import make_member, make_position
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def test_staff_run_an_election_to_approval_and_the_posts_change(
    live_server, transactional_db, cast, tree, page: Page
):
    people = [make_member(tree.b1, name=f"候选{i}") for i in range(7)]
    make_position(tree.b1, people[6], Post.SECRETARY, started_on=datetime.date(2023, 3, 1))
    Organization.objects.filter(pk=tree.b1.pk).update(
        term_elected_on=datetime.date(2023, 3, 1), term_years=3,
        term_ends_on=datetime.date(2026, 3, 1))  # fmt: skip
    Meeting.objects.create(organization=tree.b1, kind=Kind.MEMBER_MEETING, held=True,
                           on=datetime.date(2026, 5, 20), topic="换届选举党员大会",
                           voters_should=20, voters_present=18)  # fmt: skip
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "paul")

    page.goto(f"{base}/organizations/{tree.b1.pk}/")
    expect(page.get_by_test_id("health")).to_contain_text("超期未换届")
    page.goto(f"{base}/elections/organizations/{tree.b1.pk}/")
    expect(page.get_by_test_id("terms")).to_contain_text("第一党支部")
    page.get_by_test_id("election-new").click()
    page.select_option("#id_meeting", label="2026-05-20 换届选举党员大会")
    page.fill("#id_committee_seats", "3")
    page.get_by_role("button", name="登记选举").click()

    votes = [16, 15, 14, 9]  # 3 seats need 4 candidates; 9 of 20 is not enough
    for i, count in enumerate(votes):
        page.select_option(f"#id_c{i}-race", "committee")
        page.select_option(f"#id_c{i}-member", label=f"候选{i}")
        page.fill(f"#id_c{i}-votes", str(count))
    page.select_option("#id_c4-race", "secretary")
    page.select_option("#id_c4-member", label="候选0")
    page.fill("#id_c4-votes", "3")
    page.get_by_test_id("save-candidates").click()
    expect(page.get_by_test_id("count-valid")).to_be_visible()
    expect(page.get_by_test_id("elected")).to_contain_text("候选0")
    page.get_by_test_id("submit-election").click()
    expect(page.get_by_test_id("election-state")).to_contain_text("等待上级审批")

    page.get_by_test_id("decide").click()
    page.get_by_label("同意").check()
    page.get_by_role("button", name="提交审批").click()
    expect(page.get_by_test_id("election-state")).to_contain_text("已批准")

    page.goto(f"{base}/organizations/{tree.b1.pk}/")
    posts = page.locator(".list-group-item", has_text="书记")
    expect(posts.first).to_contain_text("候选0")
    expect(page.get_by_test_id("health")).not_to_contain_text("超期未换届")
