import datetime

import pytest

from members.choices import Status
from organizations.health import Flag, health_of
from organizations.models import Kind, Policy, Post

from .factories import make_member, make_org, make_position

TODAY = datetime.date(2026, 6, 1)


def flags(org, today=TODAY):
    return set(health_of([org], today=today)[org.pk].flags)


@pytest.mark.django_db
def test_branch_needs_three_full_members(tree):
    for _ in range(2):
        make_member(tree.b3)
    make_member(tree.b3, status=Status.PROBATIONARY)
    assert Flag.TOO_FEW_FULL in flags(tree.b3)
    make_member(tree.b3)
    assert Flag.TOO_FEW_FULL not in flags(tree.b3)


@pytest.mark.django_db
def test_branch_of_more_than_fifty_members_is_flagged(tree):
    for _ in range(50):
        make_member(tree.b3)
    assert Flag.TOO_MANY not in flags(tree.b3)
    make_member(tree.b3, status=Status.PROBATIONARY)
    assert Flag.TOO_MANY in flags(tree.b3)


@pytest.mark.django_db
def test_general_branch_needs_more_than_fifty_members(tree):
    for i in range(50):
        make_member(tree.b1 if i % 2 else tree.b2)
    assert Flag.TOO_SMALL_FOR_KIND in flags(tree.g1)
    make_member(tree.b1)
    assert Flag.TOO_SMALL_FOR_KIND not in flags(tree.g1)


@pytest.mark.django_db
def test_committee_required_from_seven_full_members(tree):
    members = [make_member(tree.b3) for _ in range(6)]
    make_position(tree.b3, members[0], Post.SECRETARY)
    assert Flag.COMMITTEE_MISSING not in flags(tree.b3)
    members.append(make_member(tree.b3))
    assert Flag.COMMITTEE_MISSING in flags(tree.b3)
    make_position(tree.b3, members[1], Post.ORGANIZATION)
    make_position(tree.b3, members[2], Post.PROPAGANDA)
    assert Flag.COMMITTEE_MISSING not in flags(tree.b3)


@pytest.mark.django_db
def test_secretary_vacant_until_a_current_secretary_exists(tree):
    member = make_member(tree.b3)
    assert Flag.SECRETARY_VACANT in flags(tree.b3)
    make_position(tree.b3, member, Post.SECRETARY, ended_on=datetime.date(2026, 5, 31))
    assert Flag.SECRETARY_VACANT in flags(tree.b3)  # the term ended before today
    make_position(tree.b3, member, Post.SECRETARY, started_on=datetime.date(2026, 6, 1))
    assert Flag.SECRETARY_VACANT not in flags(tree.b3)


@pytest.mark.django_db
def test_term_flags_use_the_configurable_warning_period(tree):
    org = make_org("B8", Kind.BRANCH, tree.p1, term_elected_on=datetime.date(2023, 8, 30))
    assert org.term_ends_on == datetime.date(2026, 8, 30)  # 90 days after TODAY
    assert Flag.TERM_ENDING in flags(org)
    assert Flag.TERM_ENDING not in flags(org, today=TODAY - datetime.timedelta(days=1))
    policy = Policy.current()
    policy.term_warning_days = 30
    policy.save()
    assert Flag.TERM_ENDING not in flags(org)
    assert Flag.TERM_EXPIRED in flags(org, today=datetime.date(2026, 8, 31))
    assert Flag.TERM_EXPIRED not in flags(org, today=datetime.date(2026, 8, 30))
