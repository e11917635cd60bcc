"""Forms of the dues pages; the rules themselves are checked in dues.services."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partybuild.forms import DATE_WIDGET, submit_helper

from .models import Excuse, Method
from .rules import Category

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
MONTH_FORMATS = ["%Y-%m", "%Y-%m-%d"]


class MonthField(forms.DateField):
    """A month, entered as YYYY-MM and kept as its first day."""

    widget = MONTH_WIDGET

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("input_formats", MONTH_FORMATS)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


def parse_month(text: str | None, default: datetime.date) -> datetime.date:
    """A month from the query string (YYYY-MM), or the default; never an error page."""
    try:
        return datetime.datetime.strptime(text or "", "%Y-%m").date()
    except ValueError:
        return default.replace(day=1)


class PaymentForm(forms.Form):
    first_month = MonthField(label=gettext_lazy("first month"))
    months = forms.IntegerField(label=gettext_lazy("months"), min_value=1, max_value=12,
                                initial=1)  # fmt: skip
    amount = forms.DecimalField(
        label=gettext_lazy("amount (yuan)"), max_digits=10, decimal_places=2, min_value=0,
        required=False, help_text=gettext_lazy("Empty: what the months owe."),
    )  # fmt: skip
    paid_on = forms.DateField(label=gettext_lazy("paid on"), widget=DATE_WIDGET)
    method = forms.ChoiceField(label=gettext_lazy("method"), choices=Method.choices)
    proxy = forms.CharField(label=gettext_lazy("paid by proxy (name)"), max_length=50,
                            required=False)  # fmt: skip
    consent = forms.BooleanField(label=gettext_lazy("the member consented to the proxy"),
                                 required=False)  # fmt: skip
    back_reason = forms.CharField(
        label=gettext_lazy("reason for a longer back payment"), max_length=200, required=False
    )
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate()
        self.helper = submit_helper(_("Record the payment"))


class BasisForm(forms.Form):
    starts = MonthField(label=gettext_lazy("from the month"))
    category = forms.ChoiceField(label=gettext_lazy("category"), choices=Category.choices)
    base = forms.DecimalField(
        label=gettext_lazy("base (after-tax monthly pay or pension)"), max_digits=10,
        decimal_places=2, min_value=0, required=False,
    )  # fmt: skip
    amount = forms.DecimalField(
        label=gettext_lazy("monthly amount"), max_digits=10, decimal_places=2, min_value=0,
        required=False, help_text=gettext_lazy("Empty: what the rules ask."),
    )  # fmt: skip
    decision = forms.CharField(label=gettext_lazy("branch decision to pay less"),
                               max_length=200, required=False)  # fmt: skip
    reason = forms.CharField(label=gettext_lazy("reason for the change"), max_length=200,
                             required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the basis"))


class ExcuseForm(forms.Form):
    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=Excuse.Reason.choices)
    from_month = MonthField(label=gettext_lazy("from the month"))
    until_month = MonthField(label=gettext_lazy("until the month"), required=False,
                             help_text=gettext_lazy("Empty: until further notice."))  # fmt: skip
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record the reason"))


class LapseForm(forms.Form):
    decided_on = forms.DateField(label=gettext_lazy("decided by the member meeting on"),
                                 widget=DATE_WIDGET)  # fmt: skip
    note = forms.CharField(label=gettext_lazy("note"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Send to the superior for approval"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Cancel the payment"))


class BankListForm(forms.Form):
    month = MonthField(label=gettext_lazy("month paid"))
    file = forms.FileField(label=gettext_lazy("bank list (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Check and import"))


class BasesImportForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=gettext_lazy("bases file (.xlsx)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Check and import"))


class OpeningForm(forms.Form):
    paid_up_to = MonthField(label=gettext_lazy("dues paid up to (month)"))
    source = forms.CharField(label=gettext_lazy("transfer letter (number, issuing organization)"),
                             max_length=120, required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))
