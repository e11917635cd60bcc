"""Writes of elections: the candidates and their votes, the count against the rules
(elections.rules), submission, and the superior's approval, on which the posts and the term
follow by themselves."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Kind as MeetingKind
from meetings.models import Meeting
from members.choices import Status
from members.models import Member
from organizations.models import Organization, Policy, Position, Post
from organizations.services import organization_update, position_assign, position_end
from partybuild.validators import refuse

from . import reminders, rules
from .models import Candidate, Election, Race, State


@transaction.atomic
def election_create(*, organization: Organization, meeting: Meeting, committee_seats: int,
                    by=None) -> Election:  # fmt: skip
    if meeting.organization_id != organization.pk or meeting.kind != MeetingKind.MEMBER_MEETING:
        refuse(_("Choose a member meeting of this organization."), "meeting")
    if not meeting.held:
        refuse(_("The meeting is not recorded as held."), "meeting")
    if committee_seats > 7:
        refuse(_("A committee has at most 7 members."), "committee_seats")
    return Election.objects.create(organization=organization, meeting=meeting,
                                   committee_seats=committee_seats, recorded_by=by)  # fmt: skip


def _editable(election: Election) -> Election:
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.state not in (State.DRAFT, State.RETURNED):
        refuse(_("This election is %(state)s: it can no longer be changed.")
               % {"state": election.get_state_display()})  # fmt: skip
    return election


@transaction.atomic
def candidates_set(*, election: Election, rows: list[tuple[str, Member, int]]) -> None:
    """Replace the candidates: (race, member, yes votes). Candidates are full members of the
    organization's subtree (a committee's members come from its branches)."""
    election = _editable(election)
    eligible = set(eligible_members(election.organization).values_list("pk", flat=True))
    seen = set()
    for race, member, _votes in rows:
        if member.pk not in eligible:
            refuse(_("%(name)s is not a full member of this organization.")
                   % {"name": member.name})  # fmt: skip
        if (race, member.pk) in seen:
            refuse(_("%(name)s stands twice in one race.") % {"name": member.name})
        seen.add((race, member.pk))
    election.candidates.all().delete()
    Candidate.objects.bulk_create(
        [Candidate(election=election, race=race, member=member, votes=votes)
         for race, member, votes in rows]
    )  # fmt: skip


def eligible_members(organization: Organization):
    """Full members of the organization's subtree: those who may stand."""
    return Member.objects.filter(
        status=Status.FULL,
        organization__in=Organization.objects.subtree_of(organization.pk).values("pk"),
    )


@dataclass
class Count:
    """What the votes give under the rules: the problems that stop the result, and who is
    elected in each race."""

    problems: list[str] = field(default_factory=list)
    elected: dict[str, list[Candidate]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.problems


def count(election: Election, policy: Policy | None = None) -> Count:
    policy = policy or Policy.current()
    meeting = election.meeting
    should, present = meeting.voters_should, meeting.voters_present
    result = Count()
    if not rules.quorum_met(should, present):
        result.problems.append(
            _("%(present)s of %(should)s voting members present: an election needs more than "
              "four fifths.") % {"present": present, "should": should})  # fmt: skip
    by_race: dict[str, list[Candidate]] = {race: [] for race in Race}
    for candidate in election.candidates.select_related("member").order_by("-votes", "id"):
        by_race[candidate.race].append(candidate)
    base = rules.majority_of(should, present, policy.election_majority_of)
    seats = election.committee_seats
    if seats:
        result.elected[Race.COMMITTEE] = _committee(by_race[Race.COMMITTEE], seats, base,
                                                    present, policy, result)  # fmt: skip
    # The committee elects its secretary and deputy (all its members vote); without a
    # committee the meeting does.
    voters = seats if seats else base
    ceiling = seats if seats else present
    pool = {c.member_id for c in result.elected.get(Race.COMMITTEE, [])}
    for race, required in ((Race.SECRETARY, True), (Race.DEPUTY, False)):
        result.elected[race] = _single(by_race[race], voters, ceiling, pool if seats else None,
                                       required, result)  # fmt: skip
    return result


def _over_ceiling(candidates, ceiling: int, result: Count) -> None:
    for c in candidates:
        if c.votes > ceiling:
            result.problems.append(_("%(name)s has %(votes)s votes, more than the %(ceiling)s who "
                                     "voted.") % {"name": c.member.name, "votes": c.votes,
                                                  "ceiling": ceiling})  # fmt: skip


def _committee(candidates, seats: int, base: int, present: int, policy, result: Count):
    _over_ceiling(candidates, present, result)
    need = rules.fewest_candidates(seats, policy.election_more_candidates_percent)
    if len(candidates) < need:
        message = _("%(seats)s seats need at least %(need)s candidates (a differential "
                    "ballot); there are %(count)s.")  # fmt: skip
        result.problems.append(message % {"seats": seats, "need": need, "count": len(candidates)})
    passed = [c for c in candidates if rules.is_elected(c.votes, base)]
    winners = passed[:seats]
    if len(passed) > seats and passed[seats].votes == winners[-1].votes:
        result.problems.append(_("A tie for the last seat: a further ballot decides it."))
    if len(winners) < seats:
        result.problems.append(
            _("Only %(count)s candidates have more than half of %(base)s votes for %(seats)s "
              "seats: a further ballot is needed.") % {"count": len(winners), "base": base,
                                                       "seats": seats})  # fmt: skip
    return winners


def _single(candidates, voters: int, ceiling: int, pool, required: bool, result: Count):
    _over_ceiling(candidates, ceiling, result)
    if pool is not None:
        outside = [c.member.name for c in candidates if c.member_id not in pool]
        if outside:
            message = _("The secretary and deputy are elected from the committee: %(names)s is "
                        "not on it.")  # fmt: skip
            result.problems.append(message % {"names": "、".join(outside)})
    passed = [c for c in candidates if rules.is_elected(c.votes, voters)]
    if len(passed) > 1 and passed[0].votes == passed[1].votes:
        result.problems.append(_("A tie: a further ballot decides it."))
    if required and not passed:
        result.problems.append(_("No secretary has yes votes from more than half of %(voters)s.")
                               % {"voters": voters})  # fmt: skip
    return passed[:1]


@transaction.atomic
def election_submit(*, election: Election, by=None) -> Count:
    election = _editable(election)
    result = count(election)
    if not result.valid:
        refuse(" ".join(result.problems))
    _mark(election, result)
    election.state = State.SUBMITTED
    election.recorded_by = by or election.recorded_by
    election.save(update_fields=["state", "recorded_by"])
    return result


def _mark(election: Election, result: Count) -> None:
    winners = {c.pk for chosen in result.elected.values() for c in chosen}
    election.candidates.update(elected=False)
    election.candidates.filter(pk__in=winners).update(elected=True)


@transaction.atomic
def election_return(*, election: Election, reason: str, by=None) -> Election:
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.state != State.SUBMITTED:
        refuse(_("Only a submitted election can be returned."))
    if not reason.strip():
        refuse(_("Give the reason."), "reason")
    election.state, election.answer, election.decided_by = State.RETURNED, reason.strip(), by
    election.save(update_fields=["state", "answer", "decided_by"])
    return election


POSTS = {Race.COMMITTEE: Post.COMMITTEE_MEMBER, Race.SECRETARY: Post.SECRETARY,
         Race.DEPUTY: Post.DEPUTY_SECRETARY}  # fmt: skip


@transaction.atomic
def election_approve(*, election: Election, on: datetime.date | None = None,
                     by=None) -> Election:  # fmt: skip
    """The result stands: the previous holders' posts end on the election day, the new
    holders take office that day, and the term starts again with its length by kind."""
    election = Election.objects.select_for_update().select_related("meeting").get(pk=election.pk)
    if election.state != State.SUBMITTED:
        refuse(_("Only a submitted election can be approved."))
    result = count(election)
    if not result.valid:
        refuse(" ".join(result.problems))
    day = election.meeting.on
    organization = Organization.objects.select_for_update().get(pk=election.organization_id)
    for position in Position.objects.filter(organization=organization, ended_on__isnull=True):
        position_end(position=position, on=max(day, position.started_on))
    for race, chosen in result.elected.items():
        for candidate in chosen:
            position_assign(position=Position(organization=organization, member=candidate.member,
                                              post=POSTS[race], started_on=day))  # fmt: skip
    organization.term_elected_on, organization.term_years, organization.term_ends_on = (
        day,
        None,
        None,
    )
    organization_update(organization=organization, fields=["term_elected_on"])
    election.state, election.decided_by = State.APPROVED, by
    election.approved_on = on or timezone.localdate()
    election.save(update_fields=["state", "decided_by", "approved_on"])
    reminders.refresh(organization)
    return election
