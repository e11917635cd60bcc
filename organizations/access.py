"""Who may see and change what. Every view, form, export and task scopes through here.

A user is bound to organizations by UserRoles and acts in one of them at a time (the
`acting_role_id` attribute of the user: set from the session for a request, from the job
for a background task; the first binding when unset). The acting binding decides:
- committee staff see and change that organization's whole subtree;
- a branch secretary sees and changes their own branch only;
- a viewer sees the subtree and changes nothing;
- superusers see and change everything; a user with no role sees nothing.
Out of scope answers 404, like a missing object; 403 only for visible but read-only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import Organization, OrganizationClosure, Role, UserRole

ACTING_ROLE = "acting_role_id"  # partybuild.jobs keeps it with a job under this name


def user_roles(user) -> list[UserRole]:
    """Every binding of the user, cached on the user object for the request."""
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_party_roles_cache"):
        user._party_roles_cache = list(
            UserRole.objects.select_related("organization").filter(user=user).order_by("pk")
        )
    return user._party_roles_cache


def user_role(user) -> UserRole | None:
    """The binding the user acts in: the chosen one if it is still theirs, else the first."""
    roles = user_roles(user)
    wanted = getattr(user, ACTING_ROLE, None)
    return next((r for r in roles if r.pk == wanted), roles[0] if roles else None)


def act_as(user, role_id: int | None) -> UserRole | None:
    """Make the user act in one of their bindings (ignored if it is not theirs)."""
    setattr(user, ACTING_ROLE, role_id)
    role = user_role(user)
    setattr(user, ACTING_ROLE, role.pk if role else None)
    return role


def visible_organizations(user) -> QuerySet[Organization]:
    """The organizations whose data the user may read."""
    if user.is_authenticated and user.is_superuser:
        return _everything()
    role = user_role(user)
    if role is None:
        return Organization.objects.none()
    if role.role == Role.SECRETARY:
        return Organization.objects.filter(pk=role.organization_id)
    if _holds_the_whole_tree(user, role):
        return _everything()
    return Organization.objects.subtree_of(role.organization_id)


def _everything() -> QuerySet[Organization]:
    """Every organization, marked so: scoping a query by it filters nothing (a query of the
    whole city then needs no semi-join against its 15,000 organizations)."""
    organizations = Organization.objects.all()
    organizations.everything = True
    return organizations


def is_everything(organizations: QuerySet[Organization]) -> bool:
    """Whether the organizations (of visible_organizations) are every one: a query scoped by
    them then needs no condition at all."""
    return getattr(organizations, "everything", False)


def _holds_the_whole_tree(user, role: UserRole) -> bool:
    """The role's organization is the top of the only tree: its subtree is everything.
    Asked once per request and binding (cached on the user object)."""
    cache = user.__dict__.setdefault("_party_whole_tree", {})
    if role.pk not in cache:
        cache[role.pk] = _only_top(role.organization_id)
    return cache[role.pk]


def writable_organizations(user) -> QuerySet[Organization]:
    """The organizations whose data the user may change: viewers change nothing."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    role = user_role(user)
    if role is None or role.role == Role.VIEWER:
        return Organization.objects.none()
    return visible_organizations(user)


def can_manage_tree(user) -> bool:
    """Creating, moving and dissolving organizations is for committee staff."""
    if user.is_authenticated and user.is_superuser:
        return True
    role = user_role(user)
    return role is not None and role.role == Role.STAFF


def keeps_the_rules(user) -> bool:
    """The rules and the calendar are kept by the working committee's staff (top of the tree)."""
    if user.is_authenticated and user.is_superuser:
        return True
    role = user_role(user)
    return role is not None and role.role == Role.STAFF and role.organization.parent_id is None


def scope_roots(user) -> QuerySet[Organization]:
    """Where the user's view of the tree starts."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.filter(parent__isnull=True)
    role = user_role(user)
    if role is None:
        return Organization.objects.none()
    return Organization.objects.filter(pk=role.organization_id)


def _filter(qs: QuerySet, organizations: QuerySet[Organization], via: str) -> QuerySet:
    if is_everything(organizations):
        return qs
    if via == "self":
        return qs.filter(pk__in=organizations.values("pk"))
    return qs.filter(**{f"{via}__in": organizations.values("pk")})


def scoped(qs: QuerySet, user, *, via: str = "organization", write: bool = False) -> QuerySet:
    """Narrow a queryset to what the user may read (or change, with write=True).

    `via` is the path to the owning organization; "self" when qs is of organizations.
    """
    organizations = writable_organizations(user) if write else visible_organizations(user)
    return _filter(qs, organizations, via)


def in_subtree(qs: QuerySet, user, organization: Organization, *, via: str = "organization"):
    """What the user may read of one organization's subtree.

    What a user may read is closed downward (a committee's staff read its whole subtree, a
    secretary a branch, which has none), so for an organization the user may read the
    subtree itself is the scope: one closure lookup, not the scope's and the subtree's.
    """
    visible = visible_organizations(user)
    everything = is_everything(visible)
    if not everything and not visible.filter(pk=organization.pk).exists():
        return qs.none()
    if everything and is_whole_tree(organization):
        return qs  # the top's subtree is everything: no semi-join over every organization
    below = OrganizationClosure.objects.filter(ancestor=organization).values("descendant_id")
    return qs.filter(**{f"{via}__in": below})


def is_whole_tree(organization: Organization) -> bool:
    """The organization is the top of the only tree: its subtree is every organization, and
    a query of its subtree needs no semi-join against them all (kept on the object)."""
    known = organization.__dict__.get("_whole_tree")
    if known is None:
        known = organization.parent_id is None and _only_top(organization.pk)
        organization.__dict__["_whole_tree"] = known
    return known


def _only_top(organization_id: int) -> bool:
    """The organization is the top of the only tree."""
    tops = Organization.objects.filter(parent__isnull=True).values_list("pk", flat=True)
    return list(tops[:2]) == [organization_id]


def scoped_either(qs: QuerySet, user, *vias: str, write: bool = False) -> QuerySet:
    """Objects with several owning organizations (a transfer letter: its sender and its
    receiver) of which the user may read (or change) at least one."""
    organizations = writable_organizations(user) if write else visible_organizations(user)
    if is_everything(organizations):
        return qs
    condition = Q()
    for via in vias:
        condition |= Q(**{f"{via}__in": organizations.values("pk")})
    return qs.filter(condition)


def transfer_destinations(user) -> QuerySet[Organization]:
    """Where a transfer letter may go: any active organization of the system, for those who
    may write somewhere (the sender must name the receiver, which lies outside its scope);
    only names and codes are shown of them."""
    if not writable_organizations(user).exists():
        return Organization.objects.none()
    return Organization.objects.active()


def get_for_user(
    qs: QuerySet, user, *, via: str = "organization", write: bool = False, **lookup
) -> Model:
    """One object the user may read; with write=True, one they may change.

    Missing and out of scope both answer 404; visible but read-only answers 403.
    """
    try:
        obj = scoped(qs, user, via=via).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404 from None
    if write and not scoped(qs, user, via=via, write=True).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def decides_for(user, organization: Organization) -> bool:
    """The superior's decisions (approve, return, reopen) are for committee staff in scope."""
    return (
        can_manage_tree(user) and writable_organizations(user).filter(pk=organization.pk).exists()
    )


# -- accounts ------------------------------------------------------------------------------


def grantable_organizations(user) -> QuerySet[Organization]:
    """Where the user may bind accounts: committee staff, within their own subtree (never
    above their own organization); superusers anywhere."""
    if not can_manage_tree(user):
        return Organization.objects.none()
    return writable_organizations(user)


def visible_accounts(user):
    """Accounts bound to an organization the user may grant roles in (superusers excepted)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    if user.is_authenticated and user.is_superuser:
        return users
    organizations = grantable_organizations(user)
    bound = UserRole.objects.filter(organization__in=organizations.values("pk"))
    return users.filter(is_superuser=False, pk__in=bound.values("user_id"))


def may_manage_account(user, account) -> bool:
    """Deactivate, reactivate, reset the password: only when every binding of the account
    lies in the user's subtree (an account also bound elsewhere is that scope's too), and
    never one's own account (that is the own-password page)."""
    if account.pk == user.pk or (account.is_superuser and not user.is_superuser):
        return False
    if user.is_authenticated and user.is_superuser:
        return True
    bound = set(UserRole.objects.filter(user=account).values_list("organization_id", flat=True))
    return bool(bound) and grantable_organizations(user).filter(pk__in=bound).count() == len(bound)


def get_account(user, pk: int, *, manage: bool = False):
    """An account the user may see (404 otherwise); with manage=True, may change (403)."""
    try:
        account = visible_accounts(user).get(pk=pk)
    except visible_accounts(user).model.DoesNotExist:
        raise Http404 from None
    if manage and not may_manage_account(user, account):
        raise PermissionDenied
    return account
