"""Training classes and who completed them: the activists' and development targets' classes of
the development procedure, secretaries' training, members' study (hours of the year)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.models import user_link
from partybuild.validators import no_control_characters


class Kind(models.TextChoices):
    ACTIVISTS = "activists", _("activists' class")
    TARGETS = "targets", _("development targets' class")
    SECRETARIES = "secretaries", _("secretaries' training")
    STUDY = "study", _("members' study")


PIPELINE_KINDS = (Kind.ACTIVISTS, Kind.TARGETS)  # people trained for the development procedure


class TrainingClass(models.Model):
    organizer = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="training_classes",
        verbose_name=_("organizer"),
    )  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=120, validators=[no_control_characters])
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.PositiveSmallIntegerField(_("days"), validators=[MaxValueValidator(366)])
    hours = models.PositiveSmallIntegerField(
        _("class hours"), validators=[MinValueValidator(1), MaxValueValidator(2000)]
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training class")
        verbose_name_plural = _("training classes")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["ends_on", "kind"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                   name="training_ends_after_it_starts"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on}–{self.ends_on})"


class Participant(models.Model):
    training = models.ForeignKey(TrainingClass, on_delete=models.CASCADE,
                                 related_name="participants")  # fmt: skip
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT,
                               related_name="trainings", verbose_name=_("participant"))  # fmt: skip
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["training", "member__name_pinyin", "id"]
        constraints = [
            models.UniqueConstraint(fields=["training", "member"], name="a_participant_once"),
        ]

    def __str__(self) -> str:
        return f"{self.training_id} · {self.member_id}"
