from django import forms
from django.utils.translation import gettext_lazy as _

from partybuild.forms import DATE_WIDGET, submit_helper
from partybuild.validators import within_upload_limit

from .models import Attendance, Meeting, PartyGroup


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "group", "on", "starts_at", "place", "topic", "host", "recorder",
                  "lecturer", "lecturer_is_secretary", "decides", "minutes"]  # fmt: skip
        widgets = {
            "on": DATE_WIDGET,
            "starts_at": forms.TimeInput(attrs={"type": "time"}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = PartyGroup.objects.filter(
            organization=organization, ended_on__isnull=True
        )
        self.fields["lecturer"].help_text = _("Party lessons: who gave it.")
        self.helper = submit_helper(_("Save and list who should attend"))


class GroupForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=60)
    started_on = forms.DateField(label=_("set up on"), widget=DATE_WIDGET)


class JoinForm(forms.Form):
    member = forms.ModelChoiceField(label=_("member"), queryset=None)
    on = forms.DateField(label=_("from"), widget=DATE_WIDGET)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].widget.attrs["class"] = "form-select form-select-sm"
        self.fields["on"].widget.attrs["class"] = "form-control form-control-sm"


class MarkForm(forms.Form):
    """One row of the attendance grid; the prefix is the row's id."""

    state = forms.ChoiceField(label=_("attendance"), choices=Attendance.State.choices)
    reason = forms.CharField(label=_("reason"), max_length=120, required=False)
    excluded = forms.BooleanField(label=_("not counted as should attend"), required=False)

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].widget.attrs.update(
            {"class": "form-select form-select-sm", "aria-label": f"{name} {_('attendance')}"}
        )
        self.fields["reason"].widget.attrs.update(
            {"class": "form-control form-control-sm", "aria-label": f"{name} {_('reason')}"}
        )
        self.fields["excluded"].widget.attrs.update(
            {"class": "form-check-input",
             "aria-label": f"{name} {_('not counted as should attend')}"}
        )  # fmt: skip


class FileForm(forms.Form):
    """Bounded in bytes before it is stored: the upload handler keeps at most
    UPLOAD_MAX_BYTES, and a larger file is refused rather than stored truncated."""

    file = forms.FileField(label=_("file (photo of the sign-in sheet, minutes)"),
                           validators=[within_upload_limit])  # fmt: skip
