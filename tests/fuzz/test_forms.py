"""No server error from any form: every public and delegate form posted with fuzzed values for its
own fields (registration, edit of a registration, side-event request, observer application, visa
request, the search), on PostgreSQL. A value the portal cannot store is a form error, not a 500."""

import datetime as dt

import pytest
from django import forms
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from meetings.forms import SideEventRequestForm
from participants.forms import ObserverApplicationForm, RegistrationForm, VisaRequestForm
from tests.factories import UserFactory
from tests.meetings.factories import SideEventSlotFactory
from tests.participants.factories import RegistrationFactory, upcoming_meeting

from .strategies import COUNTS, FUZZ, fuzzed_text, number_text, value

FORMS = {
    "register": ("participants:register", RegistrationForm, "newcomer"),
    "edit": ("participants:edit", RegistrationForm, "delegate"),
    "side_event": ("meetings:side_event_request", SideEventRequestForm, "newcomer"),
    "observer": ("participants:observer_apply", ObserverApplicationForm, "newcomer"),
    "visa": ("participants:visa", VisaRequestForm, "delegate"),
}


def _good_values(field):
    """Values a field could accept, so that fuzzed ones meet the form's later checks too."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return st.lists(
            st.sampled_from([str(pk) for pk in field.queryset.values_list("pk", flat=True)] or ["1"])
        )
    if isinstance(field, forms.ModelChoiceField):
        key = field.to_field_name or "pk"
        return st.sampled_from([str(v) for v in field.queryset.values_list(key, flat=True)[:20]] or ["1"])
    if isinstance(field, forms.ChoiceField):
        return st.sampled_from([str(c[0]) for c in field.choices if c[0] != ""] or [""])
    if isinstance(field, forms.DateField):
        return st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)).map(str) | st.sampled_from(
            ["0000-01-01", "9999-12-31", "10000-01-01", "2020-02-30", "\x002020-01-01"]
        )
    if isinstance(field, forms.IntegerField):
        return number_text
    if isinstance(field, forms.EmailField):
        return st.emails().map(str) | fuzzed_text
    if isinstance(field, forms.BooleanField):
        return st.sampled_from(["on", "", "\x00"])
    return fuzzed_text


def form_data(form_class, form_kwargs):
    fields = form_class(**form_kwargs).fields
    return st.fixed_dictionaries(
        {},
        optional={
            name: st.one_of(_good_values(field), value)
            for name, field in fields.items()
            if not isinstance(field, forms.FileField)
        },
    )


@pytest.fixture
def world(db):
    meeting = upcoming_meeting()  # its registration still the delegate's to edit
    SideEventSlotFactory(meeting=meeting)
    registration = RegistrationFactory(meeting=meeting)
    return {
        "meeting": meeting,
        "registration": registration,
        "newcomer": UserFactory(),
        "delegate": registration.user,
    }


@pytest.mark.parametrize("form", sorted(FORMS))
def test_a_form_never_answers_a_server_error(form, world, client):
    url_name, form_class, who = FORMS[form]
    meeting, registration = world["meeting"], world["registration"]
    args = [registration.pk] if url_name in ("participants:edit", "participants:visa") else [meeting.code]
    kwargs = {"meeting": meeting} if form_class is RegistrationForm else {}
    if form_class is VisaRequestForm:
        kwargs = {"registration": registration}
    if form_class is SideEventRequestForm:
        kwargs = {"meeting": meeting}
    client.force_login(world[who])
    url = reverse(url_name, args=args)

    @FUZZ
    @given(data=form_data(form_class, kwargs))
    def check(data):
        COUNTS["examples"] += 1
        response = client.post(url, data)
        assert response.status_code < 500, data
        if any("\x00" in v for v in data.values() if isinstance(v, str)):
            # Refused with a message on the form, nothing stored.
            assert response.status_code == 200, (data, response.status_code)
            assert response.context["form"].errors

    check()
