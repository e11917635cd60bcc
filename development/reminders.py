"""The time limits running for each person in the procedure: a source of reminders.

`dues_of` works the limits out from a person's steps; `refresh` stores them after every
change to the steps (the services call it in the same transaction) and `rebuild` does it for
everyone when the rules change (reminders.sources).
"""

import datetime
from collections.abc import Iterator

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.choices import PIPELINE_STATUSES, Status
from members.models import Member
from organizations.models import Policy
from partybuild.dates import add_months
from reminders import services as store
from reminders.models import Reminder
from reminders.sources import Source

from .history import History, probation_ends
from .models import Approval, DueKind, Step, StepKind

K = StepKind
IN_PROCEDURE = [*PIPELINE_STATUSES, Status.PROBATIONARY]
SOURCE_NAME = "development"
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
        reminder = Reminder(source=SOURCE_NAME, member=member, kind=kind, due_on=on,
                            organization_id=member.organization_id, remind_from=on - ahead,
                            subject_id=step.pk if step else None)  # fmt: skip
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
    member = Member.objects.get(pk=member.pk)
    dues = []
    if member.status in IN_PROCEDURE:
        steps = list(member.development_steps.select_related("vote").order_by("on", "id"))
        dues = dues_of(member, steps, Policy.current())
    store.replace(SOURCE_NAME, [store.as_row(due) for due in dues], member=member)


def rebuild(today: datetime.date, batch: int = 5000) -> Iterator[list[dict]]:
    """Everyone's limits, a batch of people at a time (after the rules changed).

    People are read in primary-key ranges and their steps by the same range (not by a list
    of ids), which stays fast even before the planner has statistics (right after a load).
    """
    policy = Policy.current()
    people = Member.objects.filter(status__in=IN_PROCEDURE).order_by("pk")
    last_pk = 0
    while chunk := list(people.filter(pk__gt=last_pk)[:batch]):
        first_pk, last_pk = chunk[0].pk, chunk[-1].pk
        steps: dict[int, list[Step]] = {}
        in_range = Step.objects.filter(member__gte=first_pk, member__lte=last_pk)
        for step in in_range.select_related("vote").order_by("on", "id"):
            steps.setdefault(step.member_id, []).append(step)
        yield [store.as_row(r) for m in chunk for r in dues_of(m, steps.get(m.pk, []), policy)]


def member_changed(member: Member) -> None:
    """A person who left the procedure (admitted and converted, or gone) has no limits."""
    if member.status not in IN_PROCEDURE:
        Reminder.objects.filter(source=SOURCE_NAME, member=member).delete()
        store.written_now()


SOURCE = Source(
    name=SOURCE_NAME,
    label=_("Development"),
    rebuild=rebuild,
    describe=lambda reminder: DueKind(reminder.kind).label,
    link=lambda reminder: reverse("development:person", args=[reminder.member_id]),
    subjects={"*": "development.Step"},
)
