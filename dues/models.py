"""A member's dues basis: what they owe a month from a month on (domain.md section 4)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .rules import Category

MONEY = {"max_digits": 10, "decimal_places": 2}


class Basis(models.Model):
    """Set once a year for each full or probationary member, and again on joining or when
    their circumstances change (with a reason). The basis in force for a month is the latest
    one starting in or before it."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="dues_bases"
    )
    starts = models.DateField(_("from the month"))  # the month's first day
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    base = models.DecimalField(
        _("base (after-tax monthly pay or pension)"), null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.00"))], **MONEY,
    )  # fmt: skip
    rule_amount = models.DecimalField(_("amount the rules ask"), null=True, blank=True, **MONEY)
    amount = models.DecimalField(
        _("monthly amount"), validators=[MinValueValidator(Decimal("0.00"))], **MONEY
    )
    # Paying less than the rules ask needs the branch's recorded decision.
    decision = models.CharField(_("branch decision to pay less"), max_length=200, blank=True)
    reason = models.CharField(_("reason for the change"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues basis")
        verbose_name_plural = _("dues bases")
        constraints = [
            models.UniqueConstraint(fields=["member", "starts"], name="one_basis_a_month"),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0), name="dues_amount_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["member", "-starts"], name="basis_in_force")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.starts:%Y-%m} · {self.amount}"

    @property
    def voluntary(self) -> bool:
        """Pays more than the rules ask."""
        return self.rule_amount is not None and self.amount > self.rule_amount
