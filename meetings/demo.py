"""The demo's organizational life: every branch's meetings of the year up to the anchor day.

Member meetings and party lessons each quarter, a theme party day each month, committee
meetings each month where the branch holds a committee, with realistic attendance. Some
branches miss months (one in seven skips theme days in spring, one in eleven misses the
second quarter's member meeting), so the compliance matrix shows both colours.

Meetings are loaded with COPY, attendance with one INSERT … SELECT and the meetings' counts
with one UPDATE from one grouped pass over it, their keys checked and indexes built once at the end
(partybuild.bulk.bulk_load): a few statements whatever the size.
"""

import datetime

from django.db import connection
from django.db.models import Count

from members.models import MembershipRecord
from organizations.models import BRANCH_KINDS, Organization, Position
from partybuild.bulk import bulk_load, copy_rows

from .models import COMMITTEE_FROM, Attendance, Kind, Meeting

TOPICS = {
    Kind.MEMBER_MEETING: "学习贯彻党的路线方针政策，通报支部工作",
    Kind.COMMITTEE_MEETING: "研究支部近期工作安排",
    Kind.PARTY_LESSON: "书记讲党课：加强党性修养",
    Kind.THEME_DAY: "主题党日：重温入党誓词",
}


def demo_meetings(anchor: datetime.date, recorded_at: datetime.datetime) -> int:
    """Create the year's meetings of every branch up to the anchor; returns how many."""
    branches = list(Organization.objects.filter(kind__in=BRANCH_KINDS, status="active")
                    .values_list("pk", flat=True).order_by("pk"))  # fmt: skip
    committees = {
        row["organization_id"]
        for row in Position.objects.filter(organization_id__in=branches, ended_on__isnull=True)
        .values("organization_id").annotate(n=Count("id")).filter(n__gte=COMMITTEE_FROM)
    }  # fmt: skip
    rows = []
    for i, branch in enumerate(branches):
        for month in range(1, anchor.month + 1):
            for kind, day in _due(i, month, branch in committees):
                on = datetime.date(anchor.year, month, day)
                if on <= anchor:
                    rows.append(_row(branch, kind, on, recorded_at))
    with bulk_load(Meeting, Attendance):
        copy_rows(Meeting, rows)
        _attendance(anchor.year)
    return len(rows)


def _due(i: int, month: int, has_committee: bool) -> list[tuple[str, int]]:
    """The meetings branch number i holds in the month, with their day."""
    held = []
    if not (i % 7 == 3 and month in (3, 4, 5)):
        held.append((Kind.THEME_DAY, 5 + i % 20))
    if has_committee and not (i % 13 == 6 and month == 8):
        held.append((Kind.COMMITTEE_MEETING, 3 + i % 5))
    if month % 3 == 0:
        if not (i % 11 == 5 and month == 6):
            held.append((Kind.MEMBER_MEETING, 20 + i % 8))
        held.append((Kind.PARTY_LESSON, 12 + i % 10))
    return held


def _row(branch: int, kind: str, on: datetime.date, recorded_at) -> dict:
    return {
        "organization_id": branch, "group_id": None, "kind": str(kind), "on": on,
        "starts_at": datetime.time(15, 0), "place": "党员活动室", "host": "", "recorder": "",
        "lecturer": "支部书记" if kind == Kind.PARTY_LESSON else "",
        "lecturer_is_secretary": kind == Kind.PARTY_LESSON, "topic": TOPICS[kind],
        "minutes": "", "decides": kind == Kind.COMMITTEE_MEETING, "held": True,
        "recorded_by_id": None, "recorded_at": recorded_at,
    }  # fmt: skip


def _attendance(year: int) -> None:
    """Who should attend each meeting (the registry as of its day: the branch's party
    members, or the committee's holders of posts), about one in nine absent and one in
    thirteen on leave; then each meeting's counts."""
    meetings, records = Meeting._meta.db_table, MembershipRecord._meta.db_table
    positions, attendance = Position._meta.db_table, Attendance._meta.db_table
    state = """CASE WHEN (r.member_id + m.id) %% 13 = 0 THEN 'leave'
                    WHEN (r.member_id + m.id) %% 9 = 0 THEN 'absent' ELSE 'present' END"""
    in_force = 'r.started_on <= m."on" AND (r.ended_on IS NULL OR r.ended_on > m."on")'
    committee = f"""EXISTS (SELECT 1 FROM {positions} p WHERE p.organization_id = m.organization_id
        AND p.member_id = r.member_id AND p.started_on <= m."on"
        AND (p.ended_on IS NULL OR p.ended_on > m."on"))"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {attendance} (meeting_id, member_id, probationary, state, reason,
                    excluded)
                SELECT m.id, r.member_id, r.status = 'probationary', {state},
                       CASE WHEN (r.member_id + m.id) %% 13 = 0 THEN '出差' ELSE '' END, %s
                FROM {meetings} m JOIN {records} r ON r.organization_id = m.organization_id
                WHERE m."on" >= %s AND m."on" <= %s AND {in_force}
                  AND r.status IN ('full', 'probationary')
                  AND (m.kind <> 'committee_meeting' OR {committee})""",
            [False, datetime.date(year, 1, 1), datetime.date(year, 12, 31)],
        )
        counted, present = "NOT a.excluded", "a.state = 'present'"
        voter = f"NOT a.probationary AND {counted}"
        cursor.execute(
            f"""UPDATE {meetings} SET should_attend = c.should, present = c.present,
                    on_leave = c.on_leave, voters_should = c.voters,
                    voters_present = c.voters_present
                FROM (SELECT a.meeting_id, COUNT(*) AS should,
                             COUNT(*) FILTER (WHERE {present} AND {counted}) AS present,
                             COUNT(*) FILTER (WHERE a.state = 'leave' AND {counted}) AS on_leave,
                             COUNT(*) FILTER (WHERE {voter}) AS voters,
                             COUNT(*) FILTER (WHERE {voter} AND {present}) AS voters_present
                      FROM {attendance} a GROUP BY a.meeting_id) c
                WHERE c.meeting_id = {meetings}.id""",
        )
