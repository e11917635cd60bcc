"""The organization picker: type part of a name, choose from matches shown with their path,
move a member; on a desktop screen and on a phone."""

import pytest
from playwright.sync_api import Page, expect

from members.models import Member

from ..factories import make_member
from .test_member_flow import log_in

pytestmark = pytest.mark.browser


def pick(page: Page, field_id: str, text: str) -> None:
    """Type into the picker of the select `field_id` and choose the first match."""
    box = page.locator(f"#{field_id}-ts-control")
    box.click()
    box.fill(text)
    option = page.locator(".ts-dropdown .option", has_text=text).first
    expect(option).to_be_visible()
    option.click()


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_move_a_member_by_typing_part_of_a_name(
    live_server, transactional_db, cast, tree, page: Page, width
):
    member = make_member(tree.b1, name="待调动党员")
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, live_server.url, "paul")
    page.goto(f"{live_server.url}/members/{member.pk}/move/")
    box = page.locator("#id_organization-ts-control")
    box.click()
    box.fill("第三")
    option = page.locator(".ts-dropdown .option", has_text="第三党支部").first
    expect(option).to_contain_text("第一党委 › 第三党支部")  # the path below the top
    expect(page.locator(".ts-dropdown .option", has_text="第四党支部")).to_have_count(0)
    option.click()
    page.fill("#id_on", "2026-01-10")
    page.get_by_role("button", name="调动").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    assert Member.objects.get(pk=member.pk).organization == tree.b3
