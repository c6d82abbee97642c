from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from minamata_portal.forms import form_add_service_errors
from reference.models import Country

from .enums import STATE_CAPACITIES, Capacity, DelegationRole, OrganisationKind
from .models import NominationLetter, Organisation, Registration
from .services.registration import registration_capacity_check
from .services.visas import visa_request_check

DELEGATE_FIELDS = [
    "capacity", "country", "organisation", "title", "first_name", "last_name", "function", "department",
    "email", "phone", "gender", "arrival", "departure", "funding_requested", "visa_letter_requested",
    "publish_contact",
]  # fmt: skip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = DELEGATE_FIELDS
        widgets = {"arrival": DATE, "departure": DATE}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["capacity"].choices = [c for c in Capacity.choices if c[0] != Capacity.SECRETARIAT]
        self.fields["country"].queryset = Country.objects.order_by("name_en")
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["country"].required = False
        self.fields["organisation"].required = False

    def clean(self):
        # The service's own check, on the fields it names (the service asks it again on save).
        data = super().clean()
        capacity = data.get("capacity")
        if capacity:
            try:
                registration_capacity_check(
                    meeting=self.meeting, capacity=capacity, organisation=data.get("organisation"),
                    country=data.get("country") if capacity in STATE_CAPACITIES else None,
                )  # fmt: skip
            except ValidationError as exc:
                form_add_service_errors(self, exc)
        return data

    def service_data(self):
        return {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data}


class PreRegistrationForm(forms.ModelForm):
    """A focal point registers a delegate of their State (capacity and State are implied)."""

    class Meta:
        model = Registration
        fields = [
            "title", "first_name", "last_name", "email", "function", "department", "phone", "gender",
            "delegation_role", "arrival", "departure", "funding_requested", "visa_letter_requested",
        ]  # fmt: skip
        widgets = {"arrival": DATE, "departure": DATE}

    def service_data(self):
        return {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data}


class NominationForm(forms.Form):
    role = forms.ChoiceField(label=_("Role in the delegation"), choices=DelegationRole.choices)
    existing_letter = forms.ModelChoiceField(
        label=_("Nomination letter already uploaded"),
        queryset=NominationLetter.objects.none(),
        required=False,
    )
    letter = forms.FileField(
        label=_("Or upload the nomination letter / note verbale (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def __init__(self, *args, letters=None, **kwargs):
        super().__init__(*args, **kwargs)
        if letters is not None:
            self.fields["existing_letter"].queryset = letters
            self.fields["existing_letter"].label_from_instance = lambda letter: (
                f"{letter.original_name} ({letter.uploaded:%Y-%m-%d})"
            )

    def clean(self):
        data = super().clean()
        if not data.get("existing_letter") and not data.get("letter"):
            raise forms.ValidationError(_("Upload the nomination letter or choose one already uploaded."))
        return data


class CheckInForm(forms.Form):
    token = forms.CharField(
        label=_("Badge code (scan or type)"),
        max_length=400,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ObserverApplicationForm(forms.Form):
    name = forms.CharField(label=_("Organisation"), max_length=250)
    acronym = forms.CharField(label=_("Acronym"), max_length=30, required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[(OrganisationKind.NGO.value, OrganisationKind.NGO.label),
                                  (OrganisationKind.IGO.value, OrganisationKind.IGO.label)]
    )  # fmt: skip
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    statutes = forms.CharField(
        label=_("Statutes (summary or link)"), widget=forms.Textarea(attrs={"rows": 3})
    )
    competence = forms.CharField(
        label=_("Evidence of competence in matters covered by the Convention"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200)
    contact_email = forms.EmailField(label=_("Contact e-mail"))
    representatives = forms.CharField(
        label=_("Representatives (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class VisaRequestForm(forms.Form):
    passport_number = forms.CharField(
        label=_("Passport number"), max_length=40, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    passport_country = forms.ModelChoiceField(
        label=_("Issuing State"), queryset=Country.objects.order_by("name_en")
    )
    passport_issued = forms.DateField(label=_("Date of issue"), widget=DATE)
    passport_expires = forms.DateField(label=_("Date of expiry"), widget=DATE)
    embassy = forms.CharField(label=_("Embassy or consulate where you will apply"), max_length=250)

    def __init__(self, *args, registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.registration = registration

    def clean(self):
        # The service's own check, on the fields it names (the service asks it again on save).
        data = super().clean()
        if not self.errors:
            try:
                visa_request_check(
                    registration=self.registration, passport_number=data["passport_number"],
                    passport_issued=data["passport_issued"], passport_expires=data["passport_expires"],
                )  # fmt: skip
            except ValidationError as exc:
                form_add_service_errors(self, exc)
        return data
