"""Forms for organisers and staff. They read input and explain refusals with the same `*_check`
functions the services apply."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import SideEventSlot
from .services.side_events import (
    side_event_decline_check,
    side_event_request_check,
    side_event_schedule_check,
)


class ListChoiceField(forms.MultipleChoiceField):
    """A JSON list of fixed codes (a meeting's languages, the regions it serves, the classifications
    that make a Party eligible for funding) as ticks instead of a JSON text box. It saves the same
    list of codes, in the order of the choices; a code that is none of them is refused with a
    message naming the field and the codes it takes (a tampered or scripted post, an old value)."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        codes = super().clean(value)
        return [code for code, _label in self.choices if code in codes]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(self.error_messages["required"], code="required")
        unknown = [str(code) for code in value if not self.valid_value(code)]
        if unknown:
            raise ValidationError(
                _("%(field)s: %(unknown)s is none of the choices (%(codes)s)."),
                code="invalid_choice",
                params={
                    "field": capfirst(self.label or ""),
                    "unknown": ", ".join(unknown),
                    "codes": ", ".join(str(code) for code, _label in self.choices),
                },
            )


class SlotChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, slot):
        return str(slot)


class SideEventRequestForm(forms.Form):
    organisation = forms.CharField(label=_("Organising organisation"), max_length=200)
    co_organisers = forms.CharField(
        label=_("Co-organisers"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line."),
    )  # fmt: skip
    title = forms.CharField(label=_("Title of the side event"), max_length=300)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 6}))
    preferred_slots = SlotChoiceField(
        label=_("Preferred slots"),
        queryset=SideEventSlot.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Tick every slot that would suit you (venue time)."),
    )
    expected_attendance = forms.IntegerField(label=_("Expected attendance"), min_value=1, max_value=5000)
    technical_needs = forms.CharField(
        label=_("Technical needs"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Projector, microphones, interpretation, an online link…"),
    )  # fmt: skip
    # The person filling the form in is most often the contact: their own name and address (WCAG 1.3.5).
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        slots = SideEventSlot.objects.filter(meeting=meeting).select_related("meeting").order_by("starts")
        self.fields["preferred_slots"].queryset = slots
        if meeting.side_event_slots.exists():
            self.fields["preferred_slots"].required = True

    def clean(self):
        cleaned = super().clean()
        side_event_request_check(meeting=self.meeting, preferred_slots=cleaned.get("preferred_slots") or ())
        return cleaned


class SideEventDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the organiser)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def clean(self):
        cleaned = super().clean()
        if "reason" in cleaned:
            side_event_decline_check(reason=cleaned["reason"])
        return cleaned


class SlotField(forms.ModelChoiceField):
    def label_from_instance(self, slot):
        return str(slot)


class SideEventScheduleForm(forms.Form):
    slot = SlotField(label=_("Slot"), queryset=SideEventSlot.objects.none())
    room = forms.CharField(label=_("Room"), max_length=100)

    def __init__(self, *args, side_event, **kwargs):
        super().__init__(*args, **kwargs)
        self.side_event = side_event
        self.fields["slot"].queryset = (
            SideEventSlot.objects.filter(meeting_id=side_event.meeting_id)
            .select_related("meeting")
            .order_by("starts")
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("slot") is not None and "room" in cleaned:
            side_event_schedule_check(side_event=self.side_event, slot=cleaned["slot"], room=cleaned["room"])
        return cleaned
