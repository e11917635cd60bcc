"""Elections (domain.md section 1): the quorum, differential and majority boundaries, the
committee electing the secretary, approval moving the posts and the term, the terms list and
reminders, the yearly count in the workbook."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from elections import rules, services
from elections.models import Race, State
from meetings.models import Kind as MeetingKind
from meetings.models import Meeting
from members.choices import Status
from organizations.health import Flag, health_of
from organizations.models import Organization, Policy, Position, Post
from reminders.models import Reminder

from .factories import make_member, make_position
from .test_statistics import compute

D = datetime.date
ELECTION_DAY = D(2026, 5, 20)


def test_quorum_needs_more_than_four_fifths():
    assert not rules.quorum_met(20, 16)  # 16/20 is 4/5, not more
    assert rules.quorum_met(20, 17)
    assert not rules.quorum_met(0, 0)


def test_a_differential_ballot_needs_a_fifth_more_candidates():
    assert rules.fewest_candidates(5, 20) == 6
    assert rules.fewest_candidates(3, 20) == 4  # 3.6 rounds up, and more than the seats
    assert rules.fewest_candidates(7, 20) == 9  # 8.4 rounds up
    assert rules.fewest_candidates(5, 0) == 6  # always more candidates than seats


def test_elected_with_more_than_half_of_those_who_should_attend():
    base = rules.majority_of(20, 17, rules.SHOULD)
    assert not rules.is_elected(10, base) and rules.is_elected(11, base)
    assert rules.majority_of(20, 17, rules.PRESENT) == 17  # the older rule
    assert rules.is_elected(9, 17) and not rules.is_elected(8, 17)


def meeting(org, should=20, present=17) -> Meeting:
    return Meeting.objects.create(organization=org, kind=MeetingKind.MEMBER_MEETING,
                                  on=ELECTION_DAY, topic="换届选举党员大会", held=True,
                                  voters_should=should, voters_present=present)  # fmt: skip


@pytest.fixture
def branch(tree):
    """B1 with eight full members, a secretary from 2023 and a term that has expired."""
    people = [make_member(tree.b1, name=f"委员{i}") for i in range(8)]
    make_position(tree.b1, people[7], Post.SECRETARY, started_on=D(2023, 3, 1))
    Organization.objects.filter(pk=tree.b1.pk).update(
        term_elected_on=D(2023, 3, 1), term_years=3, term_ends_on=D(2026, 3, 1)
    )
    tree.b1.refresh_from_db()
    return people


def vote(tree, people, *, seats=5, candidates=6, votes=11, present=17, secretary_votes=3):
    election = services.election_create(organization=tree.b1, meeting=meeting(tree.b1,
                                        present=present), committee_seats=seats)  # fmt: skip
    rows = [(Race.COMMITTEE, people[i], votes + (candidates - i)) for i in range(candidates)]
    rows.append((Race.SECRETARY, people[0], secretary_votes))
    rows.append((Race.DEPUTY, people[1], secretary_votes))
    services.candidates_set(election=election, rows=rows)
    return election


@pytest.mark.django_db
def test_the_count_at_the_boundaries(tree, branch):
    assert services.count(vote(tree, branch)).valid
    quorum = services.count(vote(tree, branch, present=16))
    assert any("五分之四" in p for p in quorum.problems) and not quorum.valid
    assert not services.count(vote(tree, branch, candidates=5)).valid  # 5 seats, 5 candidates
    # 20 should attend: 10 yes votes are not enough for the last seat
    election = services.election_create(organization=tree.b1, meeting=meeting(tree.b1),
                                        committee_seats=5)  # fmt: skip
    rows = [(Race.COMMITTEE, branch[i], v) for i, v in enumerate([15, 14, 13, 12, 10, 9])]
    rows.append((Race.SECRETARY, branch[0], 3))
    services.candidates_set(election=election, rows=rows)
    result = services.count(election)
    assert [c.votes for c in result.elected[Race.COMMITTEE]] == [15, 14, 13, 12]
    assert not result.valid  # a seat is left for a further ballot
    rows[4] = (Race.COMMITTEE, branch[4], 11)
    services.candidates_set(election=election, rows=rows)
    assert services.count(election).valid


@pytest.mark.django_db
def test_the_older_rule_counts_those_present(tree, branch):
    election = vote(tree, branch, votes=7)  # the last seat has 9 votes: 20 should attend
    assert not services.count(election).valid
    policy = Policy.current()
    policy.election_majority_of = "present"
    policy.save()
    assert services.count(election).valid  # 9 of the 17 present is more than half


@pytest.mark.django_db
def test_the_secretary_is_elected_by_the_committee_from_among_its_members(tree, branch):
    assert not services.count(vote(tree, branch, secretary_votes=2)).valid  # 2 of 5: no
    election = vote(tree, branch)
    services.candidates_set(election=election, rows=[
        *[(Race.COMMITTEE, branch[i], 16 - i) for i in range(6)],
        (Race.SECRETARY, branch[7], 5),  # not on the committee
    ])  # fmt: skip
    assert any("委员中" in p for p in services.count(election).problems)


@pytest.mark.django_db
def test_candidates_are_full_members_of_the_subtree(tree, branch):
    election = services.election_create(organization=tree.b1, meeting=meeting(tree.b1),
                                        committee_seats=0)  # fmt: skip
    outsider = make_member(tree.b2)
    probationer = make_member(tree.b1, status=Status.PROBATIONARY)
    for member in (outsider, probationer):
        with pytest.raises(ValidationError):
            services.candidates_set(election=election, rows=[(Race.SECRETARY, member, 15)])
    with pytest.raises(ValidationError):
        services.election_create(organization=tree.b2, meeting=meeting(tree.b1),
                                 committee_seats=0)  # fmt: skip


@pytest.mark.django_db
def test_approval_moves_the_posts_and_the_term_and_the_flags_clear(tree, cast, branch):
    flags = health_of([tree.b1], today=D(2026, 6, 1))[tree.b1.pk].flags
    assert Flag.TERM_EXPIRED in flags
    election = vote(tree, branch)
    with pytest.raises(ValidationError):
        services.election_approve(election=election)  # not submitted yet
    services.election_submit(election=election, by=cast.alice)
    with pytest.raises(ValidationError):
        services.candidates_set(election=election, rows=[])  # submitted: no more changes
    services.election_approve(election=election, by=cast.paul)
    election.refresh_from_db()
    assert election.state == State.APPROVED
    assert election.candidates.filter(elected=True).count() == 7  # 5 members, secretary, deputy
    current = Position.objects.current(D(2026, 6, 1)).filter(organization=tree.b1)
    assert current.get(post=Post.SECRETARY).member == branch[0]
    assert current.get(post=Post.DEPUTY_SECRETARY).member == branch[1]
    assert current.filter(post=Post.COMMITTEE_MEMBER).count() == 5
    old = Position.objects.get(member=branch[7], post=Post.SECRETARY)
    assert old.ended_on == ELECTION_DAY
    b1 = Organization.objects.get(pk=tree.b1.pk)
    assert (b1.term_elected_on, b1.term_years, b1.term_ends_on) == (ELECTION_DAY, 3,
                                                                     D(2029, 5, 20))  # fmt: skip
    flags = health_of([b1], today=D(2026, 6, 1))[b1.pk].flags
    assert Flag.TERM_EXPIRED not in flags and Flag.SECRETARY_VACANT not in flags
    reminder = Reminder.objects.get(source="elections", organization=b1)
    assert (reminder.due_on, reminder.remind_from) == (D(2029, 5, 20), D(2028, 11, 20))


@pytest.mark.django_db
def test_returning_needs_a_reason_and_reopens_the_grid(tree, cast, branch):
    election = vote(tree, branch)
    services.election_submit(election=election)
    with pytest.raises(ValidationError):
        services.election_return(election=election, reason=" ")
    services.election_return(election=election, reason="差额比例不足", by=cast.paul)
    services.candidates_set(election=election, rows=[])  # editable again


@pytest.mark.django_db
def test_the_terms_list_and_its_reminder(client, cast, tree, branch):
    Organization.objects.filter(pk=tree.b2.pk).update(term_ends_on=D(2099, 1, 1))
    client.force_login(cast.paul)
    page = client.get(reverse("elections:list", args=[tree.p1.pk]))
    listed = [o.code for o in page.context["page"]]
    assert "B1" in listed and "B2" not in listed
    tree.b1.refresh_from_db()
    tree.b1.term_ends_on = D(2027, 1, 31)
    tree.b1.save(update_fields=["term_ends_on"])
    row = Reminder.objects.get(source="elections", organization=tree.b1)
    assert (row.due_on, row.remind_from) == (D(2027, 1, 31), D(2026, 7, 31))


@pytest.mark.django_db
def test_the_yearly_count_in_the_snapshot_and_the_workbook(client, cast, tree, branch):
    election = vote(tree, branch)
    services.election_submit(election=election)
    services.election_approve(election=election)
    snapshot = compute(D(2026, 6, 30))
    from reports.models import Figures

    city = Figures.objects.get(snapshot=snapshot, organization=tree.w, subtree=True)
    assert city.elections_held == 1
    client.force_login(cast.wendy)
    response = client.post(reverse("reports:yearly", args=[tree.w.pk]), {"as_of": "2026-06-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    lines = {r[0]: r[1] for r in book["党组织"].iter_rows(values_only=True) if r[0]}
    assert lines["本年换届选举"] == 1


@pytest.mark.django_db
def test_the_pages_by_role(client, cast, tree, branch):
    election = vote(tree, branch)
    client.force_login(cast.alice)
    page = client.post(reverse("elections:election", args=[election.pk]), {
        "c0-race": "committee", "c0-member": branch[0].pk, "c0-votes": "16", "submit": "1",
    })  # fmt: skip
    assert page.status_code == 200  # refused: one candidate for five seats
    election.refresh_from_db()
    assert election.state == State.DRAFT
    assert client.get(reverse("elections:election_decide", args=[election.pk])).status_code == 403
    client.force_login(cast.bob)
    assert client.get(reverse("elections:election", args=[election.pk])).status_code == 404


@pytest.mark.django_db
def test_terms_set_without_a_save_signal_are_reminded_after_the_nightly_rebuild(tree):
    from reminders.tasks import rebuild_timed

    Organization.objects.filter(pk=tree.b2.pk).update(term_ends_on=D(2026, 9, 1))  # as in bulk
    assert not Reminder.objects.filter(source="elections", organization=tree.b2).exists()
    rebuild_timed()
    assert Reminder.objects.get(source="elections", organization=tree.b2).due_on == D(2026, 9, 1)
