"""Roles visible: after signing in each person lands on what they act on, the navigation shows
their role's pages, and a focal point's home page says who they act for."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from bureau.services import membership_add
from tests.bureau.factories import bureau_term
from tests.factories import PASSWORD, FocalPointFactory, StaffFactory, UserFactory, country

from .test_accounts import current_code

pytestmark = pytest.mark.django_db


def _sign_in(client, user, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def _current_bureau_member():
    today = timezone.localdate()
    term = bureau_term(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))
    user = UserFactory(roles=["Bureau member"])
    membership_add(term=term, user=user, country=country("ZMB"), office="vice_president")
    return user


def _nav(client):
    html = client.get(reverse("home")).content.decode()
    return html.split('class="main-nav"', 1)[1].split("</nav>", 1)[0]


def test_delegate_lands_on_my_registrations(client):
    response = _sign_in(client, UserFactory())
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:mine")


def test_focal_point_lands_on_their_state_s_delegations(client):
    response = _sign_in(client, FocalPointFactory(country=country("ZMB")).user)
    assert response["Location"] == reverse("participants:fp_home")


def test_a_deactivated_focal_point_lands_as_a_delegate(client):
    focal_point = FocalPointFactory(country=country("ZMB"), active=False)
    assert _sign_in(client, focal_point.user)["Location"] == reverse("participants:mine")


def test_bureau_member_lands_on_the_reviews_awaiting_them(client):
    response = _sign_in(client, _current_bureau_member())
    assert response["Location"] == reverse("bureau:home")
    assert "Awaiting your review" in client.get(response["Location"]).content.decode()


def test_a_former_bureau_member_lands_as_a_delegate(client):
    term = bureau_term(start=dt.date(2017, 9, 29), end=dt.date(2018, 11, 23))
    user = UserFactory(roles=["Bureau member"])
    membership_add(term=term, user=user, country=country("ZMB"), office="vice_president")
    assert _sign_in(client, user)["Location"] == reverse("participants:mine")


def test_staff_land_on_the_secretariat_desk_after_their_code(client):
    staff = StaffFactory(roles=["Registration officer"])
    assert _sign_in(client, staff)["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(staff.totp_secret)})
    assert response["Location"] == reverse("admin:index")


def test_an_explicit_next_wins_over_the_landing_page(client):
    response = _sign_in(client, FocalPointFactory().user, next_url="/meetings/")
    assert response["Location"] == "/meetings/"


def test_navigation_shows_each_role_s_pages(client):
    delegate, focal_point = UserFactory(), FocalPointFactory(country=country("ZMB")).user
    officer, member = StaffFactory(roles=["Registration officer"]), _current_bureau_member()
    expected = {
        delegate: set(),
        focal_point: {reverse("participants:fp_home")},
        member: {reverse("bureau:home")},
        # The registration officer holds none of the Bureau's permissions.
        officer: {reverse("admin:index")},
    }
    role_pages = {reverse("participants:fp_home"), reverse("bureau:home"), reverse("admin:index")}
    for user, pages in expected.items():
        client.force_login(user)
        nav = _nav(client)
        shown = {page for page in role_pages if f'href="{page}"' in nav}
        assert shown == pages, user
        assert f'href="{reverse("participants:mine")}"' in nav
        client.logout()


def test_secretariat_administrator_sees_the_bureau_too(client):
    admin = StaffFactory(roles=["Secretariat administrator"])
    client.force_login(admin)
    nav = _nav(client)
    assert f'href="{reverse("admin:index")}"' in nav and f'href="{reverse("bureau:home")}"' in nav


def test_focal_point_home_page_names_their_role_and_links_their_state_s_page(client):
    client.force_login(FocalPointFactory(country=country("ZMB")).user)
    html = client.get(reverse("home")).content.decode()
    panel = html.split('class="role-panel"', 1)[1].split("</section>", 1)[0]
    assert "National focal point for Zambia" in panel
    assert f'href="{reverse("participants:fp_home")}"' in panel


def test_home_page_of_a_delegate_shows_no_role_panel(client):
    client.force_login(UserFactory())
    assert 'class="role-panel"' not in client.get(reverse("home")).content.decode()


def test_accepting_an_invitation_shows_the_focal_point_pages_at_once(client, settings):
    from participants.services.focal_points import focal_point_invitation_token, focal_point_invite

    user = UserFactory(email="new.fp@example.zm")
    client.force_login(user)
    assert f'href="{reverse("participants:fp_home")}"' not in _nav(client)
    invitation = focal_point_invite(country=country("ZMB"), email=user.email, by=StaffFactory())
    client.post(reverse("participants:focal_point_accept", args=[focal_point_invitation_token(invitation)]))
    assert f'href="{reverse("participants:fp_home")}"' in _nav(client)


def _age_session_roles(client, seconds):
    from accounts.navigation import SESSION_AT_KEY

    session = client.session
    session[SESSION_AT_KEY] -= seconds
    session.save()


def test_a_role_taken_away_during_the_session_leaves_the_navigation_once_the_roles_are_old(client):
    from accounts.navigation import ROLES_REFRESH_SECONDS

    focal_point = FocalPointFactory(country=country("ZMB"))
    client.force_login(focal_point.user)
    assert f'href="{reverse("participants:fp_home")}"' in _nav(client)
    focal_point.active = False
    focal_point.save()
    # Kept in the session: no query per page for the navigation...
    _age_session_roles(client, ROLES_REFRESH_SECONDS - 5)
    assert f'href="{reverse("participants:fp_home")}"' in _nav(client)
    # ...until the roles are ROLES_REFRESH_SECONDS old: then worked out again.
    _age_session_roles(client, 5)
    assert f'href="{reverse("participants:fp_home")}"' not in _nav(client)


def test_a_role_given_during_the_session_shows_once_the_roles_are_old(client):
    from accounts.navigation import ROLES_REFRESH_SECONDS

    user = UserFactory(roles=["National focal point"])
    client.force_login(user)
    assert f'href="{reverse("participants:fp_home")}"' not in _nav(client)
    FocalPointFactory(user=user, country=country("ZMB"))
    _age_session_roles(client, ROLES_REFRESH_SECONDS)
    assert f'href="{reverse("participants:fp_home")}"' in _nav(client)
