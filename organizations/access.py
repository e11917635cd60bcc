"""Who may see and change what. Every view, form, export and task scopes through here.

A user is bound to one organization by a UserRole:
- committee staff see and change that organization's whole subtree;
- a branch secretary sees and changes their own branch only;
- a viewer sees the subtree and changes nothing;
- superusers see and change everything; a user with no role sees nothing.
Out of scope answers 404, like a missing object; 403 only for visible but read-only.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import Organization, Role, UserRole


def user_role(user) -> UserRole | None:
    """The user's role, cached on the user object for the request."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_party_role_cache"):
        user._party_role_cache = (
            UserRole.objects.select_related("organization").filter(user=user).first()
        )
    return user._party_role_cache


def visible_organizations(user) -> QuerySet[Organization]:
    """The organizations whose data the user may read."""
    if user.is_authenticated and user.is_superuser:
        return Organization.objects.all()
    role = user_role(user)
    if role is None:
        return Organization.objects.none()
    if role.role == Role.SECRETARY:
        return Organization.objects.filter(pk=role.organization_id)
    return Organization.objects.subtree_of(role.organization_id)


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
    if via == "self":
        return qs.filter(pk__in=organizations.values("pk"))
    return qs.filter(**{f"{via}__in": organizations.values("pk")})


def scoped(qs: QuerySet, user, *, via: str = "organization", write: bool = False) -> QuerySet:
    """Narrow a queryset to what the user may read (or change, with write=True).

    `via` is the path to the owning organization; "self" when qs is of organizations.
    """
    organizations = writable_organizations(user) if write else visible_organizations(user)
    return _filter(qs, organizations, via)


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
