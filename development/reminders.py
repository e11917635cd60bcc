"""The time limits running for each person in the procedure, kept as Reminder rows.

`dues_of` works the limits out from a person's steps; `refresh` stores them after every
change to the steps (the services call it in the same transaction) and `rebuild` does it for
everyone when the rules change. Pages then list and count what is due with one query.
"""

import datetime

from django.db import connection
from django.db.models import QuerySet

from members.choices import PIPELINE_STATUSES, Status
from members.models import Member
from organizations.models import Organization, OrganizationClosure, Policy
from partybuild.dates import add_months

from .history import History, probation_ends
from .models import Approval, DueKind, Reminder, Step, StepKind

K = StepKind
IN_PROCEDURE = [*PIPELINE_STATUSES, Status.PROBATIONARY]
MEETING_OF_APPROVAL = {
    K.ADMISSION_APPROVAL: K.ADMISSION_MEETING,
    K.CONVERSION_APPROVAL: K.CONVERSION_MEETING,
}


def dues_of(member: Member, steps: list[Step], policy: Policy) -> list[Reminder]:
    """The limits running for one person, unsaved, soonest first (domain.md section 2)."""
    history = History.from_steps(steps)
    dues: list[Reminder] = []
    lead = datetime.timedelta(days=policy.reminder_lead_days)

    def due(kind: str, on: datetime.date, step: Step | None = None, remind: int | None = None):
        ahead = lead if remind is None else datetime.timedelta(days=remind)
        reminder = Reminder(member=member, organization_id=member.organization_id, kind=kind,
                            step=step, due_on=on, remind_from=on - ahead)  # fmt: skip
        dues.append(reminder)

    application = history.last(K.APPLICATION)
    if application and not history.has(K.APPLICANT_TALK):
        due(DueKind.APPLICANT_TALK, add_months(application.on, policy.applicant_talk_months))
    selected = history.last(K.ACTIVIST_SELECTED)
    if selected and member.status == Status.ACTIVIST:
        last_review = history.last(K.ACTIVIST_REVIEW) or selected
        due(DueKind.ACTIVIST_REVIEW, add_months(last_review.on, policy.activist_review_months))
    approval = history.last(K.ADMISSION_APPROVAL)
    if approval and not history.has(K.OATH):
        due(DueKind.OATH, add_months(approval.on, policy.oath_months))
    ends = probation_ends(history, policy)
    if ends and not (history.has(K.CONVERSION_APPROVAL) or history.has(K.PROBATION_CANCELLED)):
        due(DueKind.PROBATION_ENDS, ends, remind=policy.probation_warning_days)
    for step in steps:
        if step.approval == Approval.PENDING:
            meeting = history.last(MEETING_OF_APPROVAL.get(step.kind, ""))
            start = meeting.on if meeting else step.on
            due(DueKind.APPROVAL, add_months(start, policy.approval_months), step)
    return sorted(dues, key=lambda d: d.due_on)


def refresh(member: Member) -> None:
    """Store the person's limits again after their steps changed."""
    Reminder.objects.filter(member=member).delete()
    member = Member.objects.get(pk=member.pk)
    if member.status in IN_PROCEDURE:
        steps = list(member.development_steps.select_related("vote").order_by("on", "id"))
        Reminder.objects.bulk_create(dues_of(member, steps, Policy.current()))


def rebuild(batch: int = 5000) -> int:
    """Store everyone's limits again (after the rules changed). Returns the rows written.

    People are read in primary-key ranges and their steps by the same range (not by a list
    of ids), which stays fast even before the planner has statistics (right after a load).
    """
    policy = Policy.current()
    Reminder.objects.all().delete()
    people = Member.objects.filter(status__in=IN_PROCEDURE).order_by("pk")
    written, last_pk = 0, 0
    while chunk := list(people.filter(pk__gt=last_pk)[:batch]):
        first_pk, last_pk = chunk[0].pk, chunk[-1].pk
        steps: dict[int, list[Step]] = {}
        in_range = Step.objects.filter(member__gte=first_pk, member__lte=last_pk)
        for step in in_range.select_related("vote").order_by("on", "id"):
            steps.setdefault(step.member_id, []).append(step)
        rows = [r for m in chunk for r in dues_of(m, steps.get(m.pk, []), policy)]
        Reminder.objects.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


def due(reminders: QuerySet[Reminder], today: datetime.date) -> QuerySet[Reminder]:
    """Limits to show today (people who left the procedure have none)."""
    return reminders.filter(remind_from__lte=today)


def member_changed(member: Member) -> None:
    """Follow a move or a departure recorded in the registry."""
    if member.status in IN_PROCEDURE:
        Reminder.objects.filter(member=member).update(organization_id=member.organization_id)
    else:
        Reminder.objects.filter(member=member).delete()


def counts_by_organization(
    organizations: list[Organization], today: datetime.date
) -> dict[int, tuple[int, int]]:
    """For each organization: (people with something due, people overdue) in its subtree.

    People are counted per organization that holds them, then summed up the closure table:
    one query whose cost follows the number of reminders due, not the size of the subtrees.
    Reminders of people who left the procedure are deleted (development.tasks), so no join
    with the registry is needed.
    """
    if not organizations:
        return {}
    sql = f"""
        WITH per_organization AS (
            SELECT organization_id,
                   COUNT(DISTINCT member_id) AS due,
                   COUNT(DISTINCT member_id) FILTER (WHERE due_on < %s) AS overdue
            FROM {Reminder._meta.db_table}
            WHERE remind_from <= %s
            GROUP BY organization_id
        )
        SELECT c.ancestor_id, SUM(p.due), SUM(p.overdue)
        FROM per_organization p
        JOIN {OrganizationClosure._meta.db_table} c ON c.descendant_id = p.organization_id
        WHERE c.ancestor_id IN ({", ".join(["%s"] * len(organizations))})
        GROUP BY c.ancestor_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [today, today, *(o.pk for o in organizations)])
        return {pk: (int(due), int(overdue)) for pk, due, overdue in cursor.fetchall()}
