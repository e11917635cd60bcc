"""What is due next for each person in the procedure, and the reminders built from it."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from members.choices import PIPELINE_STATUSES, Status
from members.models import Member
from organizations.models import Policy
from partybuild.dates import add_months

from .models import Approval, Step, StepKind
from .services import PREREQUISITES, REPEATABLE, History, probation_ends

K = StepKind
BOARD_STATUSES = [Status.APPLICANT, Status.ACTIVIST, Status.TARGET, Status.PROBATIONARY]


@dataclass(frozen=True)
class Due:
    kind: str
    label: str
    due_on: datetime.date
    today: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < self.today

    @property
    def days_left(self) -> int:
        return (self.due_on - self.today).days


def possible_steps(history: History, pending: set[str]) -> list[str]:
    """Steps whose prerequisites are in force and that are not recorded or waiting yet."""
    kinds = []
    for kind in StepKind.values:
        if kind in pending or (kind not in REPEATABLE and history.has(kind)):
            continue
        if all(history.has(k) for k in PREREQUISITES[kind]):
            kinds.append(kind)
    if history.has(K.CONVERSION_APPROVAL) or history.has(K.PROBATION_CANCELLED):
        kinds = [k for k in kinds if k in (K.ARCHIVED,)]
    return kinds


def dues_of(member: Member, steps: list[Step], policy: Policy, today: datetime.date) -> list[Due]:
    """The time limits running for one person (domain.md section 2)."""
    history = History([s for s in steps if s.in_force])
    dues = []

    def due(kind, label, on):
        dues.append(Due(kind=kind, label=str(label), due_on=on, today=today))

    application = history.last(K.APPLICATION)
    if application and not history.has(K.APPLICANT_TALK):
        due(K.APPLICANT_TALK, _("talk with the applicant"),
            add_months(application.on, policy.applicant_talk_months))  # fmt: skip
    selected = history.last(K.ACTIVIST_SELECTED)
    if selected and member.status == Status.ACTIVIST:
        last_review = history.last(K.ACTIVIST_REVIEW) or selected
        due(K.ACTIVIST_REVIEW, _("half-yearly review"),
            add_months(last_review.on, policy.activist_review_months))  # fmt: skip
    approval = history.last(K.ADMISSION_APPROVAL)
    if approval and not history.has(K.OATH):
        due(K.OATH, _("oath"), add_months(approval.on, policy.oath_months))
    ends = probation_ends(history, policy)
    probation_running = not (
        history.has(K.CONVERSION_APPROVAL) or history.has(K.PROBATION_CANCELLED)
    )
    if ends and probation_running and (ends - today).days <= policy.probation_warning_days:
        due(K.CONVERSION_MEETING, _("probation ends"), ends)
    for step in steps:
        if step.approval == Approval.PENDING:
            meeting_kind = {K.ADMISSION_APPROVAL: K.ADMISSION_MEETING,
                            K.CONVERSION_APPROVAL: K.CONVERSION_MEETING}.get(step.kind)  # fmt: skip
            meeting = history.last(meeting_kind) if meeting_kind else None
            start = meeting.on if meeting else step.on
            due(step.kind, _("waiting for the superior's approval"),
                add_months(start, policy.approval_months))  # fmt: skip
    return sorted(dues, key=lambda d: d.due_on)


def people_in_procedure(members: QuerySet[Member]) -> QuerySet[Member]:
    """Applicants to probationary members, with their steps in one extra query."""
    return (
        members.filter(status__in=[*PIPELINE_STATUSES, Status.PROBATIONARY])
        .select_related("organization")
        .prefetch_related(Prefetch("development_steps", queryset=Step.objects.order_by("on", "id")))
        .order_by("name", "id")
    )


@dataclass
class Card:
    member: Member
    dues: list[Due]

    @property
    def next_due(self) -> Due | None:
        return self.dues[0] if self.dues else None


def cards(members: QuerySet[Member], today: datetime.date | None = None) -> list[Card]:
    today = today or datetime.date.today()
    policy = Policy.current()
    return [
        Card(m, dues_of(m, list(m.development_steps.all()), policy, today))
        for m in people_in_procedure(members)
    ]


def board(members: QuerySet[Member], today: datetime.date | None = None, limit: int = 100):
    """Columns by stage: (status, label, count, cards). Counts are exact; each column shows
    at most `limit` cards (a committee's subtree can hold thousands of people)."""
    today = today or datetime.date.today()
    policy = Policy.current()
    counts = dict(
        members.filter(status__in=BOARD_STATUSES)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    columns = []
    for status in BOARD_STATUSES:
        people = people_in_procedure(members.filter(status=status))[:limit]
        column_cards = [
            Card(m, dues_of(m, list(m.development_steps.all()), policy, today)) for m in people
        ]
        columns.append((status, Status(status).label, counts.get(status, 0), column_cards))
    return columns


def reminders(members: QuerySet[Member], today: datetime.date | None = None) -> list[Card]:
    """People with a limit overdue or falling due within 30 days, most urgent first."""
    today = today or datetime.date.today()
    urgent = [c for c in cards(members, today) if c.next_due and c.next_due.days_left <= 30]
    return sorted(urgent, key=lambda c: c.next_due.due_on)


def stage_counts_by_child(organization, members: QuerySet[Member]) -> list[tuple]:
    """For each child organization: people in each stage of its subtree, in one query."""
    children = list(organization.children.filter(status="active").in_tree_order())
    key = "organization__ancestor_links__ancestor_id"
    rows = (
        members.filter(status__in=BOARD_STATUSES, **{f"{key}__in": [c.pk for c in children]})
        .values(key, "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row[key], {})[row["status"]] = row["n"]
    return [
        (child, [counts.get(child.pk, {}).get(s, 0) for s in BOARD_STATUSES]) for child in children
    ]
