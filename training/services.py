"""Writes of training classes: the class, its participants and who completed it; a completed
class of development targets records each participant's training step (development), with
the class's dates and hours."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from development.models import StepKind
from development.services import step_record
from members.choices import Status
from members.models import Member
from organizations.models import Organization
from partybuild.validators import refuse, refuse_future

from .models import Participant, TrainingClass


@transaction.atomic
def class_create(*, training: TrainingClass, by=None) -> TrainingClass:
    if training.ends_on < training.starts_on:
        refuse(_("A class cannot end before it starts."), "ends_on")
    training.recorded_by = by
    training.save()
    return training


def eligible_members(training: TrainingClass):
    """Who may take part: the organizer's subtree's people in the registry's care."""
    return Member.objects.current().filter(
        organization__in=Organization.objects.subtree_of(training.organizer_id).values("pk")
    )


@transaction.atomic
def participants_set(*, training: TrainingClass, members: list[Member],
                     completed: set[int]) -> None:  # fmt: skip
    """The class's participants, and which of them completed it (on or after its last day)."""
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    allowed = set(eligible_members(training).filter(pk__in=[m.pk for m in members])
                  .values_list("pk", flat=True))  # fmt: skip
    outside = [m.name for m in members if m.pk not in allowed]
    if outside:
        refuse(
            _("Not in the organizer's organizations: %(names)s.") % {"names": "、".join(outside)}
        )
    if completed and training.completed_on is None:
        refuse(_("Record the class as completed first."))
    training.participants.exclude(member__in=members).delete()
    for member in members:
        done = {"completed": member.pk in completed}
        Participant.objects.update_or_create(training=training, member=member, defaults=done)


@transaction.atomic
def class_complete(*, training: TrainingClass, on: datetime.date) -> TrainingClass:
    training = TrainingClass.objects.select_for_update().get(pk=training.pk)
    refuse_future(on)
    if on < training.ends_on:
        refuse(_("The class ends on %(day)s.") % {"day": training.ends_on.isoformat()}, "on")
    training.completed_on = on
    training.save(update_fields=["completed_on"])
    training.participants.update(completed=True)
    return training


@dataclass
class Filled:
    recorded: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def fill_steps(*, training: TrainingClass, by=None) -> Filled:
    """Record the centralized-training step of every development target who completed the
    class, with its last day, days and hours; the step's own rules decide (a person not yet
    at that step, or a class too short, is listed with the reason)."""
    result = Filled()
    training = TrainingClass.objects.get(pk=training.pk)
    if training.completed_on is None:
        refuse(_("Record the class as completed first."))
    done = training.participants.filter(completed=True, member__status=Status.TARGET)
    for participant in done.select_related("member").order_by("member__name_pinyin"):
        member = participant.member
        if member.development_steps.filter(kind=StepKind.TRAINING).exists():
            continue
        try:
            with transaction.atomic():
                step_record(member=member, kind=StepKind.TRAINING, on=training.ends_on, by=by,
                            training_days=training.days, training_hours=training.hours)  # fmt: skip
        except ValidationError as exc:
            result.refused.append((member.name, " ".join(exc.messages)))
        else:
            result.recorded.append(member.name)
    return result


def hours_in(year: int, member_ids, up_to: datetime.date | None = None) -> dict[int, int]:
    """Class hours of completed classes ended in the year (up to a day), by member."""
    ends = Q(training__ends_on__year=year)
    if up_to is not None:
        ends &= Q(training__ends_on__lte=up_to)
    rows = (
        Participant.objects.filter(ends, member_id__in=member_ids, completed=True)
        .values("member_id").annotate(hours=Sum("training__hours")).order_by()
    )  # fmt: skip
    return {row["member_id"]: row["hours"] for row in rows}
