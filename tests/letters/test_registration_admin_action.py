import pytest
from django.urls import reverse

from letters.enums import LetterKind
from letters.models import Letter
from participants.enums import RegistrationStatus
from tests.factories import MeetingFactory, StaffFactory
from tests.participants.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def test_staff_send_confirmation_letters_to_the_selected_registrations_once(client):
    meeting = MeetingFactory()
    chosen = RegistrationFactory(meeting=meeting, status=RegistrationStatus.ACCREDITED)
    other = RegistrationFactory(meeting=meeting, status=RegistrationStatus.ACCREDITED)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    url = reverse("admin:participants_registration_changelist")
    payload = {"action": "send_confirmation_letters", "_selected_action": [chosen.pk]}

    client.post(url, payload, follow=True, secure=True)
    assert list(
        Letter.objects.filter(kind=LetterKind.CONFIRMATION).values_list("registration", flat=True)
    ) == [chosen.pk]
    assert not other.letters.exists()

    again = client.post(url, payload, follow=True, secure=True)
    assert Letter.objects.filter(registration=chosen, kind=LetterKind.CONFIRMATION).count() == 1
    assert "Every selected registration already has its letter." in [
        str(m) for m in again.context["messages"]
    ]
