"""Review of issue 12: a focal point's request to an account holder honours the one-head rule and
the person's own language; an account made for a focal point invitation takes its language."""

import re

import pytest
from django.urls import reverse

from outbox.models import OutgoingMail
from participants.enums import DelegationRole, RegistrationRequestStatus
from participants.errors import RegistrationError
from participants.models import RegistrationRequest
from participants.services.focal_points import focal_point_invite, focal_point_pre_register
from tests.factories import FocalPointFactory, StaffFactory, UserFactory, country

from .factories import RegistrationFactory, open_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def zambia():
    return FocalPointFactory(country=country("ZMB")).user


def test_asking_an_account_holder_to_be_a_second_head_is_refused_naming_the_head(zambia):
    meeting = open_meeting()
    RegistrationFactory(
        meeting=meeting, country=country("ZMB"), delegation_role=DelegationRole.HEAD, first_name="Mwila"
    )
    person = UserFactory(email="chanda.phiri@example.zm")
    with pytest.raises(RegistrationError) as refused:
        focal_point_pre_register(
            meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
            first_name="Chanda", last_name="Phiri", delegation_role=DelegationRole.HEAD,
        )  # fmt: skip
    assert "Mwila" in str(refused.value.message_dict["delegation_role"])
    assert not RegistrationRequest.objects.exists()
    assert not OutgoingMail.objects.filter(to=person.email).exists()
    # As a member, the same request goes.
    focal_point_pre_register(
        meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
        first_name="Chanda", last_name="Phiri", delegation_role=DelegationRole.MEMBER,
    )  # fmt: skip
    assert RegistrationRequest.objects.get().status == RegistrationRequestStatus.PENDING


def test_request_left_blank_writes_in_the_persons_language_not_the_focal_points_screen(client, zambia):
    meeting = open_meeting()
    person = UserFactory(email="rosa@example.zm", preferred_language="es")
    client.force_login(zambia)
    url = reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    select = re.search(r'<select name="correspondence_language".*?</select>', page, re.S).group(0)
    # Nothing chosen in advance for the focal point: the French page does not pick French.
    assert not re.search(r'<option value="(en|fr|es)"[^>]*selected', select)
    response = client.post(
        url,
        {"first_name": "Rosa", "last_name": "Mulenga", "email": person.email, "function": "Adviser",
         "delegation_role": "adviser", "correspondence_language": ""},
        HTTP_ACCEPT_LANGUAGE="fr",
    )  # fmt: skip
    assert response.status_code == 302
    request = RegistrationRequest.objects.get(user=person)
    assert request.details["correspondence_language"] == "es"
    assert OutgoingMail.objects.get(trigger_key=f"registration-request:{request.pk}").language == "es"


def test_a_language_the_focal_point_chooses_still_wins(zambia):
    meeting = open_meeting()
    person = UserFactory(email="rosa@example.zm", preferred_language="es")
    request = focal_point_pre_register(
        meeting=meeting, country=country("ZMB"), by=zambia, email=person.email,
        first_name="Rosa", last_name="Mulenga", correspondence_language="fr",
    )  # fmt: skip
    assert request.details["correspondence_language"] == "fr"


def test_an_account_made_for_the_invitation_takes_its_language(client):
    invitation = focal_point_invite(
        country=country("SEN"), email="ministre@env.gouv.sn", by=StaffFactory(), language="fr"
    )
    token = re.search(
        r"/participants/focal-point/invitation/([^/\s]+)/", OutgoingMail.objects.get().body_text
    )
    user = UserFactory(email="ministre@env.gouv.sn", preferred_language="en")  # made after the invitation
    client.force_login(user)
    assert client.post(reverse("participants:focal_point_accept", args=[token.group(1)])).status_code == 302
    user.refresh_from_db()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert user.preferred_language == "fr"


def test_an_older_account_keeps_its_own_language(client):
    user = UserFactory(email="ministre@env.gouv.sn", preferred_language="es")
    focal_point_invite(country=country("SEN"), email="ministre@env.gouv.sn", by=StaffFactory(), language="fr")
    token = re.search(
        r"/participants/focal-point/invitation/([^/\s]+)/", OutgoingMail.objects.get().body_text
    )
    client.force_login(user)
    assert client.post(reverse("participants:focal_point_accept", args=[token.group(1)])).status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "es"
