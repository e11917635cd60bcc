import json

from django import forms
from django.utils.translation import gettext_lazy as _

from organizations.forms import organization_field
from partybuild.forms import DATE_WIDGET, submit_helper
from partybuild.widgets import fast

from .models import Campaign, Disposition, DispositionKind, Entry
from .services import ENTRY_FIELDS


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["organization", "year", "title", "starts_on", "ends_on", "deadline",
                  "cap_applies", "cap_numerator", "cap_denominator"]  # fmt: skip
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "deadline": DATE_WIDGET}

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            organizations, label=_("for the subtree of"), lookup={"write": 1, "committees": 1}
        )
        self.helper = submit_helper(_("Open the campaign"))


class EntryForm(forms.ModelForm):
    """One row of the grid; the prefix is the entry's id."""

    class Meta:
        model = Entry
        fields = list(ENTRY_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget = fast(field.widget)  # a grid of many rows
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"
            if name.startswith("votes_"):
                widget.attrs.update(min=0)
                widget.attrs["class"] += " votes-input"
            widget.attrs["aria-label"] = f"{self.instance.member.name} {field.label}"

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in ENTRY_FIELDS}


def entry_forms(sheet_entries, data=None, disabled=False) -> list[EntryForm]:
    forms_ = [EntryForm(data, instance=e, prefix=f"e{e.pk}") for e in sheet_entries]
    if disabled:
        for form in forms_:
            for field in form.fields.values():
                field.disabled = True
    return forms_


def seen_json(values_by_entry: dict[int, dict]) -> str:
    return json.dumps({str(pk): values for pk, values in values_by_entry.items()})


def parse_seen(text: str) -> dict[int, dict]:
    """The values the user saw when the grid was opened (only used to show conflicts)."""
    try:
        raw = json.loads(text or "{}")
        return {int(pk): dict(values) for pk, values in raw.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


class DispositionForm(forms.ModelForm):
    class Meta:
        model = Disposition
        fields = ["kind", "decided_on", "extension_months", "note"]
        widgets = {"decided_on": DATE_WIDGET}

    def __init__(self, *args, probationary: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record"))
        if not probationary:
            del self.fields["extension_months"]
        excluded = (
            {DispositionKind.PERSUADE, DispositionKind.REMOVE}
            if probationary
            else {DispositionKind.EXTEND_PROBATION, DispositionKind.CANCEL_PROBATION}
        )
        self.fields["kind"].choices = [
            c for c in self.fields["kind"].choices if c[0] not in excluded
        ]


class ConcludeForm(forms.Form):
    rectified = forms.TypedChoiceField(
        label=_("outcome"),
        choices=[("1", _("rectified in time")), ("0", _("not rectified"))],
        coerce=lambda v: v == "1",
    )
    on = forms.DateField(label=_("judged on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record"))


class SheetUploadForm(forms.Form):
    file = forms.FileField(label=_("filled-in sheet (.xlsx)"))
