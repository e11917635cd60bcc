"""Organization, position and rules forms; tree rules are checked by the services."""

import datetime
from decimal import Decimal

from crispy_forms.layout import HTML, Fieldset, Layout
from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.idnumber import normalize_id_number
from members.models import Member
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import Organization, Policy, Position


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = [
            "name",
            "code",
            "kind",
            "parent",
            "unit",
            "founded_on",
            "term_elected_on",
            "term_years",
            "term_ends_on",
        ]
        widgets = {
            "founded_on": DATE_WIDGET,
            "term_elected_on": DATE_WIDGET,
            "term_ends_on": DATE_WIDGET,
        }
        help_texts = {
            "term_years": gettext_lazy("Left empty: 5 for committees, 3 for branches."),
            "term_ends_on": gettext_lazy("Left empty: the election date plus the term length."),
        }

    def __init__(
        self,
        *args,
        parents: QuerySet[Organization] | None = None,
        parent_required: bool = True,
        **kwargs,
    ):
        """`parents` None: no parent field (a scope's top stays put). Only superusers may
        leave the parent empty: a new top of the tree is outside everyone else's scope."""
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))
        if parents is None:
            del self.fields["parent"]  # the user's own top organization stays where it is
        else:
            self.fields["parent"] = organization_field(
                parents.active(),
                label=Organization._meta.get_field("parent").verbose_name,
                required=parent_required,
                lookup={"write": 1, "committees": 1},
            )

    def clean(self):
        data = super().clean()
        today = datetime.date.today()
        for name in ("founded_on", "term_elected_on"):
            if data.get(name) and data[name] > today:
                self.add_error(name, _("The date cannot be in the future."))
        elected, ends = data.get("term_elected_on"), data.get("term_ends_on")
        if ends and not elected:
            self.add_error("term_elected_on", _("Give the election date of the current term."))
        if elected and ends and ends <= elected:
            self.add_error("term_ends_on", _("A term ends after it was elected."))
        return data


class DissolveForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("dissolved on"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Dissolve"))


SELECT_LIMIT = 200  # beyond this many members a <select> is unusable and slow to render


class OrganizationPicker(forms.Select):
    """A searchable picker (Tom Select, static/js/picker.js): the page holds only the chosen
    organization; typing part of a name or code asks the server, which answers with matches
    in the user's scope and their path. Works the same with 20 organizations or 15,000."""

    def __init__(self, *, lookup: dict, attrs=None):
        attrs = {**(attrs or {}), "data-picker": reverse_lazy("organizations:organization_lookup"),
                 "data-picker-params": urlencode(lookup)}  # fmt: skip
        super().__init__(attrs=attrs)

    def optgroups(self, name, value, attrs=None):
        """Only the chosen organization, never every choice."""
        codes = [v for v in value if v]
        chosen = list(Organization.objects.filter(code__in=codes).values_list("code", "name"))
        options = [self.create_option(name, code, label, True, i) for i, (code, label) in
                   enumerate(chosen)]  # fmt: skip
        if not self.is_required or not chosen:
            options.insert(0, self.create_option(name, "", "", not chosen, len(options)))
        return [(None, options, 0)]


def organization_field(
    queryset: QuerySet[Organization], *, label, required: bool = True, lookup: dict | None = None
):
    """Choose an organization by its code through the searchable picker. `lookup` narrows
    what the picker offers (`write`, `committees`: see the lookup view); the field accepts
    exactly the organizations of `queryset`."""
    return forms.ModelChoiceField(
        queryset=queryset.order_by("code"), label=label, required=required, to_field_name="code",
        widget=OrganizationPicker(lookup=lookup or {}),
    )  # fmt: skip


class MemberByIdNumberField(forms.CharField):
    """Picks a member by resident ID number where a list would hold too many people."""

    def __init__(self, *, queryset: QuerySet[Member], **kwargs):
        self.queryset = queryset
        super().__init__(**kwargs)

    def clean(self, value):
        number = normalize_id_number(super().clean(value))
        member = self.queryset.filter(id_number=number).first()
        if member is None:
            raise forms.ValidationError(
                _("No party member with this ID number in this organization.")
            )
        return member


class PositionForm(forms.ModelForm):
    SELECT_LIMIT = SELECT_LIMIT

    class Meta:
        model = Position
        fields = ["post", "member", "started_on"]
        widgets = {"started_on": DATE_WIDGET}

    def __init__(self, *args, members: QuerySet[Member], **kwargs):
        super().__init__(*args, **kwargs)
        if members.count() > self.SELECT_LIMIT:
            self.fields["member"] = MemberByIdNumberField(
                queryset=members,
                label=gettext_lazy("resident ID number of the member"),
                max_length=18,
            )
        else:
            self.fields["member"].queryset = members.order_by("name")
        self.helper = submit_helper(_("Assign"))

    def clean_started_on(self):
        value = self.cleaned_data["started_on"]
        if value > datetime.date.today():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class PositionEndForm(forms.Form):
    ended_on = forms.DateField(label=gettext_lazy("to"), widget=DATE_WIDGET)


# The rules page's groups: a heading, a sentence saying what the settings govern, the fields.
POLICY_GROUPS = [
    (gettext_lazy("Organization settings"),
     gettext_lazy("How large each kind of organization may be, when a committee is required, "
                  "and how early the end of a term is announced."),
     ["branch_max_members", "branch_min_full_members", "general_branch_min_members",
      "party_committee_min_members", "committee_required_from", "term_warning_days"]),
    (gettext_lazy("Development time limits"),
     gettext_lazy("The time limits of the 25 steps from application to admission; the "
                  "reminders and the checks of each step follow them."),
     ["applicant_talk_months", "activist_min_months", "activist_review_months",
      "publicity_min_workdays", "training_min_days", "training_min_hours",
      "meeting_after_prereview_months", "approval_months", "approval_months_special",
      "oath_months"]),
    (gettext_lazy("Probation"),
     gettext_lazy("The length of probation, how far it may be extended, and how early its "
                  "end is announced."),
     ["probation_months", "extension_min_months", "extension_max_months",
      "probation_warning_days"]),
    (gettext_lazy("Reminders"),
     gettext_lazy("How many days before a time limit it appears in the reminders."),
     ["reminder_lead_days"]),
    (gettext_lazy("Organizational life"),
     gettext_lazy("How often each kind of meeting is due; the compliance matrix and the "
                  "reminders count the periods from these."),
     ["member_meeting_months", "committee_meeting_months", "group_meeting_months",
      "party_lesson_months", "theme_day_months", "life_meeting_months"]),
    (gettext_lazy("Party dues"),
     gettext_lazy("The monthly amount each member owes: a share of the after-tax pay or the "
                  "pension by bands (each band includes its upper bound), or a flat amount; "
                  "how back payment and arrears are limited."),
     ["dues_employed_band1_to", "dues_employed_band1_rate", "dues_employed_band2_to",
      "dues_employed_band2_rate", "dues_employed_band3_to", "dues_employed_band3_rate",
      "dues_employed_above_rate", "dues_retired_band1_to", "dues_retired_band1_rate",
      "dues_retired_above_rate", "dues_flat_amount", "dues_farmer_amount", "dues_rounding",
      "dues_back_months", "dues_arrears_months"]),
    (gettext_lazy("Elections"),
     gettext_lazy("How many more candidates than seats a differential ballot needs, whose "
                  "half a candidate's yes votes must exceed, and how early a term ending "
                  "appears in the terms list and the reminders."),
     ["election_more_candidates_percent", "election_majority_of", "election_warning_months"]),
    (gettext_lazy("Training"),
     gettext_lazy("The class hours of completed training a party member needs in a year; the "
                  "statistics count the members who reached them."),
     ["training_hours_required"]),
    (gettext_lazy("Transfers and floating members"),
     gettext_lazy("How long a transfer letter is valid before it is overdue, whether letters "
                  "leaving a party committee's subtree wait for its approval, and when a "
                  "floating member without contact is reminded."),
     ["transfer_validity_months", "transfer_approval", "floating_contact_months"]),
    (gettext_lazy("Democratic appraisal"),
     gettext_lazy("What a sheet must hold before it is submitted, and how long a member "
                  "graded unqualified has to rectify."),
     ["appraisal_requires_evaluations", "rectification_months"]),
]  # fmt: skip


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [name for _title, _sentence, names in POLICY_GROUPS for name in names]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))
        self.helper.layout = Layout(*[
            Fieldset(str(title), HTML(f'<p class="small text-muted">{escape(sentence)}</p>'),
                     *names, css_class="mb-3")
            for title, sentence, names in POLICY_GROUPS
        ])  # fmt: skip

    def clean(self):
        data = super().clean()
        bands = [data.get(f"dues_employed_band{i}_to") for i in (1, 2, 3)]
        if None not in bands and not bands[0] < bands[1] < bands[2]:
            self.add_error("dues_employed_band2_to", _("The bands' upper bounds must rise."))
        farmer = data.get("dues_farmer_amount")
        if farmer is not None and not Decimal("0.20") <= farmer <= Decimal("1.00"):
            self.add_error("dues_farmer_amount", _("Farmers pay between 0.20 and 1.00 yuan."))
        return data
