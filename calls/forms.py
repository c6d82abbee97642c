from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Call
from .services.calls import CALL_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CallForm(forms.ModelForm):
    class Meta:
        model = Call
        fields = list(CALL_FIELDS)
        widgets = {"deadline": DATE, "body": forms.Textarea(attrs={"rows": 8})}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; each is checked by content and size in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class AnswerForm(forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 10}), required=False)
    files = MultipleFileField(
        label=_("Files (PDF or Word)"),
        required=False,
        help_text=_("Their content is checked: a file that is not a PDF or Word document is refused."),
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ReminderForm(forms.Form):
    send_on = forms.DateField(label=_("Send a reminder on"), widget=DATE)
