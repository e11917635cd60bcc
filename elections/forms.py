"""Forms of elections: the meeting and seats, the candidates' grid, the superior's decision."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meetings.models import Kind as MeetingKind
from meetings.models import Meeting
from organizations.forms import SELECT_LIMIT, MemberByIdNumberField
from partybuild.forms import submit_helper

from .models import Race

ROWS = 12  # candidate lines on the grid: a committee of 7 with 20 % more needs 9


class ElectionForm(forms.Form):
    meeting = forms.ModelChoiceField(label=gettext_lazy("member meeting that held it"),
                                     queryset=Meeting.objects.none())  # fmt: skip
    committee_seats = forms.IntegerField(
        label=gettext_lazy("committee seats"), min_value=0, max_value=7, initial=0,
        help_text=gettext_lazy("0 where the organization has no committee (fewer than 7 full "
                               "members): the meeting elects the secretary directly."),
    )  # fmt: skip

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            organization=organization, kind=MeetingKind.MEMBER_MEETING, held=True
        ).order_by("-on")
        self.fields["meeting"].label_from_instance = lambda m: f"{m.on:%Y-%m-%d} {m.topic}"
        self.helper = submit_helper(_("Record the election"))


class CandidateForm(forms.Form):
    race = forms.ChoiceField(label=gettext_lazy("for"), choices=[("", "—"), *Race.choices],
                             required=False)  # fmt: skip
    votes = forms.IntegerField(label=gettext_lazy("yes votes"), min_value=0, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        if members.count() > SELECT_LIMIT:
            self.fields["member"] = MemberByIdNumberField(
                queryset=members, label=gettext_lazy("resident ID number"), max_length=18,
                required=False,
            )  # fmt: skip
        else:
            self.fields["member"] = forms.ModelChoiceField(
                queryset=members.order_by("name_pinyin", "pk"), label=gettext_lazy("candidate"),
                required=False,
            )  # fmt: skip
        self.order_fields(["race", "member", "votes"])

    def clean(self):
        data = super().clean()
        filled = [data.get("race"), data.get("member"), data.get("votes") is not None]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Fill in the race, the candidate and the votes."))
        return data

    @property
    def row(self):
        data = self.cleaned_data
        return (data["race"], data["member"], data["votes"]) if data.get("race") else None


def candidate_forms(data, *, members, initial: list[dict]) -> list[CandidateForm]:
    rows = [*initial, *[{}] * max(0, ROWS - len(initial))]
    return [CandidateForm(data, prefix=f"c{i}", initial=row, members=members)
            for i, row in enumerate(rows)]  # fmt: skip
