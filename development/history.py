"""A person's steps in force, and the dates that follow from them."""

import datetime
from dataclasses import dataclass, field

from members.models import Member
from organizations.models import Policy
from partybuild.dates import add_months

from .models import Step, StepKind
from .votes import vote_result

K = StepKind


# A quorate vote that fails rejects the candidate, who is a development target again: the
# branch review, the pre-review and the application form are done anew before another vote.
# A meeting without quorum decided nothing and is simply held again.
REDONE_AFTER_REJECTION: dict[str, tuple[str, ...]] = {
    K.ADMISSION_MEETING: (K.BRANCH_REVIEW, K.PRE_REVIEW, K.APPLICATION_FORM),
}


@dataclass
class History:
    """A person's steps in force, by kind (oldest first), and the meetings that failed.

    A meeting whose vote did not pass stays in the record (`failed`) but is not in force:
    the next steps and the time limits count from the meeting that passed.
    """

    steps: list[Step] = field(default_factory=list)
    failed: list[Step] = field(default_factory=list)

    @classmethod
    def of(cls, member: Member) -> "History":
        return cls.from_steps(member.development_steps.select_related("vote").order_by("on", "id"))

    @classmethod
    def from_steps(cls, steps) -> "History":
        """`steps`: all of a person's steps in date order, their votes loaded."""
        history = cls()
        for step in steps:
            if not step.in_force:
                continue
            result = vote_result(step.vote) if step.vote_id else None
            if result is None or result.passed:
                history.steps.append(step)
                continue
            history.failed.append(step)
            if result.quorum:
                redone = REDONE_AFTER_REJECTION.get(step.kind, ())
                history.steps = [s for s in history.steps if s.kind not in redone]
        return history

    def last(self, kind: str) -> Step | None:
        found = [s for s in self.steps if s.kind == kind]
        return found[-1] if found else None

    def has(self, kind: str) -> bool:
        return self.last(kind) is not None

    def last_failed(self, kind: str) -> Step | None:
        """The latest meeting of this kind that did not pass, if it came after any that did."""
        failed = [s for s in self.failed if s.kind == kind]
        passed = self.last(kind)
        if not failed or (passed and (passed.on, passed.pk) > (failed[-1].on, failed[-1].pk)):
            return None
        return failed[-1]

    def last_rejection(self, kind: str) -> Step | None:
        """The latest quorate vote of this kind that failed (a rejection, not a lack of quorum)."""
        rejected = [s for s in self.failed if s.kind == kind and vote_result(s.vote).quorum]
        return rejected[-1] if rejected else None


def probation_ends(history: History, policy: Policy) -> datetime.date | None:
    """Probation counts from the admission meeting: one year plus any extension."""
    meeting = history.last(K.ADMISSION_MEETING)
    if meeting is None or not history.has(K.ADMISSION_APPROVAL):
        return None
    end = add_months(meeting.on, policy.probation_months)
    extension = history.last(K.PROBATION_EXTENDED)
    return add_months(end, extension.extension_months) if extension else end
