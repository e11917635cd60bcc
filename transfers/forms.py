"""Forms of transfer letters and floating members."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dues.forms import MonthField
from members.choices import PARTY_MEMBER_STATUSES, Event, Status
from members.forms import MemberCreateForm, check_not_future
from organizations import access
from organizations.forms import organization_field
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import Floating, Kind, Reason

TEXT = {"required": False, "max_length": 200}


class IssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("where to"), widget=forms.RadioSelect, initial=Kind.WITHIN,
        choices=[(Kind.WITHIN.value, Kind.WITHIN.label), (Kind.OUT.value, Kind.OUT.label)],
    )  # fmt: skip
    receiver_name = forms.CharField(
        label=gettext_lazy("receiving organization outside the system"), max_length=120,
        required=False, help_text=gettext_lazy("Its full name, as on the letter."),
    )  # fmt: skip
    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=Reason.choices)
    issued_on = forms.DateField(
        label=gettext_lazy("issued on"), widget=DATE_WIDGET, initial=timezone.localdate,
        validators=[check_not_future],
    )  # fmt: skip
    handler = forms.CharField(label=gettext_lazy("handled by"), max_length=60)
    handler_phone = forms.CharField(label=gettext_lazy("handler's phone"), max_length=20,
                                    required=False)  # fmt: skip
    note = forms.CharField(label=gettext_lazy("note"), **TEXT)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"] = organization_field(
            access.transfer_destinations(user), label=gettext_lazy("receiving organization"),
            required=False, lookup={"destinations": 1},
        )  # fmt: skip
        self.order_fields(["kind", "receiver", "receiver_name"])
        self.fields["handler"].initial = user.get_full_name() or user.get_username()
        self.helper = submit_helper(_("Issue the letter"))

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kind.WITHIN and not data.get("receiver"):
            self.add_error("receiver", _("Choose the receiving organization."))
        if data.get("kind") == Kind.OUT and not data.get("receiver_name", "").strip():
            self.add_error("receiver_name", _("Name the receiving organization."))
        if data.get("kind") == Kind.OUT:
            data["receiver"] = None
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason"), max_length=200)

    def __init__(self, *args, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(submit)


class DayForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("date"), widget=DATE_WIDGET,
                         initial=timezone.localdate, validators=[check_not_future])  # fmt: skip

    def __init__(self, *args, label, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.helper = submit_helper(submit)


class IncomingForm(MemberCreateForm):
    """A member arriving from outside the system: the person as in the registry, plus the
    incoming letter (number, origin, dates, dues paid up to)."""

    incoming_number = forms.CharField(label=gettext_lazy("number of the incoming letter"),
                                      max_length=40)  # fmt: skip
    sender_name = forms.CharField(label=gettext_lazy("issued by (organization)"), max_length=120)
    issued_on = forms.DateField(label=gettext_lazy("letter issued on"), widget=DATE_WIDGET,
                                validators=[check_not_future])  # fmt: skip
    paid_up_to = MonthField(label=gettext_lazy("dues paid up to (month)"), required=False,
                            help_text=gettext_lazy("As the letter states it."))  # fmt: skip
    reason = forms.ChoiceField(label=gettext_lazy("reason"), choices=Reason.choices)
    note = forms.CharField(label=gettext_lazy("note"), **TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["arrival"]
        self.fields["status"].choices = [(s.value, s.label) for s in Status
                                         if s in PARTY_MEMBER_STATUSES]  # fmt: skip
        self.fields["since"].label = gettext_lazy("letter received on")
        self.order_fields(["incoming_number", "sender_name", "issued_on", "since",
                           "paid_up_to", "reason", "organization", "status"])  # fmt: skip
        self.helper = submit_helper(_("Register the member"))

    def clean_arrival(self) -> str:
        return Event.TRANSFERRED_IN


class FloatingForm(forms.ModelForm):
    class Meta:
        model = Floating
        fields = ["since", "expected_until", "whereabouts", "contact", "host_organization",
                  "certificate_number"]  # fmt: skip
        widgets = {"since": DATE_WIDGET, "expected_until": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["since"].validators.append(check_not_future)
        self.helper = submit_helper(_("Save"))


class ContactForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("on"), widget=DATE_WIDGET,
                         initial=timezone.localdate, validators=[check_not_future])  # fmt: skip
    note = forms.CharField(label=gettext_lazy("what was said or done"), **TEXT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record the contact"))
