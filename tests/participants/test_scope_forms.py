"""The delegate's registration form offers only the States within the meeting's scope; the
service's scope check stays the guard (a State posted from outside the scope is refused with the
reason, see test_scope_and_funding_policy.py)."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from meetings.enums import MeetingKind
from meetings.models import StateGroup
from participants.enums import Capacity
from participants.forms import RegistrationForm
from reference.models import Country
from tests.factories import UserFactory, country

from .factories import RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def lusaka():
    """A regional consultation for the African States (as in Lusaka), registration open."""
    return open_meeting(
        kind=MeetingKind.REGIONAL_CONSULTATION, code="rc-africa", title_en="African regional consultation",
        regions=["african"], start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 21),
    )  # fmt: skip


def offered_states(page: str) -> set[str]:
    """The names in the register page's State drop-down."""
    select = re.search(r'<select name="country".*?</select>', page, re.S)
    assert select, "no State field on the page"
    return {
        html.unescape(name.strip())
        for name in re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", select.group(0))
    }


def test_register_page_of_a_meeting_for_the_african_states_offers_zambia_not_peru(client, lusaka):
    client.force_login(UserFactory())
    response = client.get(reverse("participants:register", args=[lusaka.code]))
    states = offered_states(response.content.decode())
    assert "Zambia" in states and "Senegal" in states
    assert "Peru" not in states and "Germany" not in states
    assert states == {c.name_en for c in Country.objects.filter(regional_group="african")}
    assert "This meeting is for the States within its scope: African States." in response.content.decode()


def test_register_page_of_an_unlimited_meeting_offers_every_state(client):
    meeting = open_meeting(code="cop-x")
    client.force_login(UserFactory())
    states = offered_states(
        client.get(reverse("participants:register", args=[meeting.code])).content.decode()
    )
    assert {"Zambia", "Peru", "Germany"} <= states


def test_a_meeting_for_a_group_and_named_states_offers_exactly_those(client, lusaka):
    lusaka.regions = []
    lusaka.save()
    group = StateGroup.objects.create(name_en="Andean States")
    group.members.set([country("PER"), country("ECU")])
    lusaka.scope_groups.set([group])
    lusaka.scope_states.set([country("ZMB")])
    client.force_login(UserFactory())
    states = offered_states(client.get(reverse("participants:register", args=[lusaka.code])).content.decode())
    assert states == {"Ecuador", "Peru", "Zambia"}


def test_editing_a_registration_keeps_its_state_among_the_choices(lusaka):
    """A registration that names a State outside the scope (recorded before the scope was set)
    still shows it; the service decides whether it may stay."""
    registration = RegistrationFactory(meeting=lusaka, capacity=Capacity.PARTY, country=country("PER"))
    form = RegistrationForm(instance=registration, meeting=lusaka)
    names = {label for value, label in form.fields["country"].choices if value}
    assert "Peru" in names and "Zambia" in names and "Germany" not in names
    fresh = RegistrationForm(meeting=lusaka)
    assert "Peru" not in {label for value, label in fresh.fields["country"].choices if value}


def test_a_state_posted_from_outside_the_scope_is_refused_with_the_reason(client, lusaka):
    """The drop-down is a convenience: the field accepts the posted State and the service's scope
    check refuses it, naming the scope (not "not one of the available choices")."""
    client.force_login(UserFactory())
    response = client.post(
        reverse("participants:register", args=[lusaka.code]),
        {"capacity": "party", "country": country("PER").pk, "first_name": "Rosa", "last_name": "Quispe",
         "email": "rosa@example.pe", "correspondence_language": "es"},
    )  # fmt: skip
    html = response.content.decode()
    assert "Peru is not within the scope of African regional consultation: African States" in html
    assert "not one of the available choices" not in html
