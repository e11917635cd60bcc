"""Everything that changes party groups, meetings and attendance.

Who should attend comes from the registry as of the meeting's day (the dated membership
records, group places and posts), never from today's lists. A meeting keeps the counts of its
attendance rows; `attendance_save` refreshes them in the same transaction.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from members.choices import Status
from members.models import Member, MembershipRecord
from organizations.models import Organization, Position

from . import reminders
from .models import COMMITTEE_FROM, DECIDING, Attendance, GroupMembership, Kind, Meeting, PartyGroup

PARTY_MEMBER_STATUSES = (Status.FULL, Status.PROBATIONARY)


# -- party groups ----------------------------------------------------------------------------


@transaction.atomic
def group_create(*, organization: Organization, name: str, started_on: datetime.date,
                 leader: Member | None = None) -> PartyGroup:  # fmt: skip
    if not organization.is_branch:
        raise ValidationError(_("Party groups belong to a branch."))
    if PartyGroup.objects.filter(organization=organization, name=name,
                                 ended_on__isnull=True).exists():  # fmt: skip
        raise ValidationError({"name": _("The branch already has a group of this name.")})
    group = PartyGroup.objects.create(organization=organization, name=name,
                                      started_on=started_on, leader=leader)  # fmt: skip
    if leader is not None:
        group_join(group=group, member=leader, on=started_on)
    reminders.refresh(organization)
    return group


@transaction.atomic
def group_join(*, group: PartyGroup, member: Member, on: datetime.date) -> GroupMembership:
    """Place the member in the group from the day, leaving any other group of the branch."""
    if member.organization_id != group.organization_id:
        raise ValidationError(_("Only members of the group's branch can join it."))
    current = GroupMembership.objects.select_for_update().filter(
        member=member, ended_on__isnull=True
    )
    for place in current:
        if place.group_id == group.pk:
            raise ValidationError(_("%(name)s is in this group already.") % {"name": member.name})
        if on < place.started_on:
            raise ValidationError(_("The date is before the member joined the current group."))
        place.ended_on = on
        place.save(update_fields=["ended_on"])
    return GroupMembership.objects.create(group=group, member=member, started_on=on)


@transaction.atomic
def group_leave(*, group: PartyGroup, member: Member, on: datetime.date) -> None:
    place = GroupMembership.objects.select_for_update().filter(
        group=group, member=member, ended_on__isnull=True
    ).first()  # fmt: skip
    if place is None:
        raise ValidationError(_("%(name)s is not in this group.") % {"name": member.name})
    if on < place.started_on:
        raise ValidationError(_("The date is before the member joined the group."))
    place.ended_on = on
    place.save(update_fields=["ended_on"])


def group_members(group: PartyGroup, day: datetime.date):
    """The group's members on the day."""
    return Member.objects.filter(
        Q(group_memberships__ended_on__isnull=True) | Q(group_memberships__ended_on__gt=day),
        group_memberships__group=group, group_memberships__started_on__lte=day,
    )  # fmt: skip


# -- who should attend -----------------------------------------------------------------------


def committee_members(organization: Organization, day: datetime.date) -> set[int]:
    """The people holding a post of the organization on the day."""
    return set(
        Position.objects.current(day).filter(organization=organization)
        .values_list("member_id", flat=True)
    )  # fmt: skip


def has_committee(organization: Organization, day: datetime.date) -> bool:
    return len(committee_members(organization, day)) >= COMMITTEE_FROM


def should_attend(organization: Organization, kind: str, day: datetime.date,
                  group: PartyGroup | None = None) -> list[tuple[int, bool]]:  # fmt: skip
    """(member id, probationary) of those who should attend a meeting on the day: the branch's
    party members then, a group's members then, or the committee's members then."""
    records = MembershipRecord.objects.as_of(day).filter(status__in=PARTY_MEMBER_STATUSES)
    if kind == Kind.GROUP_MEETING:
        if group is None:
            raise ValidationError({"group": _("Choose the party group.")})
        records = records.filter(member__in=group_members(group, day))
    else:
        records = records.filter(organization=organization)
    if kind == Kind.COMMITTEE_MEETING:
        records = records.filter(member_id__in=committee_members(organization, day))
    rows = records.values_list("member_id", "status").order_by("member__name_pinyin", "member_id")
    return [(member_id, status == Status.PROBATIONARY) for member_id, status in rows]


# -- meetings --------------------------------------------------------------------------------


def _check(meeting: Meeting) -> None:
    errors = {}
    if meeting.kind == Kind.GROUP_MEETING and meeting.group_id is None:
        errors["group"] = _("Choose the party group.")
    if meeting.group_id and meeting.group.organization_id != meeting.organization_id:
        errors["group"] = _("The group is not of this branch.")
    if meeting.kind == Kind.COMMITTEE_MEETING and not has_committee(meeting.organization,
                                                                     meeting.on):  # fmt: skip
        errors["kind"] = _("The branch has no committee on this date (fewer than 3 posts held).")
    if meeting.kind == Kind.PARTY_LESSON and not meeting.lecturer:
        errors["lecturer"] = _("Say who gave the lesson.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_create(*, meeting: Meeting, by=None) -> Meeting:
    """Record a meeting (planned or held) with its list of who should attend, everyone
    present until the attendance says otherwise."""
    if meeting.kind in DECIDING:
        meeting.decides = meeting.decides or meeting.kind == Kind.COMMITTEE_MEETING
    _check(meeting)
    meeting.recorded_by = by
    meeting.save()
    people = should_attend(meeting.organization, meeting.kind, meeting.on, meeting.group)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, member_id=m, probationary=p) for m, p in people]
    )
    _count(meeting)
    reminders.refresh(meeting.organization)
    return meeting


@dataclass(frozen=True)
class Mark:
    state: str
    reason: str = ""
    excluded: bool = False


@transaction.atomic
def attendance_save(*, meeting: Meeting, marks: dict[int, Mark], held: bool = True,
                    by=None) -> Meeting:  # fmt: skip
    """Record who came (by attendance row id); the meeting is then held. A deciding meeting
    is refused without its quorum, and nothing is saved."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    rows = {a.pk: a for a in meeting.attendance.all()}
    problems = []
    for pk, mark in marks.items():
        row = rows.get(pk)
        if row is None:
            continue
        if mark.state == Attendance.State.LEAVE and not mark.reason:
            problems.append(_("Give the reason for the leave of %(name)s.")
                            % {"name": row.member.name})  # fmt: skip
        if mark.excluded and not mark.reason:
            problems.append(_("Give the reason why %(name)s is not counted as should attend.")
                            % {"name": row.member.name})  # fmt: skip
        row.state, row.reason, row.excluded = mark.state, mark.reason, mark.excluded
    if problems:
        raise ValidationError(problems)
    Attendance.objects.bulk_update(list(rows.values()), ["state", "reason", "excluded"])
    meeting.held = held
    meeting.recorded_by = by
    meeting.save(update_fields=["held", "recorded_by", "recorded_at"])
    _count(meeting)
    if held:
        quorum_check(meeting)
    reminders.refresh(meeting.organization)
    return meeting


def _count(meeting: Meeting) -> None:
    counted = ~Q(excluded=True)
    present = Q(state=Attendance.State.PRESENT)
    voter = Q(probationary=False) & counted
    counts = meeting.attendance.aggregate(
        n_should=Count("id"),
        n_present=Count("id", filter=present & counted),
        n_leave=Count("id", filter=Q(state=Attendance.State.LEAVE) & counted),
        n_excluded=Count("id", filter=Q(excluded=True)),
        n_voters=Count("id", filter=voter),
        n_voters_present=Count("id", filter=voter & present),
    )
    meeting.should_attend, meeting.present = counts["n_should"], counts["n_present"]
    meeting.on_leave, meeting.excluded = counts["n_leave"], counts["n_excluded"]
    meeting.voters_should = counts["n_voters"]
    meeting.voters_present = counts["n_voters_present"]
    meeting.save(update_fields=["should_attend", "present", "on_leave", "excluded",
                                "voters_should", "voters_present"])  # fmt: skip


@dataclass(frozen=True)
class Quorum:
    should: int
    present: int

    @property
    def valid(self) -> bool:
        """More than half of those who should attend are present."""
        return self.present * 2 > self.should


def quorum(meeting: Meeting) -> Quorum:
    """Of a committee meeting: its members; of a member meeting: the full members (the
    probationary have no vote); both after the exclusions the rules allow."""
    if meeting.kind == Kind.COMMITTEE_MEETING:
        return Quorum(meeting.counted, meeting.present)
    return Quorum(meeting.voters_should, meeting.voters_present)


def quorum_check(meeting: Meeting) -> None:
    if not meeting.decides:
        return
    q = quorum(meeting)
    if not q.valid:
        raise ValidationError(
            _(
                "No quorum: %(present)s present of %(should)s who should attend; a meeting that "
                "decides needs more than half (%(needed)s)."
            )
            % {"present": q.present, "should": q.should, "needed": q.should // 2 + 1}
        )


# -- who comes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberAttendance:
    member: Member
    listed: int
    present: int
    leave: int
    absent: int

    @property
    def rate(self):
        from partybuild.numbers import percent

        return percent(self.present, self.listed - self.leave)


def attendance_by_member(organization: Organization, first: datetime.date,
                         last: datetime.date) -> list[MemberAttendance]:  # fmt: skip
    """Each person's record at the branch's held meetings in the span, lowest rate first
    (leave with a reason and exclusions are not held against anyone)."""
    rows = (
        Attendance.objects.filter(
            meeting__organization=organization,
            meeting__held=True,
            meeting__on__gte=first,
            meeting__on__lte=last,
            excluded=False,
        )
        .values("member_id")
        .annotate(
            listed=Count("id"),
            present=Count("id", filter=Q(state=Attendance.State.PRESENT)),
            leave=Count("id", filter=Q(state=Attendance.State.LEAVE)),
            absent=Count("id", filter=Q(state=Attendance.State.ABSENT)),
        )
        .order_by()
    )
    people = Member.objects.in_bulk([r["member_id"] for r in rows])
    found = [MemberAttendance(people[r["member_id"]], r["listed"], r["present"], r["leave"],
                              r["absent"]) for r in rows]  # fmt: skip
    return sorted(found, key=lambda a: (a.rate is None, a.rate or 0, a.member.name_pinyin))


def months_back(day: datetime.date, count: int) -> list[tuple[datetime.date, datetime.date]]:
    """The `count` whole calendar months before the day's month, oldest first."""
    spans, end = [], day.replace(day=1) - datetime.timedelta(days=1)
    for _month in range(count):
        start = end.replace(day=1)
        spans.append((start, end))
        end = start - datetime.timedelta(days=1)
    return spans[::-1]


def absent_without_leave(organization: Organization, day: datetime.date,
                         months: int = 6) -> list[Member]:  # fmt: skip
    """Members listed at the branch's meetings in each of the last `months` whole months who
    came to none of them and asked leave for none: the rules treat this like unpaid dues."""
    spans = months_back(day, months)
    rows = Attendance.objects.filter(
        meeting__organization=organization,
        meeting__held=True,
        meeting__on__gte=spans[0][0],
        meeting__on__lte=spans[-1][1],
        excluded=False,
    ).values_list("member_id", "meeting__on", "state")  # fmt: skip
    listed: dict[int, set[int]] = {}
    excused: dict[int, set[int]] = {}
    for member_id, on, state in rows:
        month = on.year * 12 + on.month
        listed.setdefault(member_id, set()).add(month)
        if state != Attendance.State.ABSENT:
            excused.setdefault(member_id, set()).add(month)
    every = {start.year * 12 + start.month for start, _end in spans}
    ids = [m for m, seen in listed.items() if seen == every and not excused.get(m)]
    return list(Member.objects.filter(pk__in=ids).order_by("name_pinyin"))
