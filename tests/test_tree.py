import datetime

import pytest
from django.core.exceptions import ValidationError

from organizations.models import Kind, Organization, OrganizationClosure, Status
from organizations.services import (
    check_parent,
    organization_dissolve,
    organization_update,
)

from .factories import make_member, make_org


def subtree_codes(org) -> set[str]:
    return set(Organization.objects.subtree_of(org.pk).values_list("code", flat=True))


@pytest.mark.django_db
def test_closure_holds_every_ancestor_pair(tree):
    assert subtree_codes(tree.w) == {"W", "P1", "G1", "B1", "B2", "B3", "P2", "B4"}
    assert subtree_codes(tree.p1) == {"P1", "G1", "B1", "B2", "B3"}
    assert subtree_codes(tree.b1) == {"B1"}
    depth = OrganizationClosure.objects.get(ancestor=tree.w, descendant=tree.b1).depth
    assert depth == 3 and tree.b1.depth == 3


@pytest.mark.django_db
def test_moving_a_general_branch_moves_its_subtree(tree):
    tree.g1.parent = tree.p2
    organization_update(organization=tree.g1, fields=["parent"])
    assert subtree_codes(tree.p2) == {"P2", "B4", "G1", "B1", "B2"}
    assert subtree_codes(tree.p1) == {"P1", "B3"}
    assert Organization.objects.get(code="B1").depth == 3
    assert OrganizationClosure.objects.filter(descendant=tree.b1).count() == 4


@pytest.mark.django_db
def test_an_organization_cannot_move_under_itself(tree):
    tree.p1.parent = tree.g1
    with pytest.raises(ValidationError):
        organization_update(organization=tree.p1, fields=["parent"])


@pytest.mark.parametrize(
    ("kind", "parent_kind", "allowed"),
    [
        (Kind.WORKING_COMMITTEE, None, True),
        (Kind.PARTY_COMMITTEE, None, False),
        (Kind.PARTY_COMMITTEE, Kind.WORKING_COMMITTEE, True),
        (Kind.PARTY_COMMITTEE, Kind.GENERAL_BRANCH, False),
        (Kind.GENERAL_BRANCH, Kind.PARTY_COMMITTEE, True),
        (Kind.GENERAL_BRANCH, Kind.WORKING_COMMITTEE, True),
        (Kind.GENERAL_BRANCH, Kind.GENERAL_BRANCH, False),
        (Kind.BRANCH, Kind.GENERAL_BRANCH, True),
        (Kind.BRANCH, Kind.BRANCH, False),
        (Kind.JOINT_BRANCH, Kind.PARTY_COMMITTEE, True),
        (Kind.BRANCH, Kind.JOINT_BRANCH, False),
    ],
)
def test_parent_rules(kind, parent_kind, allowed):
    parent = Organization(kind=parent_kind, status=Status.ACTIVE) if parent_kind else None
    if allowed:
        check_parent(kind, parent)
    else:
        with pytest.raises(ValidationError):
            check_parent(kind, parent)


@pytest.mark.django_db
def test_a_branch_with_children_cannot_become_a_branch(tree):
    tree.g1.kind = Kind.BRANCH
    with pytest.raises(ValidationError):
        organization_update(organization=tree.g1, fields=["kind"])


@pytest.mark.django_db
def test_dissolving_is_refused_while_members_or_children_remain(tree):
    member = make_member(tree.b3)
    with pytest.raises(ValidationError):
        organization_dissolve(organization=tree.b3, on=datetime.date(2025, 1, 1))
    with pytest.raises(ValidationError):
        organization_dissolve(organization=tree.g1, on=datetime.date(2025, 1, 1))
    from members.services import member_move

    member_move(member=member, organization=tree.b4, on=datetime.date(2025, 1, 1))
    organization_dissolve(organization=tree.b3, on=datetime.date(2025, 1, 2))
    tree.b3.refresh_from_db()
    assert tree.b3.status == Status.DISSOLVED
    assert Organization.objects.filter(pk=tree.b3.pk).exists()  # nothing hard-deleted


@pytest.mark.django_db
def test_term_end_defaults_by_kind_and_may_move_one_year_at_most(tree):
    org = make_org("B9", Kind.BRANCH, tree.p1, term_elected_on=datetime.date(2024, 3, 1))
    assert org.term_years == 3 and org.term_ends_on == datetime.date(2027, 3, 1)
    committee = make_org(
        "P9", Kind.PARTY_COMMITTEE, tree.w, term_elected_on=datetime.date(2024, 3, 1)
    )
    assert committee.term_ends_on == datetime.date(2029, 3, 1)
    org.term_ends_on = datetime.date(2028, 3, 1)  # exactly one year later: allowed
    organization_update(organization=org, fields=["term_ends_on"])
    org.term_ends_on = datetime.date(2028, 3, 2)  # one day more: refused
    with pytest.raises(ValidationError):
        organization_update(organization=org, fields=["term_ends_on"])
