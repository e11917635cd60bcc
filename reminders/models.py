"""What is due, for a person or for an organization, kept as rows every page can count.

Each app that watches time limits is a source (reminders.sources): it works out its rows
whenever what it watches changes and stores them here, so that the tree, the branch page
and the reminders list count and list everything due with one indexed query, whatever
app it comes from.
"""

from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


class Reminder(models.Model):
    """Something due on a day, shown from an earlier day (and, for a period's duty, no
    longer once the period is over)."""

    # The source that keeps the row (reminders.sources), and its own code for what is due.
    source = models.CharField(_("kind of work"), max_length=20)
    kind = models.CharField(_("time limit"), max_length=30)
    # The organization that must act: the person's own, kept in step when they move.
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.CASCADE,
        related_name="reminders",
    )  # fmt: skip
    # The source's own record it is about (a step waiting for approval, a party group).
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject_name = models.CharField(max_length=100, blank=True)
    # For a duty of a period (a meeting of the month): the period's first day.
    period_from = models.DateField(null=True, blank=True)
    due_on = models.DateField(_("due"))
    remind_from = models.DateField(_("shown from"), db_index=True)
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["due_on", "id"]
        # Lists of what is due walk this index and stop at the page's end instead of
        # sorting every reminder of the subtree (whole city: 131 -> 78 ms, bench/foundation).
        indexes = [
            models.Index(fields=["due_on", "member", "id"], name="reminders_due_order"),
            models.Index(fields=["source", "organization"], name="reminders_source_org"),
        ]

    def __str__(self) -> str:
        return f"{self.source} · {self.kind} · {self.due_on}"

    @cached_property
    def _source(self):
        from .sources import source

        return source(self.source)

    @property
    def label(self) -> str:
        return self._source.describe(self)

    @property
    def link(self) -> str:
        return self._source.link(self)

    @property
    def who(self) -> str:
        """Whom it is about: the person, else the party group, else the organization."""
        if self.member_id:
            return self.member.name
        return self.subject_name or self.organization.name

    @property
    def overdue(self) -> bool:
        return self.due_on < timezone.localdate()

    @property
    def days_left(self) -> int:
        return (self.due_on - timezone.localdate()).days

    @property
    def period_months(self) -> int:
        """How many months the period of a period's duty spans (0 for other reminders)."""
        if self.period_from is None:
            return 0
        start, end = self.period_from, self.due_on
        return (end.year - start.year) * 12 + end.month - start.month + 1
