"""Forms explain the rules nicely; the services enforce them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from meetings.enums import Language, MeetingKind
from meetings.models import Meeting
from reference.enums import RegionalGroup
from reference.models import Country

from .enums import REVIEW_ACTION_FOR, REVIEW_RESPONSE_TRANSITIONS, DecisionKind, MandateStatus, Office
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
    # The answers are the moves of the reviewer's table, named as the table names them.
    decision = forms.ChoiceField(
        label=_("Your review"),
        choices=[
            (status, REVIEW_RESPONSE_TRANSITIONS[action].label)
            for status, action in REVIEW_ACTION_FOR.items()
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
    report_language = forms.ChoiceField(
        label=_("Language of the file"), choices=Language.choices, initial=Language.ENGLISH, required=False
    )


class ReportFileForm(forms.Form):
    """The report of a meeting in one language (a new file replaces the one it had in it)."""

    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, initial=Language.ENGLISH)
    file = forms.FileField(label=_("File (PDF or Word)"))


class ReportSymbolForm(forms.Form):
    symbol = forms.CharField(
        label=_("Document symbol"),
        max_length=120,
        required=False,
        help_text=_("Where the report is issued as a document, e.g. UNEP/MC/COP.2/11."),
    )


class ReportRemoveForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)


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


class DecisionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DecisionKind.choices)
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None)
    symbol = forms.CharField(
        label=_("Symbol"),
        required=False,
        help_text=_("For a COP decision: MC-3/11, or MC-4/[--] for a draft."),
    )
    number = forms.IntegerField(
        label=_("Number"),
        required=False,
        min_value=1,
        help_text=_("For a Bureau decision; empty for a draft."),
    )
    title_en = forms.CharField(label=_("Title (English)"), max_length=400)
    text = forms.CharField(label=_("Preamble"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    paragraphs = forms.CharField(
        label=_("Operative paragraphs"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One paragraph per block, separated by an empty line."),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"), required=False, help_text=_("Empty: the closing day of the meeting.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            kind__in=[MeetingKind.COP, MeetingKind.BUREAU], parent__isnull=True
        ).order_by("-start_date")

    def clean_paragraphs(self):
        text = self.cleaned_data["paragraphs"].replace("\r\n", "\n")
        return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


class AdoptForm(forms.Form):
    number = forms.IntegerField(label=_("Number"), min_value=1)
    adopted_on = forms.DateField(label=_("Adopted on"))


class MandateCreateForm(forms.Form):
    paragraph = forms.ModelChoiceField(label=_("Paragraph"), queryset=None, required=False)
    description = forms.CharField(label=_("What is requested"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(label=_("Owner in the secretariat"), queryset=None, required=False)
    due_meeting = forms.ModelChoiceField(label=_("Due for meeting"), queryset=None, required=False)
    due_date = forms.DateField(label=_("Due date"), required=False)

    def __init__(self, *args, decision=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paragraph"].queryset = decision.paragraphs.all() if decision else None
        self.fields["paragraph"].label_from_instance = lambda p: _("para. %(n)s") % {"n": p.number}
        self.fields["owner"].queryset = User.objects.filter(is_staff=True, is_active=True).order_by(
            "last_name"
        )
        self.fields["due_meeting"].queryset = Meeting.objects.filter(parent__isnull=True).order_by(
            "-start_date"
        )


class TermCloseForm(forms.Form):
    ends_at = forms.ModelChoiceField(label=_("Closure of"), queryset=None, required=False)
    end_date = forms.DateField(
        label=_("End"), required=False, help_text=_("Empty: the closing day of that meeting.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ends_at"].queryset = Meeting.objects.filter(
            kind=MeetingKind.COP, parent__isnull=True
        ).order_by("start_date")

    def clean(self):
        data = super().clean()
        if not data.get("end_date"):
            if not data.get("ends_at"):
                raise forms.ValidationError(_("Give the meeting whose closure ends the term, or the date."))
            data["end_date"] = data["ends_at"].end_date
        return data
