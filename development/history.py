"""A person's steps in force, and the dates that follow from them."""

import datetime
from dataclasses import dataclass, field

from members.models import Member
from organizations.models import Policy
from partybuild.dates import add_months

from .models import Step, StepKind

K = StepKind


@dataclass
class History:
    """A person's steps in force, by kind (oldest first)."""

    steps: list[Step] = field(default_factory=list)

    @classmethod
    def of(cls, member: Member) -> "History":
        steps = member.development_steps.select_related("vote").order_by("on", "id")
        return cls([s for s in steps if s.in_force])

    def last(self, kind: str) -> Step | None:
        found = [s for s in self.steps if s.kind == kind]
        return found[-1] if found else None

    def has(self, kind: str) -> bool:
        return self.last(kind) is not None


def probation_ends(history: History, policy: Policy) -> datetime.date | None:
    """Probation counts from the admission meeting: one year plus any extension."""
    meeting = history.last(K.ADMISSION_MEETING)
    if meeting is None or not history.has(K.ADMISSION_APPROVAL):
        return None
    end = add_months(meeting.on, policy.probation_months)
    extension = history.last(K.PROBATION_EXTENDED)
    return add_months(end, extension.extension_months) if extension else end
