"""Elections of an organization's committee, secretary and deputy (domain.md section 1)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.models import user_link
from partybuild.validators import no_control_characters


class State(models.TextChoices):
    DRAFT = "draft", _("being entered")
    SUBMITTED = "submitted", _("waiting for the superior's approval")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned by the superior")


class Race(models.TextChoices):
    COMMITTEE = "committee", _("committee member")
    SECRETARY = "secretary", _("secretary")
    DEPUTY = "deputy", _("deputy secretary")


class Election(models.Model):
    """A re-election (换届选举) held at a member meeting of the organization. Where there is
    a committee (seats > 0) the meeting elects it and the committee elects the secretary and
    deputy; otherwise the meeting elects them. The superior approves the result, and the
    posts and the term follow (elections.services)."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="elections",
        verbose_name=_("organization"),
    )  # fmt: skip
    meeting = models.ForeignKey(
        "meetings.Meeting", on_delete=models.PROTECT, related_name="elections",
        verbose_name=_("member meeting"),
    )  # fmt: skip
    committee_seats = models.PositiveSmallIntegerField(
        _("committee seats"), default=0,
        help_text=_("0 where the organization has no committee: the meeting elects the "
                    "secretary (and a deputy) directly."),
    )  # fmt: skip
    state = models.CharField(_("state"), max_length=12, choices=State.choices,
                             default=State.DRAFT)  # fmt: skip
    answer = models.CharField(_("reason given"), max_length=200, blank=True,
                              validators=[no_control_characters])  # fmt: skip
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    recorded_by = user_link()
    decided_by = user_link()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-meeting__on", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.meeting_id} · {self.state}"

    @property
    def held_on(self):
        return self.meeting.on


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    race = models.CharField(_("for"), max_length=12, choices=Race.choices)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("candidate"))  # fmt: skip
    votes = models.PositiveIntegerField(_("yes votes"), default=0)
    elected = models.BooleanField(_("elected"), default=False)

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["election", "race", "-votes", "id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "race", "member"],
                                    name="a_candidate_once_per_race"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.election_id} · {self.race} · {self.member_id} · {self.votes}"
