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


def test_who_may_see_registrations_but_not_send_letters_sends_none(client):
    from django.contrib.auth.models import Permission

    registration = RegistrationFactory(status=RegistrationStatus.ACCREDITED)
    viewer = StaffFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_registration", "change_registration"])
    )
    client.force_login(viewer)
    url = reverse("admin:participants_registration_changelist")
    # The action asks the letters' rule: it is not offered, and a forged POST sends nothing.
    assert 'value="send_confirmation_letters"' not in client.get(url, secure=True).content.decode()
    client.post(
        url,
        {"action": "send_confirmation_letters", "_selected_action": [registration.pk]},
        follow=True,
        secure=True,
    )
    assert not Letter.objects.exists()


def test_only_accredited_registrations_get_a_confirmation(client):
    meeting = MeetingFactory()
    accredited = RegistrationFactory(meeting=meeting, status=RegistrationStatus.ACCREDITED)
    declined = RegistrationFactory(meeting=meeting, status=RegistrationStatus.DECLINED)
    client.force_login(StaffFactory(roles=["Registration officer"]))
    response = client.post(
        reverse("admin:participants_registration_changelist"),
        {"action": "send_confirmation_letters", "_selected_action": [accredited.pk, declined.pk]},
        follow=True,
        secure=True,
    )
    assert list(Letter.objects.values_list("registration", flat=True)) == [accredited.pk]
    assert "1 selected registration is not accredited: no confirmation letter." in [
        str(m) for m in response.context["messages"]
    ]
