"""Forms of the yearly assessment."""

from django import forms
from django.utils.translation import gettext as _

from partybuild.forms import submit_helper

from .models import Item, Scheme


class SchemeForm(forms.ModelForm):
    class Meta:
        model = Scheme
        fields = ["year", "title", "good_from", "fairly_good_from", "average_from",
                  "bottom_count"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Save"))


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["section", "title", "max_points", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = submit_helper(_("Add the item"))
