"""Writes to the organization tree. The closure table is kept here and nowhere else."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from members.choices import CURRENT_STATUSES
from members.models import OrganizationTally
from partybuild.dates import add_years
from partybuild.integrity import refuse_duplicates

from .models import (
    ALLOWED_PARENT_KINDS,
    SINGLE_POSTS,
    TERM_YEARS,
    Kind,
    Organization,
    OrganizationClosure,
    Position,
    Status,
)


def check_parent(kind: str, parent: Organization | None) -> None:
    """Raise a ValidationError on `parent` when the tree rules forbid this placement."""
    allowed = ALLOWED_PARENT_KINDS[kind]
    kind_label = Kind(kind).label
    if parent is None:
        if allowed:
            raise ValidationError(
                {
                    "parent": _("A %(kind)s must sit under a parent organization.")
                    % {"kind": kind_label}
                }
            )
        return
    if not allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s is the top of the tree and has no parent.")
                % {"kind": kind_label}
            }
        )
    if parent.kind not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(kind)s cannot sit under a %(parent_kind)s.")
                % {"kind": kind_label, "parent_kind": Kind(parent.kind).label}
            }
        )
    if not parent.is_active:
        raise ValidationError({"parent": _("The parent organization has been dissolved.")})


def check_term(
    kind: str, elected_on: datetime.date | None, years: int | None, ends_on: datetime.date | None
) -> None:
    """An election may move by at most one year from the nominal end (with approval)."""
    if elected_on is None:
        return
    nominal = add_years(elected_on, years or TERM_YEARS[kind])
    if ends_on is not None and not (add_years(nominal, -1) <= ends_on <= add_years(nominal, 1)):
        raise ValidationError(
            {
                "term_ends_on": _(
                    "A term may end at most one year before or after its nominal end (%(date)s)."
                )
                % {"date": nominal.isoformat()}
            }
        )


def fill_term(org: Organization) -> None:
    """Default the term length by kind and the end date from the election date."""
    if org.term_elected_on is None:
        return
    if not org.term_years:
        org.term_years = TERM_YEARS[org.kind]
    if org.term_ends_on is None:
        org.term_ends_on = add_years(org.term_elected_on, org.term_years)


def _link_into_tree(org: Organization) -> None:
    links = [OrganizationClosure(ancestor_id=org.pk, descendant_id=org.pk, depth=0)]
    if org.parent_id:
        links += [
            OrganizationClosure(ancestor_id=a.ancestor_id, descendant_id=org.pk, depth=a.depth + 1)
            for a in OrganizationClosure.objects.filter(descendant_id=org.parent_id)
        ]
    OrganizationClosure.objects.bulk_create(links)


def organization_prepare(organization: Organization) -> None:
    """Check a new organization against the tree and term rules and fill its defaults.

    Raises a ValidationError; touches nothing but the unsaved object, so an import can check
    every line (parents that are still unsaved included) before it writes any.
    """
    check_parent(organization.kind, organization.parent)
    fill_term(organization)
    check_term(
        organization.kind,
        organization.term_elected_on,
        organization.term_years,
        organization.term_ends_on,
    )
    organization.depth = organization.parent.depth + 1 if organization.parent else 0


@transaction.atomic
def organization_create(*, organization: Organization) -> Organization:
    """Save a new organization and link it into the tree."""
    organization_prepare(organization)
    with refuse_duplicates(_("An organization with this code exists already."), "code"):
        organization.save()
    _link_into_tree(organization)
    OrganizationTally.objects.create(organization=organization)
    return organization


@transaction.atomic
def organizations_bulk_create(*, organizations: list[Organization], by=None) -> list[Organization]:
    """Save many prepared organizations, parents listed before their children, in a few
    statements per tree level, with their closure links, tallies and history.

    The tree import's path: one INSERT per level instead of five statements per organization.
    """
    for level in _by_level(organizations):
        bulk_create_with_history(level, Organization, batch_size=2000, default_user=by)
        _fill_missing_keys(level)
    ancestors = _ancestors_of_existing_parents(organizations)
    links = []
    for org in organizations:
        above = ancestors.get(org.parent_id, []) if org.parent_id else []
        ancestors[org.pk] = [(org.pk, 0), *((a, d + 1) for a, d in above)]
        links += [
            OrganizationClosure(ancestor_id=a, descendant_id=org.pk, depth=d)
            for a, d in ancestors[org.pk]
        ]
    OrganizationClosure.objects.bulk_create(links, batch_size=5000)
    OrganizationTally.objects.bulk_create(
        [OrganizationTally(organization_id=o.pk) for o in organizations], batch_size=5000
    )
    return organizations


def _by_level(organizations: list[Organization]) -> list[list[Organization]]:
    """Group so that each organization's parent is saved in an earlier group (or already)."""
    level_of: dict[int, int] = {}
    levels: list[list[Organization]] = []
    for org in organizations:
        parent = org.parent
        level = level_of[id(parent)] + 1 if parent is not None and id(parent) in level_of else 0
        level_of[id(org)] = level
        if level == len(levels):
            levels.append([])
        levels[level].append(org)
    return levels  # bulk_create sets parent_id from a parent saved in an earlier level


def _fill_missing_keys(organizations: list[Organization]) -> None:
    """Backends that do not return keys from a bulk insert: read them back by code."""
    if all(o.pk for o in organizations):
        return
    pks = dict(
        Organization.objects.filter(code__in=[o.code for o in organizations]).values_list(
            "code", "pk"
        )
    )
    for org in organizations:
        org.pk = pks[org.code]


def _ancestors_of_existing_parents(organizations) -> dict[int, list[tuple[int, int]]]:
    new = {o.pk for o in organizations}
    parent_ids = {o.parent_id for o in organizations if o.parent_id and o.parent_id not in new}
    ancestors: dict[int, list[tuple[int, int]]] = {}
    for link in OrganizationClosure.objects.filter(descendant_id__in=parent_ids).order_by("depth"):
        ancestors.setdefault(link.descendant_id, []).append((link.ancestor_id, link.depth))
    return ancestors


def _check_kind_change(org: Organization) -> None:
    if org.is_branch and org.children.exists():
        raise ValidationError({"kind": _("A branch cannot have child organizations.")})
    for child in org.children.all():
        if org.kind not in ALLOWED_PARENT_KINDS[child.kind]:
            raise ValidationError(
                {
                    "kind": _("Its child %(child)s cannot sit under a %(kind)s.")
                    % {"child": child.name, "kind": Kind(org.kind).label}
                }
            )


@transaction.atomic
def organization_update(*, organization: Organization, fields: list[str]) -> Organization:
    """Save changed fields; a new parent moves the whole subtree."""
    old = Organization.objects.select_for_update().get(pk=organization.pk)
    check_parent(organization.kind, organization.parent)
    if "kind" in fields:
        _check_kind_change(organization)
    fill_term(organization)
    check_term(
        organization.kind,
        organization.term_elected_on,
        organization.term_years,
        organization.term_ends_on,
    )
    moved = old.parent_id != organization.parent_id
    if moved:
        _move_subtree(organization)
        fields = [*fields, "depth"]
    organization.save(update_fields=sorted({*fields, "term_years", "term_ends_on"}))
    return organization


def _move_subtree(org: Organization) -> None:
    subtree_ids = list(
        OrganizationClosure.objects.filter(ancestor_id=org.pk).values_list(
            "descendant_id", flat=True
        )
    )
    if org.parent_id in subtree_ids:
        raise ValidationError({"parent": _("An organization cannot be moved under itself.")})
    # Cut the links from the old ancestors to every node of the subtree ...
    OrganizationClosure.objects.filter(descendant_id__in=subtree_ids).exclude(
        ancestor_id__in=subtree_ids
    ).delete()
    # ... and link the new ancestors to every node, at the right depth.
    new_ancestors = list(OrganizationClosure.objects.filter(descendant_id=org.parent_id))
    inner = list(OrganizationClosure.objects.filter(ancestor_id=org.pk))
    OrganizationClosure.objects.bulk_create(
        OrganizationClosure(
            ancestor_id=a.ancestor_id, descendant_id=d.descendant_id, depth=a.depth + 1 + d.depth
        )
        for a in new_ancestors
        for d in inner
    )
    org.depth = Organization.objects.get(pk=org.parent_id).depth + 1
    depth_below_org = OrganizationClosure.objects.filter(
        ancestor_id=org.pk, descendant_id=OuterRef("pk")
    ).values("depth")
    Organization.objects.filter(pk__in=subtree_ids).exclude(pk=org.pk).update(
        depth=Subquery(depth_below_org) + org.depth
    )


@transaction.atomic
def organization_dissolve(*, organization: Organization, on: datetime.date) -> Organization:
    """Mark dissolved; refused while it still has members or active child organizations."""
    if organization.children.filter(status=Status.ACTIVE).exists():
        raise ValidationError(
            _("Move or dissolve its child organizations before dissolving this organization.")
        )
    if organization.members.filter(status__in=CURRENT_STATUSES).exists():
        raise ValidationError(_("Move its members to another organization before dissolving it."))
    organization.status = Status.DISSOLVED
    organization.dissolved_on = on
    organization.save(update_fields=["status", "dissolved_on"])
    Position.objects.filter(organization=organization, ended_on__isnull=True).update(ended_on=on)
    return organization


@transaction.atomic
def position_assign(*, position: Position) -> Position:
    """Give a post to a member of the organization; one current holder per single post, and
    a member holds a post once at a time."""
    held = Position.objects.current(position.started_on).filter(
        organization_id=position.organization_id, post=position.post, member_id=position.member_id
    )
    if held.exclude(pk=position.pk).exists():
        raise ValidationError({"member": _("This member already holds this post.")})
    if position.post in SINGLE_POSTS:
        taken = Position.objects.current(position.started_on).filter(
            organization_id=position.organization_id, post=position.post
        )
        if position.pk:
            taken = taken.exclude(pk=position.pk)
        if taken.exists():
            raise ValidationError(
                {"post": _("This post already has a current holder; end that term first.")}
            )
    with refuse_duplicates(_("This post was given at the same moment by someone else.")):
        position.save()
    return position


def position_end(*, position: Position, on: datetime.date) -> Position:
    if on < position.started_on:
        raise ValidationError({"ended_on": _("A post cannot end before it started.")})
    position.ended_on = on
    position.save(update_fields=["ended_on"])
    return position
