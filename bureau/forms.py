"""Forms explain the rules nicely; the services enforce them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reference.enums import RegionalGroup

from .enums import MandateStatus, ReviewDecision

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
