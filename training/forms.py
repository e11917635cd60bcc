"""Forms of training classes."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.forms import check_not_future
from partybuild.forms import DATE_WIDGET, submit_helper

from .models import TrainingClass


class ClassForm(forms.ModelForm):
    class Meta:
        model = TrainingClass
        fields = ["kind", "title", "starts_on", "ends_on", "days", "hours"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))


class CompleteForm(forms.Form):
    on = forms.DateField(label=gettext_lazy("completed on"), widget=DATE_WIDGET,
                         initial=timezone.localdate, validators=[check_not_future])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Record the class as completed"))
