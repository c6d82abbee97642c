"""Personal tokens and the staff part of the API: a token sees exactly what its owner's pages
show, a read token only reads, a revoked one nothing, and every use is logged."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from api.enums import TokenScope
from api.models import ApiToken, ApiTokenUse
from api.services.tokens import api_token_create, api_token_revoke
from letters.enums import LetterKind
from letters.models import Letter
from participants.enums import Capacity, RegistrationStatus
from participants.models import Registration
from tests.factories import FocalPointFactory, StaffFactory, country
from tests.participants.factories import RegistrationFactory, open_meeting

from .conftest import token_client

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _registration_officer():
    return StaffFactory(roles=["Registration officer"])


def _documents_officer():
    return StaffFactory(roles=["Documents officer"])


def _focal_point(iso3="ZMB"):
    return FocalPointFactory(country=country(iso3)).user


def _letter(registration, n):
    return Letter.objects.create(
        meeting=registration.meeting, kind=LetterKind.CONFIRMATION, registration=registration,
        recipient_user=registration.user, recipient_name=registration.full_name,
        recipient_email=registration.email, reference=f"MC/TEST/{n}", trigger_key=f"test-{n}",
        verification_code=f"code-{n}-" + "x" * 30,
    )  # fmt: skip


@pytest.fixture
def meeting():
    return open_meeting(code="cop-9")


@pytest.fixture
def registrations(meeting):
    return {
        "zambia": RegistrationFactory(
            meeting=meeting, country=country("ZMB"), status=S.NOMINATED, last_name="Banda"
        ),
        "kenya": RegistrationFactory(
            meeting=meeting, country=country("KEN"), status=S.NOMINATED, last_name="Otieno"
        ),
        "zambia_pre": RegistrationFactory(meeting=meeting, country=country("ZMB"), last_name="Phiri"),
    }


def _names(response):
    return sorted(r["last_name"] for r in response.json()["results"])


def test_a_staff_read_write_token_accredits_a_registration_through_the_service(
    meeting, registrations, django_capture_on_commit_callbacks
):
    officer = _registration_officer()
    client = token_client(officer, TokenScope.READ_WRITE)
    target = registrations["zambia"]
    listed = client.get(f"/api/v1/meetings/{meeting.code}/registrations/", {"status": "nominated"}).json()
    assert sorted(r["last_name"] for r in listed["results"]) == ["Banda", "Otieno"]
    assert next(r for r in listed["results"] if r["id"] == target.pk)["actions"] == ["accredit", "decline"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/v1/registrations/{target.pk}/accredit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "accredited"
    target.refresh_from_db()
    assert target.status == S.ACCREDITED
    assert target.history.first().history_user == officer
    # The confirmation letter the service queues, as the admin's action does.
    assert Letter.objects.filter(registration=target, kind=LetterKind.CONFIRMATION).count() == 1
    # Accrediting twice is refused by the transition table, with its message.
    again = client.post(f"/api/v1/registrations/{target.pk}/accredit/")
    assert again.status_code == 400 and "cannot become" in str(again.json())
    # A State's delegate not yet nominated: the same refusal as the admin's.
    early = client.post(f"/api/v1/registrations/{registrations['zambia_pre'].pk}/accredit/")
    assert early.status_code == 403
    assert (
        registrations["zambia_pre"].__class__.objects.get(pk=registrations["zambia_pre"].pk).status
        == S.PRE_REGISTERED
    )
    print(f"\nstaff token accredited registration {target.pk}: {response.json()['status']}")


def test_a_read_token_reads_but_changes_nothing(meeting, registrations):
    client = token_client(_registration_officer(), TokenScope.READ)
    assert client.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 200
    listed = client.get(f"/api/v1/registrations/{registrations['zambia'].pk}/").json()
    assert listed["actions"] == []
    response = client.post(f"/api/v1/registrations/{registrations['zambia'].pk}/accredit/")
    assert response.status_code == 403
    assert Registration.objects.get(pk=registrations["zambia"].pk).status == S.NOMINATED


def test_a_focal_points_token_sees_and_declines_only_their_states_registrations(meeting, registrations):
    client = token_client(_focal_point("ZMB"), TokenScope.READ_WRITE)
    assert _names(client.get(f"/api/v1/meetings/{meeting.code}/registrations/")) == ["Banda", "Phiri"]
    assert _names(client.get(f"/api/v1/meetings/{meeting.code}/registrations/", {"country": "KEN"})) == []
    kenya = registrations["kenya"]
    assert client.get(f"/api/v1/registrations/{kenya.pk}/").status_code == 404
    assert (
        client.post(f"/api/v1/registrations/{kenya.pk}/decline/", {"reason": "x"}, format="json").status_code
        == 404
    )
    # Not theirs to accredit: the desk's move.
    own = registrations["zambia"]
    assert client.post(f"/api/v1/registrations/{own.pk}/accredit/").status_code == 403
    declined = client.post(f"/api/v1/registrations/{own.pk}/decline/", {"reason": "Replaced"}, format="json")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    own.refresh_from_db()
    assert (own.status, own.status_note) == (S.DECLINED, "Replaced")
    assert Registration.objects.get(pk=kenya.pk).status == S.NOMINATED
    # The staff-only lists of their pages stay closed.
    assert client.get(f"/api/v1/meetings/{meeting.code}/participants/").status_code == 403


@pytest.mark.parametrize(
    ("make_user", "registrations_status", "participants_status"),
    [(_documents_officer, 403, 403), (_registration_officer, 200, 200)],
)
def test_staff_tokens_reach_what_their_role_reaches(
    meeting, registrations, make_user, registrations_status, participants_status
):
    client = token_client(make_user())
    assert client.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == registrations_status
    assert client.get(f"/api/v1/meetings/{meeting.code}/participants/").status_code == participants_status
    detail = client.get(f"/api/v1/registrations/{registrations['zambia'].pk}/").status_code
    assert detail == (200 if registrations_status == 200 else 404)


def test_visitors_and_delegates_get_no_staff_data(api, meeting, registrations):
    assert api.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 401
    assert api.get("/api/v1/letters/").status_code == 401
    assert api.get(f"/api/v1/registrations/{registrations['zambia'].pk}/").status_code == 401
    assert api.post(f"/api/v1/registrations/{registrations['zambia'].pk}/accredit/").status_code == 401
    delegate = registrations["zambia"].user
    api.force_login(delegate)
    assert api.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 403
    assert api.get(f"/api/v1/registrations/{registrations['zambia'].pk}/").status_code == 404
    # A delegate makes no token: the page and the service refuse.
    assert api.get(reverse("api:tokens")).status_code == 403
    with pytest.raises(PermissionDenied):
        api_token_create(owner=delegate, name="mine", scope=TokenScope.READ)


def test_letters_staff_see_every_letter_with_its_delivery_others_their_own(meeting, registrations):
    own = _letter(registrations["zambia"], 1)
    _letter(registrations["kenya"], 2)
    officer = token_client(_registration_officer())
    rows = officer.get("/api/v1/letters/", {"meeting": meeting.code}).json()["results"]
    assert sorted(r["reference"] for r in rows) == ["MC/TEST/1", "MC/TEST/2"] and rows[0]["delivery"] is None
    assert officer.get("/api/v1/letters/", {"registration": registrations["kenya"].pk}).json()["count"] == 1
    documents = token_client(_documents_officer())
    assert documents.get("/api/v1/letters/").json()["count"] == 0
    # Delegates have no tokens; their session reads their own (rendered) letters, as "My letters".
    session = APIClient()
    session.force_login(registrations["zambia"].user)
    own.sha256 = "0" * 64
    own.save()
    assert [r["reference"] for r in session.get("/api/v1/letters/").json()["results"]] == ["MC/TEST/1"]


def test_the_list_of_participants_as_json(meeting):
    RegistrationFactory(meeting=meeting, country=country("ZMB"), status=S.ACCREDITED, last_name="Mwale")
    RegistrationFactory(meeting=meeting, country=country("KEN"), status=S.NOMINATED, last_name="Waiting")
    body = token_client(_registration_officer()).get(f"/api/v1/meetings/{meeting.code}/participants/").json()
    assert body["count"] == 1
    assert body["groups"][0]["key"] == "parties"
    assert body["groups"][0]["delegations"][0]["represents"] == "Zambia"
    assert body["groups"][0]["delegations"][0]["participants"][0]["last_name"] == "Mwale"
    assert body["groups"][0]["delegations"][0]["participants"][0]["email"] is None


def test_a_revoked_token_is_refused_at_its_next_request_and_every_use_is_logged(meeting):
    officer = _registration_officer()
    client = token_client(officer)
    token = ApiToken.objects.get(owner=officer)
    assert client.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 200
    assert client.post("/api/v1/registrations/999999/accredit/").status_code == 403
    api_token_revoke(token=token, by=officer)
    assert client.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 401
    uses = list(ApiTokenUse.objects.filter(token=token).order_by("at", "pk").values_list("method", "status"))
    assert uses == [("GET", 200), ("POST", 403)]
    token.refresh_from_db()
    assert token.last_used is not None and token.revoked_by == officer
    # Only the SHA-256 is stored.
    assert client.raw_token not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_a_staff_token_whose_owner_lost_two_factor_or_was_deactivated_is_refused(meeting):
    officer = _registration_officer()
    client = token_client(officer)
    url = f"/api/v1/meetings/{meeting.code}/registrations/"
    assert client.get(url).status_code == 200  # the token works: the 401s below are the checks
    officer.is_active = False
    officer.save()
    assert client.get(url).status_code == 401
    officer.is_active = True
    officer.save()
    assert client.get(url).status_code == 200
    from allauth.mfa.models import Authenticator

    Authenticator.objects.filter(user=officer).delete()
    assert client.get(f"/api/v1/meetings/{meeting.code}/registrations/").status_code == 401


def test_the_token_page_shows_a_new_token_once_and_revokes_it(client):
    officer = _registration_officer()
    client.force_login(officer)
    page = client.post(reverse("api:tokens"), {"name": "Registration sheet", "scope": "read_write"})
    assert page.status_code == 200
    token = ApiToken.objects.get(owner=officer)
    raw = page.context["created"]["raw"]
    assert raw.startswith("mcp_") and raw in page.content.decode()
    listing = client.get(reverse("api:tokens")).content.decode()
    assert raw not in listing and token.prefix in listing
    assert client.post(reverse("api:tokens"), {"name": "", "scope": "read"}).status_code == 400
    # Someone else's token is not theirs to revoke (404, as if it did not exist).
    other = StaffFactory(roles=["Registration officer"])
    client.force_login(other)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    client.force_login(officer)
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_registration_filters_as_the_admin(meeting, registrations):
    RegistrationFactory(meeting=meeting, capacity=Capacity.NGO, country=None, last_name="Ngo")
    client = token_client(_registration_officer())
    url = f"/api/v1/meetings/{meeting.code}/registrations/"
    assert _names(client.get(url, {"country": "zmb"})) == ["Banda", "Phiri"]
    assert _names(client.get(url, {"capacity": "ngo"})) == ["Ngo"]
    assert _names(client.get(url, {"region": "african", "status": "pre_registered"})) == ["Phiri"]
    assert _names(client.get(url, {"q": "otie"})) == ["Otieno"]


@pytest.mark.parametrize(
    "url",
    ["/api/v1/meetings/cop-9/registrations/", "/api/v1/letters/", "/api/v1/meetings/cop-9/participants/"],
)
def test_staff_lists_cost_the_same_queries_at_two_sizes(meeting, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = token_client(_registration_officer(), TokenScope.READ_WRITE)
    counts, made = [], 0
    for n in (2, 8):
        for i in range(n):
            made += 1
            registration = RegistrationFactory(meeting=meeting, status=S.ACCREDITED, last_name=f"P{n}-{i}")
            _letter(registration, made)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            assert response.status_code == 200
        counts.append(len(queries))
        # every row made so far is listed: equal counts of an empty list would prove nothing
        body = response.json()
        assert (body["count"] if "count" in body else len(body.get("participants", body))) >= made
    assert counts[0] == counts[1], counts


def test_draft_and_bureau_decisions_reach_only_those_the_bureaus_pages_let_in(api, meeting):
    from bureau.enums import DecisionStatus
    from bureau.models import Decision

    Decision.objects.create(
        meeting=meeting, session=9, number=None, status=DecisionStatus.DRAFT, title_en="Draft"
    )
    admin = token_client(StaffFactory(roles=["Secretariat administrator"]))
    officer = token_client(_registration_officer())
    assert [d["symbol"] for d in admin.get("/api/v1/decisions/").json()["results"]] == ["MC-9/[--]"]
    assert officer.get("/api/v1/decisions/").json()["count"] == 0
    assert api.get("/api/v1/decisions/").json()["count"] == 0


@pytest.mark.parametrize("url", ["/api/v1/meetings/cop-9/registrations/", "/api/v1/letters/"])
def test_focal_point_lists_cost_the_same_queries_at_two_sizes(meeting, url):
    """A focal point's token: their State's registrations, each with the actions their pages allow
    (asked of the rules row by row), and the letters issued to them."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    focal_point = _focal_point("ZMB")
    client = token_client(focal_point, TokenScope.READ_WRITE)
    counts, made = [], 0
    for n in (2, 8):
        for i in range(n):
            made += 1
            status = (S.PRE_REGISTERED, S.NOMINATED, S.ACCREDITED)[i % 3]
            mine = RegistrationFactory(
                meeting=meeting, country=country("ZMB"), status=status, last_name=f"Z{n}-{i}"
            )
            RegistrationFactory(meeting=meeting, country=country("KEN"), status=status, last_name=f"K{n}-{i}")
            letter = _letter(mine, made)
            Letter.objects.filter(pk=letter.pk).update(recipient_user=focal_point, sha256="0" * 64)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": 500})
            assert response.status_code == 200
        assert response.json()["count"] == made  # theirs only, all of them
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_a_tokens_rate_limit_is_one_whatever_address_it_is_used_from(meeting, settings):
    settings.API_TOKEN_REQUESTS_PER_MINUTE = 3
    client = token_client(_registration_officer())
    url = f"/api/v1/meetings/{meeting.code}/registrations/"
    answers = [client.get(url, REMOTE_ADDR=address).status_code for address in ("192.0.2.1", "192.0.2.2") * 2]
    assert answers == [200, 200, 200, 429]
    # Another token of the same owner, from the same address, has its own count.
    assert token_client(_registration_officer()).get(url, REMOTE_ADDR="192.0.2.1").status_code == 200


def test_the_use_log_keeps_the_path_without_its_query_string(meeting, registrations):
    officer = _registration_officer()
    client = token_client(officer)
    url = f"/api/v1/meetings/{meeting.code}/registrations/"
    assert client.get(url, {"q": "banda@example.org", "country": "ZMB"}).status_code == 200
    assert list(ApiTokenUse.objects.filter(token__owner=officer).values_list("method", "path", "status")) == [
        ("GET", url, 200)
    ]


def test_token_uses_are_pruned_daily_after_the_retention_period(meeting, settings):
    import datetime as dt

    from django.utils import timezone

    from api import tasks
    from minamata_portal.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["api-token-uses-prune"]
    assert entry["task"] == tasks.api_token_uses_prune_task.name and entry["task"] in app.tasks
    assert entry["schedule"] == 24 * 60 * 60
    settings.API_TOKEN_USE_RETENTION_DAYS = 30
    officer = _registration_officer()
    client = token_client(officer)
    for _ in range(3):
        client.get(f"/api/v1/meetings/{meeting.code}/registrations/")
    old, edge, recent = ApiTokenUse.objects.filter(token__owner=officer).order_by("pk")
    now = timezone.now()
    ApiTokenUse.objects.filter(pk=old.pk).update(at=now - dt.timedelta(days=31))
    ApiTokenUse.objects.filter(pk=edge.pk).update(at=now - dt.timedelta(days=29))
    assert tasks.api_token_uses_prune_task.delay().get() == 1
    assert set(ApiTokenUse.objects.filter(token__owner=officer).values_list("pk", flat=True)) == {
        edge.pk,
        recent.pk,
    }
