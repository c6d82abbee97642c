from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meetings.selectors import meeting_scope
from minamata_portal.forms import form_add_service_errors
from reference.models import Country

from .enums import STATE_CAPACITIES, Capacity, DelegationRole, OrganisationKind, ParticipationMode
from .models import NominationLetter, Organisation, Registration
from .selectors import participation_modes, registration_details_last_entered
from .services.participation import participation_mode_check
from .services.registration import correspondence_language_default, registration_capacity_check
from .services.visas import visa_request_check

DELEGATE_FIELDS = [
    "capacity", "country", "organisation", "title", "first_name", "last_name", "function", "department",
    "email", "phone", "address", "gender", "participation_mode", "arrival", "departure", "funding_requested",
    "visa_letter_requested", "publish_contact", "publish_email", "publish_phone", "correspondence_language",
]  # fmt: skip

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# WCAG 1.3.5: the person's own details carry the autocomplete token of what they are, so that a
# browser (or assistive software) can fill them in. Someone else's details (a focal point
# pre-registering a delegate) are marked "off": the browser must not offer the focal point's own.
OWN_DETAILS_AUTOCOMPLETE = {
    "title": "honorific-prefix", "first_name": "given-name", "last_name": "family-name",
    "function": "organization-title", "department": "organization", "email": "email", "phone": "tel",
    "address": "street-address", "gender": "sex", "correspondence_language": "language",
}  # fmt: skip

# Why each field is asked, next to it: a person gives more readily what they know the use of.
WHY_ASKED = {
    "capacity": _(
        "Whom you represent. A delegate of a State fills in the State; a representative of an "
        "organisation, the organisation."
    ),
    "country": _("Only for delegates of a State: the State whose delegation you belong to."),
    "organisation": _(
        "Only for representatives of an organisation. An intergovernmental or non-governmental "
        "organisation must be admitted as an observer first."
    ),
    "title": _("As it is printed on your badge and in the list of participants: Mr, Ms, Dr, H.E."),
    "function": _("Printed in the list of participants."),
    "department": _("Printed in the list of participants."),
    "email": _("Where the secretariat writes to you about this registration."),
    "phone": _("For the secretariat to reach you about this meeting; published only if you agree below."),
    "address": _("Where letters reach you; published only if you agree below."),
    "gender": _("Only for the statistics of participation; never printed on the badge or in the list."),
    "arrival": _("Needed for the daily subsistence allowance of funded participants and for a visa support letter."),
    "departure": _("Needed for the daily subsistence allowance of funded participants and for a visa support letter."),
    "funding_requested": _(
        "For delegates of eligible States: the secretariat decides who is funded once the focal point "
        "has nominated you."
    ),
    "visa_letter_requested": _(
        "Tick it if you need a letter for your visa application. Your passport details are asked only then, "
        "on a page of their own."
    ),
    # Consent to publication, one detail at a time (the list of participants is public at the meeting).
    "publish_contact": _("Your postal address is printed in the list of participants only if you tick this."),
    "publish_email": _(
        "Your e-mail is printed in the list of participants only if you tick this. Left unticked, only the "
        "secretariat sees it."
    ),
    "publish_phone": _(
        "Your telephone is printed in the list of participants only if you tick this. Left unticked, only the "
        "secretariat sees it."
    ),
}  # fmt: skip

# The same reasons, to a focal point who fills the form in for one of their delegates.
WHY_ASKED_FOR_DELEGATE = {
    "title": _("As it is printed on the badge and in the list of participants: Mr, Ms, Dr, H.E."),
    "email": _("The delegate's own address: the secretariat writes to them there, in their language."),
    "gender": WHY_ASKED["gender"],
    "arrival": WHY_ASKED["arrival"],
    "departure": WHY_ASKED["departure"],
    "visa_letter_requested": _(
        "The delegate is asked for their passport details only if a letter is needed, on a page of their own."
    ),
    "publish_contact": _(
        "Tick it only with the delegate's agreement: their postal address is then printed in the list of "
        "participants. They can change it on their registration."
    ),
    "publish_email": _(
        "Tick it only with the delegate's agreement: their e-mail is then printed in the list of participants. "
        "They can change it on their registration."
    ),
    "publish_phone": _(
        "Tick it only with the delegate's agreement: their telephone is then printed in the list of "
        "participants. They can change it on their registration."
    ),
}

# What the next registration of the same person starts from (see registration_initial).
REMEMBERED_FIELDS = (
    "capacity", "country", "organisation", "title", "first_name", "last_name", "function", "department",
    "email", "phone", "address", "gender", "correspondence_language",
)  # fmt: skip


def registration_initial(user) -> dict:
    """A new registration's form starts from what the person entered on their latest registration
    (for any meeting), else from their account: nobody types their name and ministry twice."""
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
               "title": user.title}  # fmt: skip
    initial.update(registration_details_last_entered(user=user, fields=REMEMBERED_FIELDS))
    return initial


def fields_explain(form, *, own: bool = True) -> None:
    """Say why each field is asked and mark the person's fields for autocompletion (their own
    details) or against it (someone else's). Called first: the meeting's own explanations (its
    scope, its modes) replace these where they apply."""
    reasons = WHY_ASKED if own else WHY_ASKED_FOR_DELEGATE
    for name, field in form.fields.items():
        if name in reasons:
            field.help_text = reasons[name]
        if name in OWN_DETAILS_AUTOCOMPLETE:
            field.widget.attrs["autocomplete"] = OWN_DETAILS_AUTOCOMPLETE[name] if own else "off"


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
        widgets = {"arrival": DATE, "departure": DATE, "address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        fields_explain(self)
        self.fields["capacity"].choices = [c for c in Capacity.choices if c[0] != Capacity.SECRETARIAT]
        state_field_limit(self.fields["country"], meeting, current=self.instance.country_id)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["country"].required = False
        self.fields["organisation"].required = False
        participation_mode_field(self, meeting)
        correspondence_language_field(self)
        # The page shows the State or the organisation by capacity (static/js/registration.js).
        self.state_capacities = " ".join(STATE_CAPACITIES)

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


# An event of a series of online events asks for a seat: who the person is and whom they represent,
# not the travel, funding, visa and publication questions of a meeting. The join link goes to the
# account's (verified) address, so the e-mail is not asked.
SEAT_FIELDS = [
    "capacity", "country", "organisation", "title", "first_name", "last_name", "function",
    "participation_mode", "correspondence_language",
]  # fmt: skip


class SeatRegistrationForm(RegistrationForm):
    class Meta(RegistrationForm.Meta):
        fields = SEAT_FIELDS


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
            "visa_letter_requested", "publish_contact", "publish_email", "publish_phone", "correspondence_language",
        ]  # fmt: skip
        widgets = {"arrival": DATE, "departure": DATE}

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        fields_explain(self, own=False)
        participation_mode_field(self, meeting)
        # The model's labels speak for the person ("publish my ..."); here someone else ticks them.
        self.fields["publish_contact"].label = _("Publish their postal address in the list of participants")
        self.fields["publish_email"].label = _("Publish their e-mail in the list of participants")
        self.fields["publish_phone"].label = _("Publish their telephone in the list of participants")
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
    # The person filling the form in is most often the contact: their own name and address (WCAG 1.3.5).
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    representatives = forms.CharField(
        label=_("Representatives (one per line)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class VisaRequestForm(forms.Form):
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_(
            "Asked only for the visa support letter, which the embassy checks against your passport. "
            "Stored encrypted and erased after the meeting."
        ),
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
