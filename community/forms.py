"""Forms of community reports, activities and evaluations."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.forms import check_not_future
from partybuild.choices import Rating
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import Activity, Report


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["community", "reported_on", "card_number"]
        widgets = {"reported_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].validators.append(check_not_future)
        self.helper = submit_helper(_("Save"))


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["on", "what", "hours"]
        widgets = {"on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate
        self.fields["on"].validators.append(check_not_future)
        self.helper = submit_helper(_("Record the activity"))


class EndForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("ended on"), widget=DATE_WIDGET,
                         initial=timezone.localdate, validators=[check_not_future])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("End the report"))


class EvaluationForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("year"), min_value=2000)
    grade = forms.ChoiceField(label=gettext_lazy("evaluation"), choices=Rating.choices)
    remark = forms.CharField(label=gettext_lazy("remark"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.helper = submit_helper(_("Save"))
