"""Form helpers shared by the apps."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy, gettext_noop

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Django 6's label for an empty choice, which its own Chinese catalogue lacks: listed here so
# that makemessages keeps it in ours, which takes precedence.
gettext_noop("- Select an option -")


class DecisionForm(forms.Form):
    """The superior's decision on something waiting for approval: approve, or give it back
    with a reason (`no_label` names the giving back: "do not approve", "return")."""

    approve = forms.TypedChoiceField(
        label=gettext_lazy("decision"), widget=forms.RadioSelect, coerce=lambda v: v == "yes"
    )
    reason = forms.CharField(max_length=200, required=False)

    def __init__(self, *args, no_label, reason_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approve"].choices = [("yes", gettext_lazy("approve")), ("no", no_label)]
        self.fields["reason"].label = reason_label
        self.helper = submit_helper(gettext("Decide"))

    def clean(self):
        data = super().clean()
        if data.get("approve") is False and not data.get("reason", "").strip():
            self.add_error("reason", gettext("Give the reason."))
        return data


def submit_helper(label: str) -> FormHelper:
    """A crispy helper that renders the form with one submit button."""
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(request, form: forms.BaseForm, *, title: str, back_url: str | None = None):
    """Render a page that holds one form: the shape of every create and edit page."""
    return render(request, "form_page.html", {"form": form, "title": title, "back_url": back_url})


def service_form_page(request, form: forms.BaseForm, service, *, title: str, done,
                      back_url: str | None = None):  # fmt: skip
    """A page holding one form whose valid POST calls `service(cleaned_data)`: a refusal
    (ValidationError) shows on the form, anything else sends the user to `done(result)`, a
    URL."""
    if request.method == "POST" and form.is_valid():
        try:
            result = service(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(done(result))
    return form_page(request, form, title=title, back_url=back_url)


def choices_shared(form_class):
    """Class decorator for forms built once per import line: their choice lists are given as
    callables, so each new form shares them instead of deep-copying every label (the copies
    were a third of a 20,000-line roster import)."""
    for field in form_class.base_fields.values():
        if isinstance(field, forms.ChoiceField) and not callable(field.choices):
            listed = list(field.choices)
            field.choices = lambda listed=listed: listed
    return form_class
