"""What is due next for each person in the procedure, and the reminders built from it."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy

from members.choices import Status
from members.models import Member
from members.tallies import own_tallies, subtree_tallies
from organizations.models import Policy
from reminders.models import Reminder

from .history import History, probation_ends
from .models import StepKind
from .reminders import IN_PROCEDURE, SOURCE_NAME
from .services import PREREQUISITES, REPEATABLE, held_back_by_rejection, may_record_again

K = StepKind
BOARD_STATUSES = [Status.APPLICANT, Status.ACTIVIST, Status.TARGET, Status.PROBATIONARY]


def possible_steps(
    history: History, pending: set[str], policy: Policy, today: datetime.date
) -> list[str]:
    """Steps whose prerequisites are in force and that are not recorded or waiting yet (or
    may be done again: a failed meeting, a lapsed pre-review)."""
    kinds = []
    for kind in StepKind.values:
        if kind in pending or held_back_by_rejection(kind, history):
            continue
        done = kind not in REPEATABLE and history.has(kind)
        if done and not may_record_again(kind, today, history, policy):
            continue
        if all(history.has(k) for k in PREREQUISITES[kind]):
            kinds.append(kind)
    if history.has(K.CONVERSION_APPROVAL) or history.has(K.PROBATION_CANCELLED):
        kinds = [k for k in kinds if k in (K.ARCHIVED,)]
    return kinds


def people_in_procedure(members: QuerySet[Member]) -> QuerySet[Member]:
    """Applicants to probationary members, with their running limits in one extra query."""
    return (
        members.filter(status__in=IN_PROCEDURE)
        .select_related("organization")
        .prefetch_related(
            Prefetch("reminders", Reminder.objects.filter(source=SOURCE_NAME), "dues")
        )
        .order_by("name", "id")
    )


@dataclass
class Card:
    member: Member
    dues: list[Reminder]

    @property
    def next_due(self) -> Reminder | None:
        return self.dues[0] if self.dues else None


def board(members: QuerySet[Member], counts: dict[str, int], limit: int = 8):
    """Columns by stage: (status, label, count, cards). Counts are exact (the subtree's kept
    counts, members.tallies); each column shows its first `limit` cards, the rest one stage
    at a time, page by page (stage_cards)."""
    columns = []
    for status in BOARD_STATUSES:
        people = people_in_procedure(members.filter(status=status))[:limit]
        column_cards = [Card(m, list(m.dues)) for m in people]
        columns.append((status, Status(status).label, counts.get(status, 0), column_cards))
    return columns


def stage_cards(members: QuerySet[Member], status: str, page_number) -> tuple:
    """One stage's people, 50 a page, as cards: (page, cards)."""
    page = Paginator(people_in_procedure(members.filter(status=status)), 50).get_page(page_number)
    return page, [Card(m, list(m.dues)) for m in page.object_list]


def stage_counts(organization) -> tuple[dict[str, int], list[tuple]]:
    """People by status in the organization's subtree (the board's stages and the party
    members), and each active child's row of stages: from the kept counts, the children's
    subtrees summed over the closure table and the organization's own added to them (one
    row per organization below, not one per person, and the subtree not joined twice)."""
    children = list(organization.children.in_tree_order().only("name", "code", "status"))
    below = subtree_tallies([c.pk for c in children])
    total = own_tallies(organization.pk)
    for counts in below.values():
        for status, n in counts.items():
            total[status] += n
    rows = [(child, [below[child.pk][s] for s in BOARD_STATUSES])
            for child in children if child.status == "active"]  # fmt: skip
    return total, rows


# The five stages of the procedure and their steps in order (domain.md section 2); step 21,
# the year of probation, is not recorded but follows from the admission meeting.
PROBATION_YEAR = "probation_year"
STAGES: list[tuple[str, list[str]]] = [
    (gettext_lazy("Application"), [K.APPLICATION, K.APPLICANT_TALK]),
    (gettext_lazy("Activist"), [K.ACTIVIST_SELECTED, K.ACTIVIST_FILED, K.CONTACTS_ASSIGNED,
                                K.ACTIVIST_REVIEW]),
    (gettext_lazy("Development target"), [K.TARGET_SELECTED, K.INTRODUCERS, K.POLITICAL_REVIEW,
                                          K.TRAINING]),
    (gettext_lazy("Admission"), [K.BRANCH_REVIEW, K.PRE_REVIEW, K.APPLICATION_FORM,
                                 K.ADMISSION_MEETING, K.COMMITTEE_TALK, K.ADMISSION_APPROVAL,
                                 K.ADMISSION_FILED]),
    (gettext_lazy("Probation and conversion"), [K.ASSIGNED, K.OATH, PROBATION_YEAR,
                                                K.CONVERSION_APPLICATION, K.CONVERSION_MEETING,
                                                K.CONVERSION_APPROVAL, K.ARCHIVED]),
]  # fmt: skip


@dataclass(frozen=True)
class TimelineStep:
    kind: str
    label: str
    state: str  # done, waiting (for the superior), next (may be recorded now), ahead
    on: datetime.date | None = None
    until: datetime.date | None = None


@dataclass(frozen=True)
class TimelineStage:
    label: str
    steps: list[TimelineStep]
    current: bool

    @property
    def done(self) -> bool:
        return all(s.state == "done" for s in self.steps)


def timeline(history: History, pending: set[str], next_kinds: list[str], policy: Policy,
             today: datetime.date) -> list[TimelineStage]:  # fmt: skip
    """The 25 steps in their 5 stages, each done (with its date), waiting for the superior,
    possible now, or ahead, and the stage where the person stands: the one the last decisive
    step in force opened (steps a branch may skip, like 18 and 19, do not hold it back)."""
    stages = []
    for label, kinds in STAGES:
        steps = [_timeline_step(kind, history, pending, next_kinds, policy, today)
                 for kind in kinds]  # fmt: skip
        stages.append((label, steps))
    current = _current_stage(history)
    return [
        TimelineStage(str(label), steps, current=i == current)
        for i, (label, steps) in enumerate(stages)
    ]


# The step that opens each stage after the first (index in STAGES).
OPENS_STAGE = [(K.ADMISSION_APPROVAL, 4), (K.BRANCH_REVIEW, 3), (K.TARGET_SELECTED, 2),
               (K.ACTIVIST_SELECTED, 1)]  # fmt: skip


def _current_stage(history: History) -> int | None:
    if history.has(K.ARCHIVED) or history.has(K.PROBATION_CANCELLED):
        return None  # the procedure is over
    return next((stage for kind, stage in OPENS_STAGE if history.has(kind)), 0)


def _timeline_step(kind, history, pending, next_kinds, policy, today) -> TimelineStep:
    if kind == PROBATION_YEAR:
        meeting, ends = history.last(K.ADMISSION_MEETING), probation_ends(history, policy)
        label = str(gettext_lazy("21 probation of one year"))
        if ends is None:
            return TimelineStep(kind, label, "ahead")
        state = "done" if ends <= today or history.has(K.CONVERSION_APPROVAL) else "waiting"
        return TimelineStep(kind, label, state, on=meeting.on, until=ends)
    step = history.last(kind)
    label = StepKind(kind).label
    if step is not None:
        return TimelineStep(kind, label, "done", on=step.on)
    if kind in pending:
        return TimelineStep(kind, label, "waiting")
    return TimelineStep(kind, label, "next" if kind in next_kinds else "ahead")
