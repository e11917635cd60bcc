"""Forms of secretaries' reports."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.forms import check_not_future
from partybuild.choices import Rating
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import Report


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["text", "attachment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12})}

    def save_attachment_name(self) -> None:
        upload = self.cleaned_data.get("attachment")
        if upload and hasattr(upload, "content_type"):  # a new upload, named as the user named it
            self.instance.attachment_name = upload.name[-200:]


class EvaluationForm(forms.Form):
    score = forms.IntegerField(label=gettext_lazy("score"), min_value=0, max_value=100)
    grade = forms.ChoiceField(label=gettext_lazy("grade"), choices=Rating.choices)
    comment = forms.CharField(label=gettext_lazy("evaluation"), required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save the evaluation"))


class IssueForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("issue to fix"), max_length=300)
    deadline = forms.DateField(label=gettext_lazy("deadline"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Add the issue"))


class DoneForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("fixed on"), widget=DATE_WIDGET,
                         initial=timezone.localdate, validators=[check_not_future])  # fmt: skip
    follow_up = forms.CharField(label=gettext_lazy("follow-up"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record it as fixed"))
