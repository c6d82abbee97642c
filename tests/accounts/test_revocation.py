"""Revocation holds at the next request, whatever session the person still has: a focal point
the secretariat deactivates, a Bureau member whose term ended, a staff member whose role or
`is_staff` was withdrawn. Each test signs in once, is let in, loses the right, and is refused on
the very next request of the same session (no per-request cache outlives its request)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from accounts.models import FocalPoint
from accounts.rules import focal_point_country_ids
from accounts.services import focal_point_save
from bureau.services import term_close
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import FocalPointFactory, StaffFactory, country
from tests.participants.factories import open_meeting

pytestmark = pytest.mark.django_db


def test_deactivated_focal_point_is_refused_at_the_next_request(client):
    focal_point = FocalPointFactory(country=country("ZMB"))
    meeting = open_meeting()
    state_page = reverse("participants:fp_state", args=[meeting.code, "ZMB"])
    client.force_login(focal_point.user)
    assert client.get(state_page).status_code == 200
    focal_point.active = False
    focal_point_save(focal_point=focal_point)
    assert client.get(state_page).status_code == 404
    assert client.get(reverse("participants:fp_home")).status_code == 403
    pre_register = reverse("participants:fp_pre_register", args=[meeting.code, "ZMB"])
    assert (
        client.post(pre_register, {"first_name": "A", "last_name": "B", "email": "a@b.zm"}).status_code == 404
    )
    from participants.models import Registration, RegistrationRequest

    assert not Registration.objects.filter(meeting=meeting).exists()
    assert not RegistrationRequest.objects.filter(meeting=meeting).exists()


def test_focal_point_save_forgets_the_request_cache_of_its_user():
    """Within one request too: the user object a service deactivates stops acting at once."""
    focal_point = FocalPointFactory(country=country("ZMB"))
    user = focal_point.user
    assert focal_point_country_ids(user) == {country("ZMB").pk}
    focal_point.active = False
    focal_point_save(focal_point=focal_point)
    assert focal_point_country_ids(user) == set()
    assert not FocalPoint.objects.filter(user=user, active=True).exists()


def test_bureau_member_whose_term_ended_is_refused_at_the_next_request(client):
    today = timezone.localdate()
    term = bureau_term(start=today - dt.timedelta(days=400))
    member = bureau_member(term=term, start_date=today - dt.timedelta(days=400))
    client.force_login(member.user)
    assert client.get(reverse("bureau:home")).status_code == 200
    term_close(term=term, end_date=today)  # end dates are exclusive: over today
    assert client.get(reverse("bureau:home")).status_code == 403
    assert client.get(reverse("participants:credentials", args=[open_meeting().code])).status_code == 403


def _desk_and_admin(client, code):
    return (
        client.get(reverse("participants:staff_meeting", args=[code])).status_code,
        client.get(reverse("admin:participants_registration_changelist")).status_code,
    )


def test_staff_whose_role_is_withdrawn_is_refused_at_the_next_request(client):
    officer = StaffFactory(roles=["Registration officer"])
    code = open_meeting().code
    client.force_login(officer)
    assert _desk_and_admin(client, code) == (200, 200)
    officer.groups.remove(Group.objects.get(name="Registration officer"))
    assert _desk_and_admin(client, code) == (403, 403)


def test_staff_whose_is_staff_is_withdrawn_is_refused_at_the_next_request(client):
    officer = StaffFactory(roles=["Registration officer"])
    code = open_meeting().code
    client.force_login(officer)
    assert _desk_and_admin(client, code) == (200, 200)
    officer.is_staff = False
    officer.save(update_fields=["is_staff"])
    desk, admin = _desk_and_admin(client, code)
    assert desk == 403
    assert admin == 302  # the admin sends a non-staff user to its login page
    assert client.get(reverse("admin:index")).status_code == 302
