"""Breadcrumbs through the tree: the ancestors of an organization that the user may see."""

from django import template
from django.urls import reverse

from organizations import access
from organizations.models import Organization

register = template.Library()


@register.inclusion_tag("organizations/_trail.html", takes_context=True)
def org_trail(context, organization, url_name="organizations:organization_detail", last=True):
    """Crumbs from the top of the user's scope down to the organization (one query); the
    organization itself is the last, current crumb unless `last` is False (then a link)."""
    ancestors = access.scoped(
        Organization.objects.filter(descendant_links__descendant=organization),
        context["request"].user,
        via="self",
    ).order_by("depth")
    crumbs = [
        (org.name, reverse(url_name, args=[org.pk]))
        for org in ancestors
        if org.pk != organization.pk or not last
    ]
    return {"crumbs": crumbs, "current": organization.name if last else ""}
