"""Member forms. The roster import validates each row with the same forms."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.forms import organization_field
from organizations.models import Organization
from partybuild.dates import add_years
from partybuild.forms import DATE_WIDGET, submit_helper
from partybuild.validators import no_control_characters

from .choices import CURRENT_STATUSES, LEFT_STATUSES, PARTY_MEMBER_STATUSES, Event, Status
from .idnumber import check_matches_record, parse_id_number
from .models import Member

PERSONAL_FIELDS = [
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "occupation",
    "phone",
    "joined_on",
    "converted_on",
    "is_retired",
]


def current_status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in Status if s in CURRENT_STATUSES]


def left_status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.label) for s in Status if s in LEFT_STATUSES]


def check_not_future(value: datetime.date | None) -> None:
    if value and value > datetime.date.today():
        raise ValidationError(_("The date cannot be in the future."))


class MemberForm(forms.ModelForm):
    """Personal data of a member, validated against the ID number."""

    # Longer than 18: a number pasted with spaces is accepted and normalized.
    id_number = forms.CharField(
        label=Member._meta.get_field("id_number").verbose_name, max_length=40
    )

    class Meta:
        model = Member
        fields = PERSONAL_FIELDS
        widgets = {
            "birth_date": DATE_WIDGET,
            "joined_on": DATE_WIDGET,
            "converted_on": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))
        self.fields["birth_date"].required = False
        self.fields["birth_date"].help_text = _("Left empty, it is read from the ID number.")
        self.fields["gender"].required = False
        self.fields["gender"].help_text = _("Left empty, it is read from the ID number.")

    def clean_id_number(self) -> str:
        return parse_id_number(self.cleaned_data["id_number"]).number

    def check_not_registered(self, number: str, scope) -> None:
        """Refuse a number another person holds, saying who where the user may see them."""
        holder = (
            Member.objects.filter(id_number=number)
            .exclude(pk=self.instance.pk)
            .values_list("name", "organization_id", "organization__name")
            .first()
        )
        if holder is not None:
            raise ValidationError(registered_message(*holder, scope_ids=set(scope)))

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        check_not_future(value)
        return value

    def clean_joined_on(self):
        value = self.cleaned_data.get("joined_on")
        check_not_future(value)
        return value

    def clean_converted_on(self):
        value = self.cleaned_data.get("converted_on")
        check_not_future(value)
        return value

    def clean(self):
        data = super().clean()
        if "id_number" in data:
            facts = parse_id_number(data["id_number"])
            for name, message in check_matches_record(
                facts, birth_date=data.get("birth_date"), gender=data.get("gender")
            ).items():
                self.add_error(name, message)
            data.setdefault("birth_date", None)
            data["birth_date"] = data["birth_date"] or facts.birth_date
            data["gender"] = data.get("gender") or facts.gender
            self.instance.birth_date = data["birth_date"]
            self.instance.gender = data["gender"]
        self._check_dates(data)
        return data

    def _check_dates(self, data: dict) -> None:
        birth, joined, converted = (
            data.get("birth_date"),
            data.get("joined_on"),
            data.get("converted_on"),
        )
        if birth and joined and joined < add_years(birth, 18):
            self.add_error("joined_on", _("A member joins at 18 or older."))
        if converted and not joined:
            self.add_error("joined_on", _("A converted member needs a date of joining."))
        if converted and joined and converted <= joined:
            self.add_error("converted_on", _("Conversion comes after joining."))
        status = data.get("status") or self.instance.status
        if status in PARTY_MEMBER_STATUSES and not joined:
            self.add_error("joined_on", _("A party member needs a date of joining."))
        if status == Status.FULL and joined and not converted:
            self.add_error("converted_on", _("A full member needs a date of conversion."))


def registered_message(name: str, organization_id: int, organization: str, *, scope_ids) -> str:
    """Who holds a registered number: named only where the user may see them (another
    scope's people stay unnamed)."""
    if organization_id in scope_ids:
        return _("This ID number is registered already, for %(name)s (%(organization)s).") % {
            "name": name, "organization": organization}  # fmt: skip
    return _("This ID number is registered already, in another organization.")


class MemberEditForm(MemberForm):
    """Personal data of a registered person. The ID number is never printed in the form:
    changing it is a deliberate act in a field of its own that starts empty (and is logged)."""

    id_number = None  # never printed: the registered number stays out of the form
    new_id_number = forms.CharField(
        label=gettext_lazy("new resident ID number"),
        required=False,
        max_length=24,
        help_text=gettext_lazy("Only to correct the registered number; leave empty otherwise."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta(MemberForm.Meta):
        fields = [f for f in PERSONAL_FIELDS if f != "id_number"]

    def __init__(self, *args, scope=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = scope.values_list("pk", flat=True) if scope is not None else []

    def clean_new_id_number(self) -> str:
        value = self.cleaned_data.get("new_id_number", "").strip()
        if not value:
            return ""
        number = parse_id_number(value).number
        self.check_not_registered(number, self.scope)
        return number

    def clean(self):
        self.cleaned_data["id_number"] = (
            self.cleaned_data.get("new_id_number") or self.instance.id_number
        )
        return super().clean()

    def save(self, commit=True):
        member = super().save(commit=False)
        if self.cleaned_data.get("new_id_number"):
            member.id_number = self.cleaned_data["new_id_number"]
        if commit:
            member.save()
        return member


class MemberCreateForm(MemberForm):
    """A new person: personal data plus where and in which status they start."""

    status = forms.ChoiceField(label=gettext_lazy("status"), choices=current_status_choices)
    organization = forms.ModelChoiceField(
        label=gettext_lazy("organization"), queryset=Organization.objects.none()
    )
    since = forms.DateField(
        label=gettext_lazy("member of this organization since"),
        widget=DATE_WIDGET,
        initial=datetime.date.today,
    )
    arrival = forms.ChoiceField(
        label=gettext_lazy("how the person came"),
        choices=[(e.value, e.label) for e in (Event.REGISTERED, Event.TRANSFERRED_IN)],
        initial=Event.REGISTERED,
        required=False,
    )

    class Meta(MemberForm.Meta):
        fields = [*PERSONAL_FIELDS, "status", "organization"]

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.fields["organization"] = organization_field(
                organizations.active(), label=gettext_lazy("organization"), lookup={"write": 1}
            )
            if organizations.count() == 1:
                self.fields["organization"].initial = organizations.first()
        self.order_fields(["status", "organization", "since", "arrival", *PERSONAL_FIELDS])

    def clean_arrival(self) -> str:
        return self.cleaned_data.get("arrival") or Event.REGISTERED

    def clean_id_number(self) -> str:
        number = super().clean_id_number()
        scope = self.fields["organization"].queryset.values_list("pk", flat=True)
        self.check_not_registered(number, scope)
        return number

    def clean_since(self):
        value = self.cleaned_data["since"]
        check_not_future(value)
        return value

    def clean(self):
        data = super().clean()
        since, birth = data.get("since"), data.get("birth_date")
        if since and birth and since < birth:
            self.add_error("since", _("This date is before the birth date."))
        return data


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("new status"), choices=current_status_choices)
    on = forms.DateField(
        label=gettext_lazy("effective date"), widget=DATE_WIDGET, validators=[check_not_future]
    )
    correction = forms.BooleanField(
        label=gettext_lazy("correction of an earlier error"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Change status"))


class MoveForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("new organization"), queryset=Organization.objects.none()
    )
    on = forms.DateField(
        label=gettext_lazy("effective date"), widget=DATE_WIDGET, validators=[check_not_future]
    )

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            organizations.active(), label=gettext_lazy("new organization"), lookup={"write": 1}
        )
        self.helper = submit_helper(_("Move"))


class LeaveForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("how the person left"), choices=left_status_choices
    )
    on = forms.DateField(
        label=gettext_lazy("date left"), widget=DATE_WIDGET, validators=[check_not_future]
    )
    reason = forms.CharField(
        label=gettext_lazy("reason"), max_length=200, validators=[no_control_characters]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record leaving"))


class RosterImportForm(forms.Form):
    """A spreadsheet to import; the label says which (the roster by default)."""

    file = forms.FileField(label=gettext_lazy("roster file (.xlsx)"))

    def __init__(self, *args, label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if label is not None:
            self.fields["file"].label = label
        self.helper = submit_helper(_("Check and import"))
