"""The forms of the expert groups' pages; the services decide, the forms only collect and explain."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meetings.models import ExpertGroup
from participants.models import Organisation
from reference.models import Country

from .enums import MemberRole
from .models import Draft


class NominationForm(forms.Form):
    group = forms.ModelChoiceField(queryset=ExpertGroup.objects.all(), label=_("Expert group"))
    # Every State and organisation is accepted here so that the service's refusal, which names the
    # State, is what the user reads; the lists offer only the user's own.
    country = forms.ModelChoiceField(queryset=Country.objects.all(), required=False, label=_("For the Party"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label=_("For the organisation")
    )
    name = forms.CharField(label=_("Name of the expert"), max_length=200)
    email = forms.EmailField(label=_("E-mail of the expert"))
    expertise = forms.CharField(label=_("Expertise"), widget=forms.Textarea(attrs={"rows": 3}))
    role = forms.ChoiceField(label=_("Role proposed"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    publish_consent = forms.BooleanField(
        label=_("The expert agrees to be listed on the group's public page"), required=False
    )

    def __init__(self, *args, countries=(), organisations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "---------")] + [(c.pk, str(c)) for c in countries]
        self.fields["organisation"].choices = [("", "---------")] + [(o.pk, str(o)) for o in organisations]
        if len(countries) == 1 and not organisations:
            self.fields["country"].initial = countries[0].pk


class DraftForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(label=_("File (PDF or Word)"))
    paragraphs = forms.CharField(
        label=_("Paragraphs"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("The text members comment on, one paragraph after another, separated by a blank line."),
    )
    comments_until = forms.DateField(
        label=_("Comments until"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Included.")
    )
    revises = forms.ModelChoiceField(
        queryset=Draft.objects.none(), required=False, label=_("Revises the draft")
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["revises"].queryset = Draft.objects.filter(group=group)


class CommentForm(forms.Form):
    paragraph = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    decline_reason = forms.CharField(
        label=_("Reason for declining"), widget=forms.Textarea(attrs={"rows": 3})
    )
