"""Numbered pagination: the pages around the current one, the first and last, and a jump."""

from django import template
from django.http import QueryDict

register = template.Library()


@register.simple_tag
def page_numbers(page, on_each_side: int = 2) -> list:
    """Page numbers around the current page, with the paginator's ellipsis between runs."""
    return list(
        page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=1)
    )


@register.simple_tag
def query_fields(query: str) -> list[tuple[str, str]]:
    """The (name, value) pairs of a query string but the page, for a form's hidden inputs."""
    return [(k, v) for k, values in QueryDict(query).lists() if k != "page" for v in values]
