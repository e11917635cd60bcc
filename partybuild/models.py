"""What every app shares: the audit trail (kept, never edited) and background jobs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    LOGIN = "login", _("logged in")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKOUT = "lockout", _("locked out")
    LOGOUT = "logout", _("logged out")
    SESSION_EXPIRED = "session_expired", _("session expired")
    PASSWORD_CHANGED = "password_changed", _("changed own password")
    ACCOUNT_CREATED = "account_created", _("account created")
    ACCOUNT_DEACTIVATED = "account_deactivated", _("account deactivated")
    ACCOUNT_REACTIVATED = "account_reactivated", _("account reactivated")
    PASSWORD_RESET = "password_reset", _("password reset")
    ROLE_GRANTED = "role_granted", _("role granted")
    ROLE_REVOKED = "role_revoked", _("role revoked")
    ID_REVEALED = "id_revealed", _("full ID number viewed")
    ID_CHANGED = "id_changed", _("ID number changed")
    EXPORT = "export", _("export")
    IMPORT = "import", _("import")
    APPROVAL = "approval", _("approval")
    PAYMENT_CANCELLED = "payment_cancelled", _("dues payment cancelled")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("Audit events are never changed.")

    def delete(self):
        raise TypeError("Audit events are never deleted.")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("user"),
    )  # fmt: skip
    username = models.CharField(_("login name"), max_length=150, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    summary = models.CharField(_("what"), max_length=300, blank=True)
    # The organization whose scope the action concerned (no foreign key: an event outlives
    # the organization and this table sits below the organizations app).
    organization_id = models.BigIntegerField(_("organization"), null=True, blank=True)
    detail = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"], name="audit_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("Audit events are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Audit events are never deleted.")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Job(models.Model):
    """Work too long for a request (an export, an import), run by a worker for its user.

    The user who started it is the only one who sees it. An export leaves a `file`; an
    import reads its `upload` and leaves its outcome in `result`.
    """

    kind = models.CharField(_("kind"), max_length=32)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    params = models.JSONField(default=dict)
    status = models.CharField(
        _("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="exports/%Y/%m/", blank=True)
    upload = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def opens(self) -> str:
        """A job that does work rather than make a file (e.g. opening a city-wide campaign)
        leaves the address of what it made; its page goes there when done."""
        return self.result.get("next", "") if isinstance(self.result, dict) else ""

    @property
    def is_work(self) -> bool:
        return bool(self.params.get("work"))

    @property
    def is_import(self) -> bool:
        return not self.is_work and (bool(self.params.get("lines")) or bool(self.result))


def user_link() -> models.ForeignKey:
    """Who recorded or decided something: the account, kept as nothing when the account is
    deleted (the audit trail keeps the name)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
