import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts import roles
from tests.factories import PASSWORD, FocalPointFactory, StaffFactory, UserFactory, country

pytestmark = pytest.mark.django_db


def current_code(secret):
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def test_roles_exist_with_their_permissions():
    names = set(Group.objects.values_list("name", flat=True))
    assert set(roles.ROLE_PERMISSIONS) <= names
    officer = Group.objects.get(name=roles.REGISTRATION_OFFICER)
    codenames = set(officer.permissions.values_list("codename", flat=True))
    assert "view_meeting" in codenames
    assert "change_meeting" not in codenames
    admin = Group.objects.get(name=roles.SECRETARIAT_ADMIN)
    assert admin.permissions.filter(codename="change_country").exists()
    assert not Group.objects.get(name=roles.DELEGATE).permissions.exists()


def test_staff_without_an_authenticator_is_sent_to_enrol_before_the_admin(client):
    staff = StaffFactory(totp=False, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_reaches_the_admin(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Secretariat administration" in content
    assert reverse("admin:reference_country_changelist") in content


def test_admin_login_goes_through_the_portal_login(client):
    response = client.get(reverse("admin:index"), follow=True)
    # admin index → admin login → the portal's login (rate-limited, two-factor), nothing else
    assert [url.split("?")[0] for url, _ in response.redirect_chain] == [
        reverse("admin:login"),
        reverse("account_login"),
    ]
    assert response.request["PATH_INFO"] == reverse("account_login")
    assert 'name="login"' in response.content.decode()


def test_staff_login_asks_for_the_two_factor_code(client):
    staff = StaffFactory(is_superuser=True)
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(staff.totp_secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_login_attempts_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        assert "Too many failed login attempts" not in response.content.decode()
    # After five failures for this address even the right password is refused for a while.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signup_answers_the_same_for_a_known_address(client, django_capture_on_commit_callbacks):
    existing = UserFactory()
    data = {"password1": "a long pass phrase 42", "password2": "a long pass phrase 42"}
    # Account mails go through the outbox: sent once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        fresh = client.post(reverse("account_signup"), {"email": "new.person@example.org", **data})
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(reverse("account_signup"), {"email": existing.email, **data})
    assert fresh.status_code == known.status_code == 302
    assert fresh["Location"] == known["Location"] == reverse("account_email_verification_sent")
    # The owner of the known address is told by e-mail, not the visitor on screen.
    assert {m.to[0] for m in mail.outbox} == {"new.person@example.org", existing.email}


def test_password_reset_answers_the_same_for_an_unknown_address(client):
    known_user = UserFactory()
    known = client.post(reverse("account_reset_password"), {"email": known_user.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_focal_point_acts_only_for_their_own_state():
    from accounts.rules import is_focal_point_for

    focal_point = FocalPointFactory(country=country("ZMB")).user
    assert is_focal_point_for(focal_point, country("ZMB"))
    assert not is_focal_point_for(focal_point, country("PER"))
    assert not is_focal_point_for(StaffFactory(), country("PER"))
    assert not is_focal_point_for(UserFactory(), country("ZMB"))
