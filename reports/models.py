"""The statistics: runs, snapshots, figures."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.models import JobStatus

from .dimensions import COLUMNS


class RunTrigger(models.TextChoices):
    NIGHTLY = "nightly", _("nightly")
    CHANGE = "change", _("after changes")
    MANUAL = "manual", _("on request")
    COMMAND = "command", _("command")


class StatsRun(models.Model):
    """One computation of the statistics as of a date; builds one snapshot."""

    as_of = models.DateField(_("as of"))
    trigger = models.CharField(_("trigger"), max_length=12, choices=RunTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    parts_total = models.PositiveSmallIntegerField(default=0)
    parts_done = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "as_of"])]

    def __str__(self) -> str:
        return f"stats {self.as_of} #{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """Percent done: the parts, then the combining step counts as one more part."""
        if self.status == JobStatus.DONE:
            return 100
        return int(100 * self.parts_done / (self.parts_total + 1)) if self.parts_total else 0


class Snapshot(models.Model):
    """The figures of every organization as of a date, written by one run.

    A run fills its own snapshot while it is not current; the last step makes it current
    and deletes the one it replaces, in one transaction. Readers only read current ones,
    so a failed or killed run leaves the previous figures in place.
    """

    as_of = models.DateField(_("as of"))
    run = models.OneToOneField(StatsRun, on_delete=models.CASCADE, related_name="snapshot")
    is_current = models.BooleanField(default=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    development_year = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["as_of"],
                condition=models.Q(is_current=True),
                name="one_current_snapshot_per_date",
            )
        ]

    def __str__(self) -> str:
        return f"snapshot {self.as_of} #{self.pk}"


class Figures(models.Model):
    """Counts of one organization in one snapshot: its own (subtree=False) or its subtree's.

    The count columns are added below from reports/dimensions.py, the single list of what
    is counted; the engine fills them with SQL built from the same list.
    """

    # Derived rows, written 30,000 at a time: no database foreign keys, whose checks at
    # commit cost more than the computation (the ORM still deletes them with the snapshot).
    # No index of the snapshot alone either: one_figures_row leads with it, and with both
    # the planner read a snapshot's own and subtree rows where it wanted one kind.
    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="figures", db_constraint=False,
        db_index=False,
    )  # fmt: skip
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    subtree = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["snapshot", "subtree", "organization"], name="one_figures_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.snapshot_id}/{self.organization_id}/{'subtree' if self.subtree else 'own'}"


# Counts without a CHECK (>= 0) each: only the engine writes them, by COUNT and SUM, and
# 120 checks on each of 30,000 rows were a third of the cost of writing a snapshot.
for _column in COLUMNS:
    _field = models.BigIntegerField if _column.big else models.IntegerField
    Figures.add_to_class(_column.name, _field(_column.label, default=0))


class EthnicGroupCount(models.Model):
    """Minority members by ethnic group, own and subtree, for one snapshot."""

    snapshot = models.ForeignKey(
        Snapshot, on_delete=models.CASCADE, related_name="+", db_constraint=False,
        db_index=False,  # the index (snapshot, organization) leads with it
    )  # fmt: skip
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
    )
    subtree = models.BooleanField()
    ethnicity = models.CharField(max_length=2)
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["snapshot", "organization"])]

    def __str__(self) -> str:
        return f"{self.snapshot_id}/{self.organization_id}/{self.ethnicity}: {self.count}"
