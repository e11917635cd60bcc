"""Record audit events. Every app calls `record`; nothing else writes AuditEvent rows.

Logins, failures, logouts and lockouts are recorded from Django's and django-axes' signals;
the apps record exports, imports, reveals, account changes and approvals where they happen.
Each event also goes to the `partybuild.audit` logger (stderr by default).
"""

import logging

from django.contrib.auth import signals as auth_signals

from .models import Action, AuditEvent

logger = logging.getLogger("partybuild.audit")


def client_address(request) -> str | None:
    """The client's address as the server saw it (a proxy in front sets REMOTE_ADDR via the
    WSGI server's forwarded-for handling, not through a header the client controls)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request,
    action: str,
    *,
    user=None,
    obj=None,
    summary: str = "",
    organization_id: int | None = None,
    username: str = "",
    **detail,
) -> AuditEvent:
    """Write one event. `user` defaults to the request's user; `obj` names the object."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    event = AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user else ""),
        address=client_address(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary[:300],
        organization_id=organization_id,
        detail=detail,
    )
    logger.info(
        "%s %s %s %s:%s %s",
        event.username or "-",
        event.address or "-",
        action,
        event.object_type or "-",
        event.object_id or "-",
        summary,
    )
    return event


def _logged_in(sender, request, user, **kwargs):
    record(request, Action.LOGIN, user=user)


def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, Action.LOGOUT, user=user)


def _login_failed(sender, credentials, request=None, **kwargs):
    record(request, Action.LOGIN_FAILED, username=str(credentials.get("username", ""))[:150])


def _locked_out(sender, request, username, ip_address, **kwargs):
    record(request, Action.LOCKOUT, username=str(username or "")[:150], address=ip_address)


def connect_signals() -> None:
    from axes.signals import user_locked_out

    auth_signals.user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    auth_signals.user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
    auth_signals.user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_locked_out.connect(_locked_out, dispatch_uid="audit-lockout")
