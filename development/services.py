"""The development procedure's rules and transitions. Pages and the import call these only.

`step_record` checks a step against the person's earlier steps and the configurable rules
(organizations.Policy) and explains any refusal in plain words. Steps that only a party
committee may decide wait for the superior (`step_approve`, `step_return`). Registry status
changes (activist, development target, probationary, full) happen here, through the dated
member services, once the deciding step is in force.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import Status
from members.models import Member
from members.services import member_change_status, member_leave
from organizations.models import Kind, Organization, Policy
from partybuild.dates import add_months
from partybuild.validators import refuse

from . import reminders
from .history import REDONE_AFTER_REJECTION, History, probation_ends
from .models import Approval, Step, StepKind, Vote
from .votes import check_vote_counts, vote_result
from .workdays import working_days

K = StepKind

# Which in-force steps must exist before each step.
PREREQUISITES: dict[str, tuple[str, ...]] = {
    K.APPLICATION: (),
    K.APPLICANT_TALK: (K.APPLICATION,),
    K.ACTIVIST_SELECTED: (K.APPLICATION,),
    K.ACTIVIST_FILED: (K.ACTIVIST_SELECTED,),
    K.CONTACTS_ASSIGNED: (K.ACTIVIST_SELECTED,),
    K.ACTIVIST_REVIEW: (K.ACTIVIST_SELECTED,),
    K.TARGET_SELECTED: (K.ACTIVIST_SELECTED,),
    K.INTRODUCERS: (K.TARGET_SELECTED,),
    K.POLITICAL_REVIEW: (K.TARGET_SELECTED,),
    K.TRAINING: (K.TARGET_SELECTED,),
    K.BRANCH_REVIEW: (K.INTRODUCERS, K.POLITICAL_REVIEW, K.TRAINING),
    K.PRE_REVIEW: (K.BRANCH_REVIEW,),
    K.APPLICATION_FORM: (K.PRE_REVIEW,),
    K.ADMISSION_MEETING: (K.APPLICATION_FORM,),
    K.COMMITTEE_TALK: (K.ADMISSION_MEETING,),
    K.ADMISSION_APPROVAL: (K.COMMITTEE_TALK,),
    K.ADMISSION_FILED: (K.ADMISSION_APPROVAL,),
    K.ASSIGNED: (K.ADMISSION_APPROVAL,),
    K.OATH: (K.ADMISSION_APPROVAL,),
    K.CONVERSION_APPLICATION: (K.ADMISSION_APPROVAL,),
    K.CONVERSION_MEETING: (K.CONVERSION_APPLICATION,),
    K.CONVERSION_APPROVAL: (K.CONVERSION_MEETING,),
    K.ARCHIVED: (K.CONVERSION_APPROVAL,),
    K.PROBATION_EXTENDED: (K.ADMISSION_APPROVAL,),
    K.PROBATION_CANCELLED: (K.ADMISSION_APPROVAL,),
}
# Recorded more than once; the extension's own rule allows one and says so.
REPEATABLE = frozenset({K.ACTIVIST_REVIEW, K.PROBATION_EXTENDED})
# Decided by the superior: recorded as pending, in force once approved.
NEEDS_APPROVAL = frozenset(
    {K.TARGET_SELECTED, K.PRE_REVIEW, K.ADMISSION_APPROVAL, K.CONVERSION_APPROVAL}
)
# Steps that end the probationary period one way or the other.
PROBATION_ENDED = frozenset({K.CONVERSION_APPROVAL, K.PROBATION_CANCELLED})
# Steps that only make sense while the probation lasts.
DURING_PROBATION = frozenset(
    {K.PROBATION_EXTENDED, K.PROBATION_CANCELLED, K.CONVERSION_MEETING, K.CONVERSION_APPLICATION}
)
APPROVING_KINDS = frozenset({Kind.PARTY_COMMITTEE, Kind.WORKING_COMMITTEE})
MEETINGS = frozenset({K.ADMISSION_MEETING, K.CONVERSION_MEETING})


# -- rules, one function per step that has any -----------------------------------------


def _rule_application(step: Step, history: History, policy: Policy) -> None:
    member = step.member
    if member.status != Status.APPLICANT:
        refuse(_("Only a person registered as applicant can hand in an application."))
    if member.age_on(step.on) < 18:
        refuse(
            _("%(name)s was %(age)s on the date of application; an applicant must be 18 or older.")
            % {"name": member.name, "age": member.age_on(step.on)},
            "on",
        )


def _rule_target(step: Step, history: History, policy: Policy) -> None:
    selected = history.last(K.ACTIVIST_SELECTED)
    earliest = add_months(selected.on, policy.activist_min_months)
    if step.on < earliest:
        refuse(
            _(
                "An activist since %(since)s can become a development target from %(earliest)s "
                "on (at least %(months)s months of training and observation)."
            )
            % {"since": selected.on, "earliest": earliest, "months": policy.activist_min_months},
            "on",
        )
    if not (step.publicity_from and step.publicity_to):
        refuse(_("Give the first and last day of the publicity."), "publicity_from")
    days = working_days(step.publicity_from, step.publicity_to)
    if days < policy.publicity_min_workdays:
        refuse(
            _(
                "The publicity from %(start)s to %(end)s lasts %(days)s working days; at least "
                "%(minimum)s are needed (public holidays do not count)."
            )
            % {
                "start": step.publicity_from,
                "end": step.publicity_to,
                "days": days,
                "minimum": policy.publicity_min_workdays,
            },
            "publicity_to",
        )
    if step.on < step.publicity_to:
        refuse(_("The decision comes after the publicity has ended."), "on")
    _check_approver(step)


def check_people(step: Step, people: list[Member]) -> None:
    """Introducers (exactly two) and contact persons (one or two): full members in good standing."""
    if step.kind == K.INTRODUCERS and len(people) != 2:
        refuse(_("Name exactly two introducers."), "people")
    if step.kind == K.CONTACTS_ASSIGNED and not 1 <= len(people) <= 2:
        refuse(_("Name one or two contact persons."), "people")
    for person in people:
        if person.pk == step.member_id:
            refuse(_("A person cannot introduce themselves."), "people")
        full_on_date = person.status == Status.FULL and (
            person.converted_on is None or person.converted_on <= step.on
        )
        if not full_on_date:
            refuse(
                _("%(name)s is not a full member and cannot take this role.")
                % {"name": person.name},
                "people",
            )
        for action in person.disciplinary_actions.all():
            if action.in_effect_on(step.on):
                refuse(
                    _(
                        "%(name)s is under a disciplinary action (%(kind)s) and cannot take "
                        "this role until it is lifted or its period of effect ends."
                    )
                    % {"name": person.name, "kind": action.get_kind_display()},
                    "people",
                )


def _rule_training(step: Step, history: History, policy: Policy) -> None:
    days, hours = step.training_days or 0, step.training_hours or 0
    if days < policy.training_min_days and hours < policy.training_min_hours:
        refuse(
            _(
                "Centralized training must last at least %(days)s days or %(hours)s class hours; "
                "%(given_days)s days and %(given_hours)s hours were given."
            )
            % {
                "days": policy.training_min_days,
                "hours": policy.training_min_hours,
                "given_days": days,
                "given_hours": hours,
            },
            "training_days",
        )


def _rule_admission_meeting(step: Step, history: History, policy: Policy) -> None:
    pre_review = history.last(K.PRE_REVIEW)
    latest = add_months(pre_review.on, policy.meeting_after_prereview_months)
    if step.on > latest:
        refuse(
            _(
                "The branch member meeting must be held by %(latest)s, within %(months)s "
                "month(s) of the pre-review on %(pre)s; the pre-review has to be done again."
            )
            % {
                "latest": latest,
                "months": policy.meeting_after_prereview_months,
                "pre": pre_review.on,
            },
            "on",
        )


def _check_approver(step: Step) -> None:
    approver = step.approving_organization
    if approver is None:
        refuse(_("Name the party committee that decides."), "approving_organization")
    if approver.kind not in APPROVING_KINDS:
        refuse(
            _(
                "Only a party committee may decide this; a %(kind)s may not. A leading party "
                "group (党组) may not either."
            )
            % {"kind": approver.get_kind_display()},
            "approving_organization",
        )
    above = Organization.objects.filter(
        descendant_links__descendant_id=step.member.organization_id
    ).exclude(pk=step.member.organization_id)
    if not above.filter(pk=approver.pk).exists():
        refuse(
            _("The deciding committee must be above the person's branch."), "approving_organization"
        )


def _rule_approval(meeting_kind: str):
    def rule(step: Step, history: History, policy: Policy) -> None:
        _check_approver(step)
        meeting = history.last(meeting_kind)
        months = policy.approval_months_special if step.special_case else policy.approval_months
        latest = add_months(meeting.on, months)
        if step.on > latest:
            refuse(
                _(
                    "Approval must come by %(latest)s, within %(months)s months of the meeting on "
                    "%(meeting)s."
                )
                % {"latest": latest, "months": months, "meeting": meeting.on},
                "on",
            )

    return rule


def _rule_pre_review(step: Step, history: History, policy: Policy) -> None:
    _check_approver(step)


def _rule_conversion_meeting(step: Step, history: History, policy: Policy) -> None:
    waiting = held_back_by_rejection(step.kind, history)
    if waiting:
        refuse(waiting)
    ends = probation_ends(history, policy)
    if step.on < ends:
        refuse(
            _("The probation ends on %(date)s; the conversion meeting comes after it.")
            % {"date": ends},
            "on",
        )


def _rule_extension(step: Step, history: History, policy: Policy) -> None:
    if history.has(K.PROBATION_EXTENDED):
        refuse(_("Probation may be extended only once."))
    months = step.extension_months or 0
    if not policy.extension_min_months <= months <= policy.extension_max_months:
        refuse(
            _("An extension lasts from %(min)s to %(max)s months; %(months)s were given.")
            % {
                "min": policy.extension_min_months,
                "max": policy.extension_max_months,
                "months": months,
            },
            "extension_months",
        )


RULES = {
    K.APPLICATION: _rule_application,
    K.TARGET_SELECTED: _rule_target,
    K.TRAINING: _rule_training,
    K.PRE_REVIEW: _rule_pre_review,
    K.ADMISSION_MEETING: _rule_admission_meeting,
    K.ADMISSION_APPROVAL: _rule_approval(K.ADMISSION_MEETING),
    K.CONVERSION_MEETING: _rule_conversion_meeting,
    K.CONVERSION_APPROVAL: _rule_approval(K.CONVERSION_MEETING),
    K.PROBATION_EXTENDED: _rule_extension,
}


def held_back_by_rejection(kind: str, history: History) -> str | None:
    """Why a conversion vote cannot be held again yet: after a rejection the probation is
    extended (once) first, or the probationary status is cancelled (domain.md section 2)."""
    if kind != K.CONVERSION_MEETING:
        return None
    rejected = history.last_rejection(K.CONVERSION_MEETING)
    extension = history.last(K.PROBATION_EXTENDED)
    if rejected is None or (extension and extension.on >= rejected.on):
        return None
    return _(
        "The conversion vote of %(date)s did not pass. Extend the probation first (once only) "
        "and vote again when it ends, or cancel the probationary status."
    ) % {"date": rejected.on}


def may_record_again(kind: str, on: datetime.date, history: History, policy: Policy) -> bool:
    """A pre-review lapses when no member meeting passed within its time limit; the branch
    then asks for a new one (the meeting rule says so) instead of being stuck."""
    if kind != K.PRE_REVIEW or history.has(K.ADMISSION_MEETING):
        return False
    lapses = add_months(history.last(K.PRE_REVIEW).on, policy.meeting_after_prereview_months)
    return on > lapses


def _missing(kind: str, history: History) -> str:
    """Why a prerequisite is not in force: never done, set aside by a rejection, or failed."""
    for meeting_kind, redone in REDONE_AFTER_REJECTION.items():
        rejection = history.last_rejection(meeting_kind)
        if rejection and kind in redone:
            return _(
                "The vote of %(date)s rejected the candidate, who is a development target "
                "again: “%(step)s” is done anew first."
            ) % {"date": rejection.on, "step": StepKind(kind).label}
    failed = history.last_failed(kind)
    if failed is None:
        return _("“%(step)s” comes first.") % {"step": StepKind(kind).label}
    return _("The meeting of %(date)s did not pass: %(reason)s Hold the meeting again.") % {
        "date": failed.on,
        "reason": vote_result(failed.vote).reason,
    }


def _check_order(step: Step, history: History, policy: Policy) -> None:
    if step.on > timezone.localdate():
        refuse(_("The date cannot be in the future."), "on")
    for kind in PREREQUISITES[step.kind]:
        before = history.last(kind)
        if before is None:
            refuse(_missing(kind, history))
        if step.on < before.on:
            refuse(
                _("This date is before “%(step)s” (%(date)s).")
                % {"step": StepKind(kind).label, "date": before.on},
                "on",
            )
    _check_after_rejection(step, history)
    if (
        step.kind not in REPEATABLE
        and history.has(step.kind)
        and not may_record_again(step.kind, step.on, history, policy)
    ):
        refuse(_("This step is already recorded."))
    pending = step.member.development_steps.filter(kind=step.kind, approval=Approval.PENDING)
    if pending.exists():
        refuse(_("This step is already waiting for the superior's decision."))
    if step.kind in DURING_PROBATION and any(history.has(k) for k in PROBATION_ENDED):
        refuse(_("The probation has already ended."))


def _check_after_rejection(step: Step, history: History) -> None:
    """Steps done anew after a rejected admission vote come after that vote."""
    for meeting_kind, redone in REDONE_AFTER_REJECTION.items():
        rejected = history.last_rejection(meeting_kind)
        if rejected and step.kind in (*redone, meeting_kind) and step.on < rejected.on:
            refuse(
                _(
                    "The vote of %(date)s rejected the candidate; the steps that lead to a "
                    "new vote are dated after it."
                )
                % {"date": rejected.on},
                "on",
            )


@transaction.atomic
def step_record(
    *,
    member: Member,
    kind: str,
    on: datetime.date,
    by=None,
    people: list[Member] | None = None,
    vote: Vote | None = None,
    vote_names: dict | None = None,
    **details,
) -> Step:
    """Check and record one step. Raises ValidationError with the reason when refused."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    step = Step(member=member, kind=kind, on=on, recorded_by=by, **details)
    history = History.of(member)
    policy = Policy.current()
    _check_order(step, history, policy)
    if kind in MEETINGS:
        if vote is None:
            refuse(_("Enter the vote of the meeting."))
        check_vote_counts(vote)
    if kind in (K.INTRODUCERS, K.CONTACTS_ASSIGNED):
        check_people(step, people or [])
    rule = RULES.get(kind)
    if rule:
        rule(step, history, policy)
    if vote is not None:
        vote.save()
        for relation, members in (vote_names or {}).items():
            getattr(vote, relation).set(members)
        step.vote = vote
    step.approval = Approval.PENDING if kind in NEEDS_APPROVAL else Approval.NOT_NEEDED
    step.save()
    if people:
        step.people.set(people)
    if step.in_force:
        _apply(step, History.of(member), policy, by)
    reminders.refresh(member)
    return step


@transaction.atomic
def step_approve(*, step: Step, by) -> Step:
    """The superior approves a pending step; it comes into force now."""
    step = Step.objects.select_for_update().select_related("member").get(pk=step.pk)
    if step.approval != Approval.PENDING:
        refuse(_("Only a step waiting for a decision can be approved."))
    step.approval, step.decided_by, step.decided_at = Approval.APPROVED, by, timezone.now()
    step.save(update_fields=["approval", "decided_by", "decided_at"])
    _apply(step, History.of(step.member), Policy.current(), by)
    reminders.refresh(step.member)
    return step


@transaction.atomic
def step_return(*, step: Step, by, reason: str) -> Step:
    """The superior returns a pending step with a reason; the branch may record it again."""
    if not reason.strip():
        refuse(_("Say why the step is returned."), "return_reason")
    if step.approval != Approval.PENDING:
        refuse(_("Only a step waiting for a decision can be returned."))
    step.approval, step.decided_by, step.decided_at = Approval.RETURNED, by, timezone.now()
    step.return_reason = reason.strip()
    step.save(update_fields=["approval", "decided_by", "decided_at", "return_reason"])
    reminders.refresh(step.member)
    return step


def _apply(step: Step, history: History, policy: Policy, by) -> None:
    """Registry effects of a step in force: the person's status follows the procedure."""
    member = step.member
    if step.kind == K.ACTIVIST_SELECTED:
        member_change_status(member=member, status=Status.ACTIVIST, on=step.on, by=by)
    elif step.kind == K.TARGET_SELECTED:
        member_change_status(member=member, status=Status.TARGET, on=step.on, by=by)
    elif step.kind == K.ADMISSION_APPROVAL:
        # Party membership and probation count from the admission meeting's date.
        meeting = history.last(K.ADMISSION_MEETING)
        member_change_status(member=member, status=Status.PROBATIONARY, on=meeting.on, by=by)
    elif step.kind == K.CONVERSION_APPROVAL:
        # Party standing starts when the probation ends.
        ends = probation_ends(history, policy)
        member_change_status(member=member, status=Status.FULL, on=ends, by=by)
    elif step.kind == K.PROBATION_CANCELLED:
        member_leave(
            member=member,
            status=Status.PROBATION_CANCELLED,
            on=step.on,
            reason=step.note or str(StepKind(step.kind).label),
            by=by,
        )


def stage_of(member: Member) -> str:
    """The person's stage, derived from the steps in force (never typed in)."""
    history = History.of(member)
    if history.has(K.PROBATION_CANCELLED):
        return Status.PROBATION_CANCELLED
    for kind, stage in (
        (K.CONVERSION_APPROVAL, Status.FULL),
        (K.ADMISSION_APPROVAL, Status.PROBATIONARY),
        (K.TARGET_SELECTED, Status.TARGET),
        (K.ACTIVIST_SELECTED, Status.ACTIVIST),
    ):
        if history.has(kind):
            return stage
    return Status.APPLICANT
