"""Meetings not yet held in the period: reminders kept in the shared reminder store, shown
in the tree and on the branch page beside the development limits."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import reminders as meeting_reminders
from meetings.models import Kind
from organizations.models import Post
from reminders import services
from reminders.models import Reminder

from .factories import make_member, make_position
from .test_meetings import mark, meeting

D = datetime.date


def shown(org, today: D) -> dict[str, str]:
    """The branch's meeting reminders shown on the day: kind -> label."""
    services.rebuild("meetings", today)
    rows = services.due(Reminder.objects.filter(source="meetings", organization=org), today)
    return {r.kind: str(r.label) for r in rows}


@pytest.mark.django_db
def test_a_monthly_kind_is_asked_all_month_a_quarterly_one_in_the_quarters_last_month(tree):
    make_member(tree.b1)
    assert shown(tree.b1, D(2026, 2, 10)) == {Kind.THEME_DAY: "本月尚未召开主题党日"}
    assert shown(tree.b1, D(2026, 3, 1)) == {
        Kind.THEME_DAY: "本月尚未召开主题党日",
        Kind.MEMBER_MEETING: "本季度尚未召开支部党员大会",
        Kind.PARTY_LESSON: "本季度尚未召开党课",
    }
    # The organizational-life meeting is asked in December; no committee, no committee meeting.
    assert set(shown(tree.b1, D(2026, 12, 31))) == {
        Kind.THEME_DAY, Kind.MEMBER_MEETING, Kind.PARTY_LESSON, Kind.LIFE_MEETING}  # fmt: skip
    assert "委" not in "".join(shown(tree.b1, D(2026, 12, 31)).values())


@pytest.mark.django_db
def test_held_in_the_period_is_no_longer_asked_and_the_next_period_follows_at_midnight(tree):
    make_member(tree.b1)
    mark(meeting(tree.b1, Kind.THEME_DAY, on=D(2026, 3, 31)), 1)  # the month's last day
    assert Kind.THEME_DAY not in shown(tree.b1, D(2026, 3, 15))
    # Stored on 15 March, the April rows show from 1 April without another rebuild.
    rows = Reminder.objects.filter(source="meetings", organization=tree.b1)
    assert set(services.due(rows, D(2026, 4, 1)).values_list("kind", flat=True)) == {
        Kind.THEME_DAY}  # fmt: skip
    assert services.due(rows, D(2026, 4, 1)).get().due_on == D(2026, 4, 30)
    # December's rows lead into January of the next year.
    services.rebuild("meetings", D(2026, 12, 20))
    january = services.due(rows, D(2027, 1, 1)).get()
    assert (january.kind, january.period_from, january.due_on) == (
        Kind.THEME_DAY, D(2027, 1, 1), D(2027, 1, 31))  # fmt: skip


@pytest.mark.django_db
def test_a_committee_and_each_group_are_asked_once_they_exist(tree):
    from meetings.services import group_create

    people = [make_member(tree.b1) for _ in range(3)]
    today = timezone.localdate()
    before = Reminder.objects.filter(source="meetings", organization=tree.b1)
    assert not before.filter(kind=Kind.COMMITTEE_MEETING).exists()
    posts = (Post.SECRETARY, Post.DEPUTY_SECRETARY, Post.COMMITTEE_MEMBER)
    for person, post in zip(people, posts, strict=True):
        make_position(tree.b1, person, post, started_on=D(2024, 1, 1))
    assert before.filter(kind=Kind.COMMITTEE_MEETING).exists()  # kept by the posts' signal
    group_create(organization=tree.b1, name="第一党小组", started_on=D(2024, 1, 1))
    group = services.due(before.filter(kind=Kind.GROUP_MEETING), today).get()
    assert (group.who, str(group.label)) == ("第一党小组", "本月尚未召开党小组会")
    assert group.link.endswith(f"?kind=group_meeting&group={group.subject_id}")


@pytest.mark.django_db
def test_the_tree_counts_them_and_the_branch_page_lists_them(client, cast, tree):
    make_member(tree.b1)
    today = timezone.localdate()
    services.rebuild("meetings", today)
    due = services.counts_by_organization([tree.b1, tree.p1, tree.w], today)
    asked = len(services.due(Reminder.objects.filter(organization=tree.b1), today))
    assert asked >= 1 and due[tree.b1.pk] == (asked, 0)
    # The city sums its branches: b1 to b4 each owe the same this period.
    assert due[tree.w.pk][0] == 4 * asked and due[tree.p1.pk][0] == 3 * asked
    client.force_login(cast.alice)
    page = client.get(reverse("organizations:organization_detail", args=[tree.b1.pk]))
    panel = page.content.decode().split('data-testid="due-panel"')[1].split("</ul>")[0]
    assert "本月尚未召开主题党日" in panel and "第一党支部" in panel
    listing = client.get(reverse("reminders:list"), {"source": "meetings"}).content.decode()
    assert listing.count("本月尚未召开主题党日") == 1  # her own branch only
    theme_day = Reminder.objects.filter(organization=tree.b1, kind=Kind.THEME_DAY)
    form = client.get(meeting_reminders.link(services.due(theme_day, today).get()))
    assert 'value="theme_day" selected' in form.content.decode()
    mark(meeting(tree.b1, Kind.THEME_DAY, on=today), 1)
    page = client.get(reverse("organizations:organization_detail", args=[tree.b1.pk]))
    assert "本月尚未召开主题党日" not in page.content.decode()


@pytest.mark.django_db
def test_a_dissolved_branch_is_asked_nothing(tree):
    from organizations.services import organization_dissolve

    assert Reminder.objects.filter(source="meetings", organization=tree.b3).exists()
    organization_dissolve(organization=tree.b3, on=timezone.localdate())
    assert not Reminder.objects.filter(source="meetings", organization=tree.b3).exists()
    services.rebuild("meetings")
    assert not Reminder.objects.filter(source="meetings", organization=tree.b3).exists()
