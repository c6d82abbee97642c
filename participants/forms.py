from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.selectors import meeting_scope
from minamata_portal.forms import form_add_service_errors
from reference.models import Country

from .enums import STATE_CAPACITIES, Capacity, DelegationRole, OrganisationKind, ParticipationMode
from .models import NominationLetter, Organisation, Registration
from .selectors import participation_modes
from .services.participation import participation_mode_check
from .services.registration import correspondence_language_default, registration_capacity_check
from .services.visas import visa_request_check

DELEGATE_FIELDS = [
    "capacity", "country", "organisation", "title", "first_name", "last_name", "function", "department",
    "email", "phone", "gender", "participation_mode", "arrival", "departure", "funding_requested",
    "visa_letter_requested", "publish_contact", "correspondence_language",
]  # fmt: skip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def participation_mode_field(form, meeting) -> None:
    """In person or online, offered only where the meeting (or one of its segments) is online or
    hybrid; otherwise the field goes and the service takes the only mode there is."""
    offered = participation_modes(meeting) if meeting is not None else ()
    if len(offered) < 2:
        form.fields.pop("participation_mode", None)
        return
    field = form.fields["participation_mode"]
    field.choices = [(value, ParticipationMode(value).label) for value in offered]
    field.widget = forms.RadioSelect(choices=field.choices)
    field.help_text = _(
        "Online participants receive their connection details once accredited; they get no badge, funded "
        "travel, daily subsistence allowance or visa support letter."
    )
    if not (form.instance and form.instance.pk):
        # A new registration chooses: nothing is ticked in advance.
        form.initial["participation_mode"] = ""
        field.required = True


def correspondence_language_field(form) -> None:
    """The language of letters and mails: on a new registration, the language the page is read
    in, which the person may change (a focal point, for their delegate). Not sent (a client that
    leaves it out): the service takes the language in use, or keeps the stored one."""
    form.fields["correspondence_language"].required = False
    if not form.is_bound and not (form.instance and form.instance.pk):
        form.initial.setdefault("correspondence_language", correspondence_language_default())


def state_field_limit(field, meeting, *, current=None) -> None:
    """Offer only the States within the meeting's scope (the Lusaka consultation: the African
    States), plus the one a registration already names, so that editing it shows it. The field
    still accepts any State: one outside the scope is refused by the service's scope check (the
    real guard), which says why ("Peru is not within the scope of ...: African States"), where a
    narrower queryset would only say "not one of the available choices"."""
    field.queryset = Country.objects.order_by("name_en")
    scope = meeting_scope(meeting) if meeting is not None else None
    if scope is None or not scope.is_limited:
        return
    in_scope = Q(pk__in=scope.countries().values("pk"))
    offered = field.queryset.filter(in_scope | Q(pk=current) if current else in_scope)
    field.choices = [("", field.empty_label)] + [(c.pk, field.label_from_instance(c)) for c in offered]
    field.help_text = _("This meeting is for the States within its scope: %(scope)s.") % {
        "scope": scope.describe()
    }


class RegistrationForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = DELEGATE_FIELDS
        widgets = {"arrival": DATE, "departure": DATE}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.fields["capacity"].choices = [c for c in Capacity.choices if c[0] != Capacity.SECRETARIAT]
        state_field_limit(self.fields["country"], meeting, current=self.instance.country_id)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["country"].required = False
        self.fields["organisation"].required = False
        participation_mode_field(self, meeting)
        correspondence_language_field(self)

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
        participation_mode_form_check(self, self.meeting, data)
        return data

    def service_data(self):
        return {k: self.cleaned_data[k] for k in self.Meta.fields if k in self.cleaned_data}


def participation_mode_form_check(form, meeting, data) -> None:
    """The service's check of the mode, on the fields it names (asked again on save)."""
    if "participation_mode" not in form.fields:
        return
    try:
        stored = form.instance.participation_mode if form.instance and form.instance.pk else None
        participation_mode_check(
            meeting=meeting, mode=data.get("participation_mode"), funding_requested=data.get("funding_requested"),
            visa_letter_requested=data.get("visa_letter_requested"),
            offered_only=data.get("participation_mode") != stored,
        )  # fmt: skip
    except ValidationError as exc:
        form_add_service_errors(form, exc)


class PreRegistrationForm(forms.ModelForm):
    """A focal point registers a delegate of their State (capacity and State are implied)."""

    class Meta:
        model = Registration
        fields = [
            "title", "first_name", "last_name", "email", "function", "department", "phone", "gender",
            "delegation_role", "participation_mode", "arrival", "departure", "funding_requested",
            "visa_letter_requested", "correspondence_language",
        ]  # fmt: skip
        widgets = {"arrival": DATE, "departure": DATE}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        participation_mode_field(self, meeting)
        # Left blank, the delegate's own language: the one their account prefers if they have one,
        # else the language of this page (not silently the focal point's screen language).
        language = self.fields["correspondence_language"]
        language.required = False
        language.choices = [("", _("Their own language")), *[c for c in language.choices if c[0]]]
        if not self.is_bound and not (self.instance and self.instance.pk):
            self.initial["correspondence_language"] = ""

    def clean(self):
        data = super().clean()
        participation_mode_form_check(self, self.meeting, data)
        return data

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


class ParticipationModeForm(forms.Form):
    participation_mode = forms.ChoiceField(label=_("Participation"), choices=ParticipationMode.choices)


class AttendanceReportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance report of the meeting platform (CSV: e-mail, join time, leave time)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class AttendanceRecordForm(forms.Form):
    registration = forms.ModelChoiceField(label=_("Participant"), queryset=Registration.objects.none())
    day = forms.DateField(label=_("Day"), widget=DATE)
    mode = forms.ChoiceField(label=_("Present"), choices=ParticipationMode.choices)

    def __init__(self, *args, registrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if registrations is not None:
            self.fields["registration"].queryset = registrations
            self.fields["registration"].label_from_instance = lambda r: (
                f"{r.full_name} ({r.represents}, {r.email})"
            )


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
        label=_("Issuing State"), queryset=Country.objects.states().order_by("name_en")
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
