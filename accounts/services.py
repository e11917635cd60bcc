"""Account changes made in the app by committee staff. Every one is audited; scope rules are
organizations.access's (the views check them before calling here)."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import BRANCH_KINDS, Organization, Role, UserRole
from partybuild import audit
from partybuild.integrity import refuse_duplicates
from partybuild.models import Action

from .models import Account

MUST_CHANGE = "partybuild_must_change_password"
# No 0/O, 1/l/I: a one-time password is read out or copied from the screen.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"


def one_time_password() -> str:
    """14 characters from an unambiguous alphabet, with a digit (about 80 bits)."""
    while True:
        password = "".join(secrets.choice(_ALPHABET) for _ in range(14))
        if any(c.isdigit() for c in password) and any(c.isalpha() for c in password):
            return password


def check_role_fits(organization: Organization, role: str) -> None:
    """A secretary keeps a branch; committee staff keep a committee or general branch."""
    if role == Role.SECRETARY and organization.kind not in BRANCH_KINDS:
        raise ValidationError({"role": _("A branch secretary is bound to a branch.")})
    if role == Role.STAFF and organization.kind in BRANCH_KINDS:
        raise ValidationError(
            {"role": _("Committee staff are bound to a committee or a general branch.")}
        )


@transaction.atomic
def account_create(request, *, username: str, full_name: str, organization, role: str):
    """A new login bound to one organization; returns (user, its one-time password)."""
    check_role_fits(organization, role)
    password = one_time_password()
    with refuse_duplicates(_("This login name is taken."), "username"):
        user = get_user_model().objects.create_user(
            username=username, password=password, first_name=full_name
        )
    Account.objects.create(user=user, must_change_password=True, created_by=request.user)
    binding = UserRole.objects.create(user=user, organization=organization, role=role)
    audit.record(request, Action.ACCOUNT_CREATED, obj=user, summary=username,
                 organization_id=organization.pk, role=role)  # fmt: skip
    audit.record(request, Action.ROLE_GRANTED, obj=binding, summary=str(binding),
                 organization_id=organization.pk, account=username, role=role)  # fmt: skip
    return user, password


@transaction.atomic
def role_grant(request, *, user, organization, role: str) -> UserRole:
    check_role_fits(organization, role)
    with refuse_duplicates(_("This user holds this role already."), "role"):
        binding = UserRole.objects.create(user=user, organization=organization, role=role)
    audit.record(request, Action.ROLE_GRANTED, obj=binding, summary=str(binding),
                 organization_id=organization.pk, account=user.username, role=role)  # fmt: skip
    return binding


@transaction.atomic
def role_revoke(request, *, binding: UserRole) -> None:
    audit.record(request, Action.ROLE_REVOKED, obj=binding, summary=str(binding),
                 organization_id=binding.organization_id, account=binding.user.username,
                 role=binding.role)  # fmt: skip
    binding.delete()


def account_set_active(request, *, user, active: bool) -> None:
    """Deactivating ends the account's open sessions at their next request (an inactive
    user is never authenticated again)."""
    user.is_active = active
    user.save(update_fields=["is_active"])
    action = Action.ACCOUNT_REACTIVATED if active else Action.ACCOUNT_DEACTIVATED
    audit.record(request, action, obj=user, summary=user.username)


@transaction.atomic
def password_reset(request, *, user) -> str:
    """A new one-time password, to be changed at the next login; open sessions end."""
    password = one_time_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    Account.objects.update_or_create(user=user, defaults={"must_change_password": True})
    audit.record(request, Action.PASSWORD_RESET, obj=user, summary=user.username)
    return password


def password_changed(request, user) -> None:
    Account.objects.filter(user=user).update(must_change_password=False)
    request.session.pop(MUST_CHANGE, None)
    audit.record(request, Action.PASSWORD_CHANGED, user=user)


def note_password_to_change(sender, request, user, **kwargs) -> None:
    """On login: a one-time password must be replaced before anything else."""
    if request is not None and Account.objects.filter(user=user, must_change_password=True):
        request.session[MUST_CHANGE] = True
