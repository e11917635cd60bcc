"""The kept counts always equal a count of the registry; parents add up their children."""

import datetime
import io

import pytest

from members.choices import Status
from members.models import OrganizationTally
from members.roster import roster_import
from members.services import member_change_status, member_leave, member_move
from members.tallies import kept_counts, live_counts, tally_rebuild
from organizations.health import direct_counts, subtree_counts
from organizations.models import Organization

from .factories import make_member
from .test_roster import roster_row, workbook_bytes

D = datetime.date


@pytest.mark.django_db
def test_every_service_keeps_the_counts_equal_to_the_registry(tree):
    a = make_member(tree.b1, status=Status.ACTIVIST, joined_on=None)
    b = make_member(tree.b1, status=Status.PROBATIONARY)
    c = make_member(tree.b2)
    assert kept_counts() == live_counts()
    assert kept_counts()[tree.b1.pk] == (0, 1, 0, 1, 0)  # full, probationary, … activist, …
    member_change_status(member=a, status=Status.TARGET, on=D(2024, 1, 1))
    member_change_status(member=a, status=Status.PROBATIONARY, on=D(2024, 6, 1))
    member_change_status(member=b, status=Status.FULL, on=D(2024, 6, 1))
    assert kept_counts() == live_counts()
    member_move(member=c, organization=tree.b4, on=D(2024, 7, 1))
    member_leave(member=b, status=Status.DECEASED, on=D(2024, 8, 1), reason="病故")
    assert kept_counts() == live_counts()
    roster_import(
        file=workbook_bytes([roster_row(i, "B3") for i in range(4)]),
        organizations=Organization.objects.all(),
    )
    assert kept_counts() == live_counts()
    assert kept_counts()[tree.b3.pk] == (4, 0, 0, 0, 0)


@pytest.mark.django_db
def test_a_refused_change_leaves_the_counts_alone(tree):
    m = make_member(tree.b1, since=D(2020, 1, 1))
    with pytest.raises(Exception):  # noqa: B017 - any refusal
        member_move(member=m, organization=tree.b2, on=D(2019, 1, 1))
    assert kept_counts() == live_counts() == {tree.b1.pk: (1, 0, 0, 0, 0)}


@pytest.mark.django_db
def test_rebuild_restores_counts_from_the_registry(tree):
    make_member(tree.b1)
    OrganizationTally.objects.update(full=99)
    tally_rebuild()
    assert kept_counts() == live_counts()


@pytest.mark.django_db
def test_each_figure_is_its_childrens_sum_plus_its_own_members(tree):
    for org, n in [(tree.b1, 3), (tree.b2, 2), (tree.b3, 4), (tree.b4, 1), (tree.p1, 1)]:
        for i in range(n):
            make_member(org, status=Status.PROBATIONARY if i == 0 else Status.FULL)
    orgs = list(Organization.objects.all())
    subtree = subtree_counts([o.pk for o in orgs])
    direct = direct_counts([o.pk for o in orgs])
    for org in orgs:
        children = [o for o in orgs if o.parent_id == org.pk]
        expected = direct[org.pk].members + sum(subtree[c.pk].members for c in children)
        assert subtree[org.pk].members == expected, org.code
    assert subtree[tree.w.pk].members == 11
    assert (subtree[tree.p1.pk].full, subtree[tree.p1.pk].probationary) == (6, 4)


@pytest.mark.django_db
def test_demo_dataset_counts_match_and_add_up(db):
    from django.core.management import call_command

    call_command("seed_demo", "--members", "600", "--branches", "40", stdout=io.StringIO())
    assert kept_counts() == live_counts()
    orgs = list(Organization.objects.all())
    subtree = subtree_counts([o.pk for o in orgs])
    direct = direct_counts([o.pk for o in orgs])
    for org in orgs:
        children = [o for o in orgs if o.parent_id == org.pk]
        assert subtree[org.pk].members == direct[org.pk].members + sum(
            subtree[c.pk].members for c in children
        )


@pytest.mark.django_db
def test_recount_command_reports_and_repairs_drift(tree, capsys):
    from django.core.management import call_command

    make_member(tree.b1)
    OrganizationTally.objects.filter(organization=tree.b1).update(full=5)
    call_command("recount_members")
    assert "1 corrected" in capsys.readouterr().out
    assert kept_counts() == live_counts()
