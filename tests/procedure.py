"""The development procedure's happy path, shared by the development tests."""

import datetime

from development.models import StepKind, Vote

D = datetime.date
K = StepKind


def passing_vote(should: int = 10) -> Vote:
    return Vote(should_attend=should, present=should, yes=should, no=0)


# The happy path, step by step; `walk(person, upto)` stops before `upto`.
def happy_path(tree, introducers):
    return [
        (K.APPLICATION, D(2024, 3, 1), {}),
        (K.APPLICANT_TALK, D(2024, 3, 15), {}),
        (K.ACTIVIST_SELECTED, D(2024, 4, 1), {"channel": "members"}),
        (K.ACTIVIST_FILED, D(2024, 4, 5), {}),
        (K.CONTACTS_ASSIGNED, D(2024, 4, 5), {"people": introducers[:1]}),
        (K.ACTIVIST_REVIEW, D(2024, 10, 1), {}),
        (K.TARGET_SELECTED, D(2025, 4, 1), {
            "publicity_from": D(2025, 3, 24), "publicity_to": D(2025, 3, 28),
            "approving_organization": tree.p1}),
        (K.INTRODUCERS, D(2025, 4, 10), {"people": introducers}),
        (K.POLITICAL_REVIEW, D(2025, 4, 15), {}),
        (K.TRAINING, D(2025, 5, 10), {"training_days": 3}),
        (K.BRANCH_REVIEW, D(2025, 6, 1), {}),
        (K.PRE_REVIEW, D(2025, 6, 10), {"approving_organization": tree.p1}),
        (K.APPLICATION_FORM, D(2025, 6, 12), {}),
        (K.ADMISSION_MEETING, D(2025, 7, 1), {"vote": "pass"}),
        (K.COMMITTEE_TALK, D(2025, 7, 15), {}),
        (K.ADMISSION_APPROVAL, D(2025, 8, 1), {"approving_organization": tree.p1}),
        (K.OATH, D(2025, 8, 10), {}),
        (K.CONVERSION_APPLICATION, D(2026, 6, 1), {}),
        (K.CONVERSION_MEETING, D(2026, 7, 2), {"vote": "pass"}),
        (K.CONVERSION_APPROVAL, D(2026, 8, 1), {"approving_organization": tree.p1}),
    ]  # fmt: skip
