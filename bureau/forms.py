"""Forms explain the rules nicely; the services enforce them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.enums import MeetingKind
from meetings.models import Meeting
from reference.enums import RegionalGroup
from reference.models import Country

from .enums import MandateStatus, Office, ReviewDecision
from .models import Body

REGION_CHOICES = [("", _("The whole Bureau"))] + [
    c for c in RegionalGroup.choices if c[0] != RegionalGroup.NONE
]


class CommentForm(forms.Form):
    item = forms.TypedChoiceField(label=_("On"), coerce=int, empty_value=None, required=False)
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("The agenda as a whole"))] + [
            (i.pk, f"{_('Item')} {i.label}. {i.title}") for i in items
        ]


class RespondForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your review"),
        choices=[
            (ReviewDecision.APPROVED, _("Approve")),
            (ReviewDecision.CHANGES_REQUESTED, _("Ask for changes")),
        ],
    )


class AnswerForm(forms.Form):
    comment = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}))


class ReviseForm(forms.Form):
    note = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    region = forms.ChoiceField(label=_("Send to"), choices=REGION_CHOICES, required=False)
    message = forms.CharField(label=_("Message"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MandateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=MandateStatus.choices)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    report = forms.CharField(label=_("Report"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    report_file = forms.FileField(label=_("Report (file)"), required=False)


class TermForm(forms.Form):
    body = forms.ModelChoiceField(label=_("Body"), queryset=None)
    elected_at = forms.ModelChoiceField(label=_("Elected at"), queryset=None, required=False)
    ends_at = forms.ModelChoiceField(label=_("Ends at the closure of"), queryset=None, required=False)
    start_date = forms.DateField(
        label=_("Start"), required=False, help_text=_("Empty: the closing day of the electing meeting.")
    )
    end_date = forms.DateField(label=_("End"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.order_by("kind")
        cops = Meeting.objects.filter(kind=MeetingKind.COP, parent__isnull=True).order_by("start_date")
        self.fields["elected_at"].queryset = cops
        self.fields["ends_at"].queryset = cops


class MembershipForm(forms.Form):
    email = forms.EmailField(label=_("Person (e-mail of their account)"))
    country = forms.ModelChoiceField(label=_("State"), queryset=None)
    office = forms.ChoiceField(label=_("Office"), choices=Office.choices)
    region = forms.ChoiceField(
        label=_("Region"),
        choices=[("", _("The State's regional group")), *REGION_CHOICES[1:]],
        required=False,
        help_text=_("Only for a State outside any group, such as the United States (WEOG for elections)."),
    )
    start_date = forms.DateField(
        label=_("From"), required=False, help_text=_("Empty: the start of the term.")
    )
    end_date = forms.DateField(label=_("Until"), required=False)
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.order_by("name_en")

    def clean_email(self):
        user = User.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if user is None:
            raise forms.ValidationError(_("No account uses this e-mail address; create the account first."))
        self.cleaned_data["user"] = user
        return user.email


class ReplaceForm(forms.Form):
    membership = forms.ModelChoiceField(label=_("Member replaced"), queryset=None)
    email = forms.EmailField(label=_("Replacement (e-mail of their account)"))
    on = forms.DateField(label=_("From"))
    note = forms.CharField(label=_("Note"), required=False)

    def __init__(self, *args, term=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            term.memberships.filter(replaced_by__isnull=True).select_related("user", "country")
            if term
            else None
        )
        self.fields["membership"].queryset = qs

    clean_email = MembershipForm.clean_email
