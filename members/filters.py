"""The member list's search and filters; the export applies the same ones."""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from partybuild.dates import add_years

from .choices import (
    AGE_BANDS,
    CURRENT_STATUSES,
    PARTY_MEMBER_STATUSES,
    Education,
    Gender,
    Status,
)
from .idnumber import normalize_id_number

ANY = "any"
PARTY = "party"
STATUS_CHOICES = [
    (ANY, _("all, former members included")),
    (PARTY, _("party members (full and probationary)")),
    *Status.choices,
]
# Statuses whose list holds party members only: its heading says 党员, any other 人员.
PARTY_ONLY = {PARTY, Status.FULL, Status.PROBATIONARY}
LAST_FOUR = re.compile(r"\d{3}[\dX]")
INITIALS = re.compile(r"[a-z]{1,12}")


YES_NO = forms.Select(choices=[("", _("all")), ("true", _("yes")), ("false", _("no"))])


def _name(value: str) -> Q:
    """One or two characters find the names that begin with them (a surname, or a whole
    two-character name); three or more find them anywhere in the name. Both are indexed on
    PostgreSQL (a prefix index, a trigram index): a two-character "contains" can use
    neither, and read all 320,000 names of a city."""
    if len(value) < 3:
        return Q(name__startswith=value)
    return Q(name__contains=value)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("name, initials or ID number"),
        method="filter_q",
        help_text=_("A name, pinyin initials (zs), a whole ID number or its last 4 characters."),
    )
    status = django_filters.ChoiceFilter(
        label=_("status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        empty_label=_("all current"),
    )
    gender = django_filters.ChoiceFilter(
        label=_("gender"), choices=Gender.choices, empty_label=_("all")
    )
    education = django_filters.ChoiceFilter(
        label=_("education"), choices=Education.choices, empty_label=_("all")
    )
    age_band = django_filters.ChoiceFilter(
        label=_("age"),
        choices=[(str(i), band[0]) for i, band in enumerate(AGE_BANDS)],
        method="filter_age_band",
        empty_label=_("all"),
    )
    is_retired = django_filters.BooleanFilter(label=_("retired"), widget=YES_NO)
    within = django_filters.CharFilter(
        label=_("organization code or name (with all below it)"), method="filter_within"
    )
    organization = django_filters.ModelChoiceFilter(
        queryset=Organization.objects.none(), method="filter_subtree", widget=forms.HiddenInput
    )

    def __init__(self, *args, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, **kwargs)
        # Not a <select>: a committee's scope can hold 15,000 organizations.
        self.organizations = organizations
        self.filters["organization"].queryset = organizations
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs["class"] = (
                "form-select form-select-sm" if is_select else ("form-control form-control-sm")
            )

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        number = normalize_id_number(value)
        if number[:17].isdigit() and len(number) == 18:
            # The whole number, or its last 4 characters (what people read off a card): a
            # prefix search would let anyone rebuild the numbers of their scope digit by digit.
            return queryset.filter(id_number=number)
        if LAST_FOUR.fullmatch(number):
            return queryset.filter(Q(id_number__endswith=number) | Q(phone=value))
        if INITIALS.fullmatch(value.lower()):  # pinyin initials: zs finds 张三
            return queryset.filter(Q(name_initials__startswith=value.lower()) | _name(value))
        return queryset.filter(_name(value) | Q(phone=value))

    def filter_status(self, queryset, name, value):
        if value == ANY:
            return queryset
        if value == PARTY:
            return queryset.filter(status__in=PARTY_MEMBER_STATUSES)
        return queryset.filter(status=value)

    @property
    def party_members_only(self) -> bool:
        """The list holds party members only (its heading says 党员 rather than 人员)."""
        return self.is_valid() and self.form.cleaned_data.get("status") in PARTY_ONLY

    def filter_queryset(self, queryset):
        """With no status chosen, the list shows the people currently in care."""
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=CURRENT_STATUSES)
        return super().filter_queryset(queryset)

    def filter_age_band(self, queryset, name, value):
        _label, youngest, oldest = AGE_BANDS[int(value)]
        today = datetime.date.today()
        # Aged at least `youngest`: born on or before today minus youngest years; at most
        # `oldest`: born after today minus (oldest + 1) years.
        return queryset.filter(
            birth_date__lte=add_years(today, -youngest),
            birth_date__gt=add_years(today, -(oldest + 1)),
        )

    def filter_subtree(self, queryset, name, value):
        return queryset.filter(organization__ancestor_links__ancestor=value)

    def filter_within(self, queryset, name, value):
        """Members of the organizations in scope whose code or name matches, and below."""
        value = value.strip()
        matching = self.organizations.filter(Q(code=value) | Q(name__contains=value))
        return queryset.filter(organization__ancestor_links__ancestor__in=matching.values("pk"))
