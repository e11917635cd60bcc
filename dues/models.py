"""A member's dues basis: what they owe a month from a month on (domain.md section 4)."""

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partybuild.models import user_link

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
    recorded_by = user_link()
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


class Opening(models.Model):
    """Dues paid up to, as a transfer letter states it: a member who arrives owes from the
    month after (issue 16's transfers write it; the registry's transfer-in form too)."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="dues_opening"
    )
    paid_up_to = models.DateField(_("dues paid up to (month)"))  # the month's first day
    source = models.CharField(_("source"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("dues paid up to on arrival")
        verbose_name_plural = _("dues paid up to on arrival")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.paid_up_to:%Y-%m}"


class Method(models.TextChoices):
    CASH = "cash", _("cash")
    BANK = "bank", _("bank transfer")
    ONLINE = "online", _("online")


class Payment(models.Model):
    """One receipt: the months it covers, from first to last month, and what was paid."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )  # the branch that collected it
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"))
    months = models.PositiveSmallIntegerField(_("months"))
    amount = models.DecimalField(_("amount"), **MONEY)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=8, choices=Method.choices,
                              default=Method.CASH)  # fmt: skip
    proxy = models.CharField(_("paid by proxy (name)"), max_length=50, blank=True)
    consent = models.BooleanField(_("the member consented to the proxy"), default=False)
    back_reason = models.CharField(_("reason for a longer back payment"), max_length=200,
                                   blank=True)  # fmt: skip
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=models.Q(last_month__gte=models.F("first_month")),
                name="payment_months_in_order",
            ),
        ]
        indexes = [models.Index(fields=["organization", "paid_on"], name="payments_of_branch")]

    def __str__(self) -> str:
        return f"{self.number} · {self.member_id} · {self.amount}"

    @property
    def number(self) -> str:
        """The receipt number: the year and the payment's id."""
        return f"{self.paid_on:%Y}-{self.pk:07d}"


class Due(models.Model):
    """One month a member owes: the ledger line that the collection grid, the arrears and
    the figures read. The month's branch is kept so that the collection of an organization
    stays with it when the member moves on; paid_on is set when a payment covers it."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # first day
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    amount = models.DecimalField(_("amount due"), **MONEY)
    paid = models.DecimalField(_("amount paid"), null=True, blank=True, **MONEY)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment = models.ForeignKey(
        Payment, null=True, blank=True, on_delete=models.SET_NULL, related_name="dues"
    )

    class Meta:
        verbose_name = _("month of dues")
        verbose_name_plural = _("months of dues")
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="one_due_a_month"),
        ]
        indexes = [
            models.Index(fields=["organization", "month"], name="dues_of_branch"),
            # The arrears: the few unpaid months, by member.
            models.Index(fields=["member", "month"], name="unpaid_dues",
                         condition=models.Q(paid_on__isnull=True)),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.member_id} · {self.month:%Y-%m} · {self.amount}"


class Excuse(models.Model):
    """A good reason (illness, hardship) the branch recorded for a member's unpaid months:
    while it is in force the member is not listed under the six-month rule."""

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("illness")
        HARDSHIP = "hardship", _("financial hardship")
        OTHER = "other", _("other good reason")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    from_month = models.DateField(_("from the month"))
    until_month = models.DateField(_("until the month"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = user_link()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("good reason for unpaid dues")
        verbose_name_plural = _("good reasons for unpaid dues")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.reason} · {self.from_month:%Y-%m}"

    def covers(self, month: datetime.date) -> bool:
        return self.from_month <= month and (self.until_month is None or month <= self.until_month)


class Lapse(models.Model):
    """The branch's decision that a member who paid nothing for six months without a good
    reason is treated as having left the party; the superior approves, then the registry
    removes the member from the roll (domain.md section 4)."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("waiting for the superior")
        RETURNED = "returned", _("returned")
        DONE = "done", _("carried out")

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("decided by the member meeting on"))
    unpaid_from = models.DateField(_("unpaid since the month"))
    unpaid_months = models.PositiveSmallIntegerField(_("months unpaid"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices,
                               default=Outcome.PENDING)  # fmt: skip
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True)
    recorded_by = user_link()
    decided_by = user_link()

    class Meta:
        verbose_name = _("handling of six months unpaid")
        verbose_name_plural = _("handlings of six months unpaid")

    def __str__(self) -> str:
        return f"{self.member_id} · {self.outcome}"


class Standing(models.Model):
    """A member's arrears (dues.arrears) as of the last refresh: derived from the ledger and
    stored so that a whole city's list is one indexed, paginated query. Refreshed for a
    member whenever their ledger, good reasons or decisions change, and for everyone when a
    month closes (StandingRefresh says which month the rows are of)."""

    member = models.OneToOneField(
        "members.Member", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )  # the member's branch
    count = models.PositiveSmallIntegerField(_("months unpaid"))
    amount = models.DecimalField(_("amount owed"), **MONEY)
    oldest = models.DateField(_("oldest unpaid month"))
    newest = models.DateField()
    running = models.PositiveSmallIntegerField(_("consecutive"))
    run_from = models.DateField(null=True, blank=True)
    listed = models.BooleanField(default=False)
    excuse = models.ForeignKey(Excuse, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")  # fmt: skip
    lapse = models.ForeignKey(Lapse, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")  # fmt: skip

    class Meta:
        indexes = [models.Index(fields=["organization", "oldest"], name="standing_by_branch")]

    def __str__(self) -> str:
        return f"{self.member_id} · {self.count} · {self.amount}"


class StandingRefresh(models.Model):
    """The month whose closed months the standings count (refreshed when a month closes)."""

    month = models.DateField(unique=True)

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


class MonthTotal(models.Model):
    """What an organization's members owed for a month and have paid, in whole fen: kept in
    step with the ledger (dues.totals) so that the statistics of today read one narrow row
    per organization and month instead of summing millions of ledger rows."""

    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.CASCADE, related_name="+"
    )
    month = models.DateField()
    owed = models.BigIntegerField(default=0)  # fen
    paid = models.BigIntegerField(default=0)  # fen

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="one_total_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} · {self.month:%Y-%m} · {self.owed}/{self.paid}"
