from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organizations.forms import organization_field
from organizations.models import Role
from partybuild.forms import DATE_WIDGET, submit_helper
from partybuild.models import Action


class RoleForm(forms.Form):
    """Where and as what an account acts: an organization of the granter's subtree."""

    role = forms.ChoiceField(label=gettext_lazy("role"), choices=Role.choices)

    def __init__(self, *args, organizations, submit: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = organization_field(
            organizations, label=gettext_lazy("organization"), lookup={"write": 1}
        )
        self.order_fields(["organization", "role"])
        self.helper = submit_helper(submit)


class AccountCreateForm(RoleForm):
    username = forms.CharField(
        label=gettext_lazy("login name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    full_name = forms.CharField(label=gettext_lazy("full name"), max_length=150)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, submit=_("Create the account"), **kwargs)
        self.order_fields(["username", "full_name", "organization", "role"])

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This login name is taken."))
        return username


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("login name"), required=False)
    action = forms.ChoiceField(
        label=gettext_lazy("action"), required=False, choices=[("", "—"), *Action.choices]
    )
    since = forms.DateField(label=gettext_lazy("from"), required=False, widget=DATE_WIDGET)
    until = forms.DateField(label=gettext_lazy("to"), required=False, widget=DATE_WIDGET)
