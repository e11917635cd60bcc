"""The vote rule of the branch member meeting (domain.md section 2, steps 15 and 23).

Quorum: full members present > 1/2 of those who should attend. The candidate passes with
yes votes (written opinions of absent members included) > 1/2 of those who should attend.
Probationary members have no vote and are not counted.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import Vote


@dataclass(frozen=True)
class VoteResult:
    quorum: bool
    passed: bool
    reason: str


def check_vote_counts(vote: Vote) -> None:
    """Refuse numbers that cannot be: more present than should attend, and so on."""
    errors = {}
    if vote.present > vote.should_attend:
        errors["present"] = _("More members present than should attend.")
    if vote.yes + vote.no + vote.abstain > vote.present:
        errors["yes"] = _("More ballots than members present.")
    if vote.written_yes + vote.written_no > vote.should_attend - min(
        vote.present, vote.should_attend
    ):
        errors["written_yes"] = _("More written opinions than absent members.")
    if vote.should_attend == 0:
        errors["should_attend"] = _("At least one full member should attend.")
    if errors:
        raise ValidationError(errors)


def vote_result(vote: Vote) -> VoteResult:
    """Quorum and result, with the reason in plain words."""
    half = vote.should_attend / 2
    if vote.present <= half:
        return VoteResult(
            quorum=False,
            passed=False,
            reason=_(
                "No quorum: %(present)s of %(should)s full members present; more than half "
                "must be present."
            )
            % {"present": vote.present, "should": vote.should_attend},
        )
    yes = vote.yes + vote.written_yes
    if yes <= half:
        return VoteResult(
            quorum=True,
            passed=False,
            reason=_(
                "Not passed: %(yes)s yes votes of %(should)s full members who should attend; "
                "more than half are needed."
            )
            % {"yes": yes, "should": vote.should_attend},
        )
    return VoteResult(
        quorum=True,
        passed=True,
        reason=_("Passed: %(yes)s yes votes of %(should)s full members who should attend.")
        % {"yes": yes, "should": vote.should_attend},
    )
