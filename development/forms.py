"""The form of one development step: the fields that kind of step needs, and a vote."""

import datetime

from crispy_forms.helper import FormHelper
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Kind as MeetingKind
from meetings.models import Meeting
from meetings.services import quorum as meeting_quorum
from members.choices import Status
from members.forms import MemberCreateForm
from members.models import Member
from organizations.forms import organization_field
from organizations.models import Organization
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import CalendarDay, DevelopmentPlan, Step, StepKind, Vote
from .progress import BOARD_STATUSES

K = StepKind
APPROVER = ["approving_organization"]
KIND_FIELDS: dict[str, list[str]] = {
    K.ACTIVIST_SELECTED: ["channel"],
    K.CONTACTS_ASSIGNED: ["people"],
    K.INTRODUCERS: ["people"],
    K.TARGET_SELECTED: ["publicity_from", "publicity_to", *APPROVER],
    K.TRAINING: ["training_days", "training_hours"],
    K.PRE_REVIEW: APPROVER,
    K.ADMISSION_APPROVAL: [*APPROVER, "special_case"],
    K.CONVERSION_APPROVAL: [*APPROVER, "special_case"],
    K.PROBATION_EXTENDED: ["extension_months"],
}
VOTE_FIELDS = [
    "should_attend", "excluded", "exclusion_reason", "present", "yes", "no", "abstain",
    "written_yes", "written_no",
]  # fmt: skip
MEETINGS = {K.ADMISSION_MEETING, K.CONVERSION_MEETING}


class StepForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = [
            "on",
            *sorted({f for fs in KIND_FIELDS.values() for f in fs}),
            "note",
            "attachment",
        ]
        widgets = {
            "on": DATE_WIDGET,
            "publicity_from": DATE_WIDGET,
            "publicity_to": DATE_WIDGET,
            "people": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, kind: str, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        wanted = {"on", "note", "attachment", *KIND_FIELDS.get(kind, [])}
        for name in list(self.fields):
            if name not in wanted:
                del self.fields[name]
        self.fields["on"].initial = datetime.date.today
        if "people" in self.fields:
            self.fields["people"].queryset = (
                Member.objects.party_members()
                .filter(organization=member.organization)
                .exclude(pk=member.pk)
                .order_by("name")
            )
            self.fields["people"].required = True
        if "approving_organization" in self.fields:
            # Every organization above the branch is offered; the rule refuses the wrong kind.
            above = Organization.objects.filter(
                descendant_links__descendant_id=member.organization_id
            ).exclude(pk=member.organization_id)
            self.fields["approving_organization"].queryset = above.order_by("depth")
            self.fields["approving_organization"].required = True
        if "channel" in self.fields:
            self.fields["channel"].required = True
        if kind in MEETINGS:
            voters = Member.objects.filter(organization=member.organization, status="full")
            meetings = Meeting.objects.filter(
                organization=member.organization, kind=MeetingKind.MEMBER_MEETING, held=True
            ).order_by("-on")
            self.vote_form = VoteForm(
                *args, prefix="vote", voters=voters, meetings=meetings,
                **_without_instance(kwargs),
            )  # fmt: skip
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page wraps this form and the vote in one <form>

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if hasattr(self, "vote_form"):
            valid = self.vote_form.is_valid() and valid
            meeting = self.vote_form.cleaned_data.get("meeting") if valid else None
            if meeting is not None and self.cleaned_data.get("on") != meeting.on:
                self.add_error("on", _("The vote is on the day of its meeting, %(day)s.")
                               % {"day": meeting.on.isoformat()})  # fmt: skip
                valid = False
        return valid

    def service_arguments(self) -> dict:
        """Keyword arguments for development.services.step_record."""
        data = dict(self.cleaned_data)
        people = list(data.pop("people", []) or [])
        if data.get("attachment"):
            data["attachment_name"] = data["attachment"].name[-200:]  # as the user named it
        else:
            data.pop("attachment", None)
        arguments = {"people": people, **data}
        if hasattr(self, "vote_form"):
            arguments["vote"], arguments["vote_names"] = self.vote_form.vote()
        return arguments


def _without_instance(kwargs: dict) -> dict:
    return {k: v for k, v in kwargs.items() if k not in ("instance",)}


class VoteForm(forms.ModelForm):
    """Counts, or names: tick who attended and who is excluded, and the counts follow."""

    class Meta:
        model = Vote
        fields = ["meeting", *VOTE_FIELDS, "attendees", "excluded_members"]
        widgets = {
            "attendees": forms.CheckboxSelectMultiple,
            "excluded_members": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, voters: QuerySet[Member] | None = None, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.voters = voters if voters is not None else Member.objects.none()
        self.fields["meeting"].queryset = meetings if meetings is not None else (
            self.fields["meeting"].queryset.none()
        )  # fmt: skip
        self.fields["meeting"].required = False
        self.fields["meeting"].help_text = _(
            "Chosen, the counts come from the meeting's attendance (full members only)."
        )
        for name in ("attendees", "excluded_members"):
            self.fields[name].queryset = self.voters.order_by("name")
            self.fields[name].required = False
        self.fields["should_attend"].required = False
        self.fields["present"].required = False
        self.fields["should_attend"].help_text = _("Left empty when names are ticked below.")

    def clean(self):
        data = super().clean()
        meeting = data.get("meeting")
        if meeting is not None:
            return self._from_meeting(data, meeting)
        attendees = set(data.get("attendees") or [])
        excluded = set(data.get("excluded_members") or [])
        if attendees or excluded:
            if attendees & excluded:
                self.add_error("excluded_members", _("Someone is both present and excluded."))
            data["should_attend"] = self.voters.count() - len(excluded)
            data["excluded"] = len(excluded)
            data["present"] = len(attendees - excluded)
        for name in ("should_attend", "present"):
            if data.get(name) is None:
                self.add_error(name, _("Give the number, or tick the names below."))
        return data

    def _from_meeting(self, data: dict, meeting) -> dict:
        """The counts of the meeting's attendance, in one place; no quorum, no vote."""
        quorum = meeting_quorum(meeting)
        data["should_attend"], data["present"] = quorum.should, quorum.present
        data["excluded"] = meeting.attendance.filter(probationary=False, excluded=True).count()
        data["attendees"], data["excluded_members"] = [], []
        if not quorum.valid:
            self.add_error("meeting", _(
                "The meeting had no quorum (%(present)s of %(should)s full members present): "
                "its vote decides nothing."
            ) % {"present": quorum.present, "should": quorum.should})  # fmt: skip
        return data

    def vote(self) -> tuple[Vote, dict]:
        """An unsaved Vote and the names to attach once it is saved."""
        data = dict(self.cleaned_data)
        names = {
            "attendees": data.pop("attendees", []),
            "excluded_members": data.pop("excluded_members", []),
        }
        return Vote(**data), names


class ApplicantForm(MemberCreateForm):
    """A new applicant: the person's data and the date of the written application."""

    application_on = forms.DateField(
        label=gettext_lazy("date of the written application"), widget=DATE_WIDGET
    )

    def __init__(self, *args, organizations: QuerySet[Organization], **kwargs):
        super().__init__(*args, organizations=organizations, **kwargs)
        for name in ("status", "since", "arrival", "joined_on", "converted_on"):
            self.fields.pop(name, None)
        self.helper = submit_helper(_("Register the application"))

    def clean(self):
        self.cleaned_data["status"] = "applicant"
        data = super().clean()
        data["since"] = data.get("application_on")
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("reason for returning"), max_length=300)


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["day", "is_workday", "note"]
        widgets = {"day": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Add"))


class PlanForm(forms.ModelForm):
    class Meta:
        model = DevelopmentPlan
        fields = ["target", "target_women", "target_young", "target_college"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))

    def clean(self):
        data = super().clean()
        target = data.get("target") or 0
        for name in ("target_women", "target_young", "target_college"):
            if data.get(name) is not None and data[name] > target:
                self.add_error(name, _("A part cannot exceed the whole plan."))
        return data


class BoardFilterForm(forms.Form):
    """The board of another organization of the scope (picked by name or code), and one
    stage of it page by page instead of every column's first cards."""

    organization = forms.Field()  # replaced in __init__: the picker over the user's scope
    stage = forms.ChoiceField(label=gettext_lazy("stage"), required=False)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            organizations, label=_("organization"), required=False
        )
        self.fields["stage"].choices = [("", _("all stages"))] + [
            (s.value, s.label) for s in map(Status, BOARD_STATUSES)
        ]
        self.fields["stage"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self):
        data = super().clean()
        if not data.get("organization"):
            raise forms.ValidationError("")  # nothing chosen: stay on this board
        return data
