"""Plausible development histories for the demo's applicants to probationary members.

Rows are written straight to the table (COPY on PostgreSQL): a large demo holds about 24,000
people in the procedure. Dates lie before the demo's anchor and follow the procedure's order;
some limits are left running or overdue so that the reminders have something to show.
"""

import datetime
import random

from members.choices import Status
from partybuild.dates import add_months

from .models import Approval, StepKind

K = StepKind
APPROVED_KINDS = {K.TARGET_SELECTED, K.PRE_REVIEW, K.ADMISSION_APPROVAL}


def _path(status: str, since: datetime.date, rng: random.Random, anchor: datetime.date):
    """(kind, date) pairs for one person who reached `status` on `since`."""
    day = datetime.timedelta(days=1)
    if status == Status.APPLICANT:
        steps = [(K.APPLICATION, since)]
        if rng.random() < 0.8 and since + 25 * day < anchor:
            steps.append((K.APPLICANT_TALK, since + rng.randint(5, 25) * day))
        return steps
    if status == Status.ACTIVIST:
        steps = [(K.APPLICATION, since - 90 * day), (K.APPLICANT_TALK, since - 70 * day),
                 (K.ACTIVIST_SELECTED, since), (K.CONTACTS_ASSIGNED, since + 7 * day)]  # fmt: skip
        review = add_months(since, 6)
        while review < anchor and rng.random() < 0.9:
            steps.append((K.ACTIVIST_REVIEW, review))
            review = add_months(review, 6)
        return steps
    activist = add_months(since, -14)
    steps = [(K.APPLICATION, activist - 90 * day), (K.APPLICANT_TALK, activist - 70 * day),
             (K.ACTIVIST_SELECTED, activist), (K.CONTACTS_ASSIGNED, activist + 7 * day),
             (K.ACTIVIST_REVIEW, add_months(activist, 6)), (K.TARGET_SELECTED, since)]  # fmt: skip
    if status == Status.TARGET:
        return steps
    # Probationary: `since` is the admission meeting's date.
    target = add_months(since, -4)
    steps[-1] = (K.TARGET_SELECTED, target)
    steps += [(K.INTRODUCERS, target + 10 * day), (K.POLITICAL_REVIEW, target + 30 * day),
              (K.TRAINING, target + 40 * day), (K.BRANCH_REVIEW, target + 60 * day),
              (K.PRE_REVIEW, since - 25 * day), (K.APPLICATION_FORM, since - 20 * day),
              (K.ADMISSION_MEETING, since), (K.COMMITTEE_TALK, since + 10 * day),
              (K.ADMISSION_APPROVAL, since + 20 * day)]  # fmt: skip
    if rng.random() < 0.9 and since + 40 * day < anchor:
        steps.append((K.OATH, since + 40 * day))
    return steps


def demo_steps(people: list[dict], anchor: datetime.date, recorded_at, seed: int = 7) -> list:
    """Step rows for the people in the procedure among the demo's member rows."""
    rng = random.Random(seed)
    rows = []
    in_procedure = {Status.APPLICANT, Status.ACTIVIST, Status.TARGET, Status.PROBATIONARY}
    for person in people:
        if person["status"] not in in_procedure:
            continue
        since = person["joined_on"] or person["_since"]
        for kind, on in _path(person["status"], since, rng, anchor):
            if on > anchor:
                continue
            rows.append(_row(person["id"], kind, on, recorded_at))
    return rows


def _row(member_id: int, kind: str, on: datetime.date, recorded_at) -> dict:
    return {
        "member_id": member_id, "kind": str(kind), "on": on, "note": "", "attachment": "",
        "attachment_name": "",
        "channel": "members" if kind == K.ACTIVIST_SELECTED else "", "publicity_from": None,
        "publicity_to": None, "training_days": 5 if kind == K.TRAINING else None,
        "training_hours": None, "approving_organization_id": None, "special_case": False,
        "extension_months": None, "vote_id": None,
        "approval": Approval.APPROVED.value if kind in APPROVED_KINDS else "",
        "decided_by_id": None, "decided_at": None, "return_reason": "", "recorded_by_id": None,
        "recorded_at": recorded_at,
    }  # fmt: skip
