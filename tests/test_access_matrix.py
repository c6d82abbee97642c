"""The access matrix (issue 14): every role × every URL pattern of the portal × every method the view
accepts, each answer compared with what the view's own rule says.

Nothing here is written by hand per page. The patterns come from walking the URL resolver (as
tests/test_access_layer.py does), so a page another change adds is in the matrix the moment it is
routed. What a page checks comes from the marks `minamata_portal.access.rule_required` leaves on its
wrapper (`access_rule`, `access_load`, `access_hide`, `access_anonymous`; `@public` marks public). The
expected answer for a cell is derived: the loader is called with the URL's arguments, and
`user.has_perm(rule, obj)` (django-rules) decides:

- allowed: the rule let the user in (the wrapper marks the request) and the answer is 2xx/3xx, not a
  redirect to sign in; past the rule, a 400 to the empty POST (the form's errors) or a 403 from a
  second rule the view asks for one posted action (a Bureau member posting to the composition page)
  are counted apart, not as refusals;
- refused: 403, or 404 where the rule hides (`hide=True`), or a redirect to sign in for a visitor.

The world holds one object per loader (a registration, a letter, a restricted document, a draft
decision...), all of one delegate and one State, so that "the delegate of the object" and "the focal
point of the State" are real roles. A pattern whose arguments the world cannot fill (a new loader)
fails the test by name. Each cell runs in a savepoint rolled back afterwards, so an allowed POST
cannot change what the next cell sees; a refused POST must leave every table exactly as it was
(a fingerprint of every row of every table, history included, before and after).
"""

import datetime as dt
import inspect
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import resolve_url
from django.test import RequestFactory
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from rest_framework.views import APIView

from accounts import roles
from accounts.models import User
from bureau.services import (
    agenda_review_send,
    bureau_meeting_report_save,
    decision_adopt,
    decision_create,
    mandate_create,
)
from documents import services as document_services
from documents.enums import Distribution
from documents.models import LanguageVersionFile
from letters.enums import LetterKind
from letters.models import Letter
from meetings.enums import AgendaStatus, MeetingKind
from meetings.models import EventSeries, MeetingMaterial, ParticipantInformation, ParticipantInformationFile
from meetings.services.information import participant_information_file_save, participant_information_save
from meetings.services.materials import meeting_material_save
from meetings.services.series import event_series_save
from minamata_portal.access import rule_required
from participants.enums import RegistrationStatus
from participants.services.badges import registration_set_badge_photo
from participants.services.focal_points import (
    focal_point_invitation_token,
    focal_point_invite,
    registration_request_create,
)
from participants.services.visas import visa_request_approve, visa_request_create
from tests.bureau.factories import bureau_member, bureau_term
from tests.documents.factories import pdf_bytes, publish, register, version
from tests.factories import (
    AgendaItemFactory,
    AgendaVersionFactory,
    FocalPointFactory,
    MeetingFactory,
    StaffFactory,
    UserFactory,
    country,
)
from tests.meetings.factories import SideEventFactory
from tests.participants.factories import NominationLetterFactory, RegistrationFactory, open_meeting
from tests.test_access_layer import _portal_views

pytestmark = pytest.mark.django_db

ARGUMENT = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
# Tables a request may write whoever asks: the session a sign-in keeps. Nothing else.
UNWATCHED_TABLES = {"django_session"}


# --- Roles ----------------------------------------------------------------------------------------


def staff_roles() -> list[str]:
    """The roles of accounts/roles.py that carry permissions: the secretariat's (a role added
    there is a row of the matrix without a change here)."""
    return [name for name, patterns in roles.ROLE_PERMISSIONS.items() if patterns]


def _role_users(world) -> dict:
    users = {
        "anonymous": None,
        "delegate": UserFactory(roles=[roles.DELEGATE]),
        "delegate of the object": world["owner"],
        "focal point of the State": world["focal_point"],
        "focal point of another State": FocalPointFactory(country=country("NGA")).user,
        "Bureau member": world["bureau_member"],
        "staff without a role": StaffFactory(),
    }
    for name in staff_roles():
        users[f"staff: {name}"] = StaffFactory(roles=[name])
    users["superuser"] = StaffFactory(is_superuser=True)
    return users


# --- The world: one object per loader ------------------------------------------------------------


def _badge_photo_upload():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), (120, 60, 30)).save(buffer, "PNG")
    return SimpleUploadedFile("me.png", buffer.getvalue(), content_type="image/png")


def _build_world(django_capture_on_commit_callbacks) -> dict:
    today = timezone.localdate()
    zambia = country("ZMB")
    admin = StaffFactory(roles=[roles.SECRETARIAT_ADMIN])
    focal_point = FocalPointFactory(country=zambia).user
    owner = UserFactory(roles=[roles.DELEGATE])

    meeting = open_meeting(code="matrix-cop", number=7, symbol_prefix="UNEP/MC/COP.7")
    AgendaVersionFactory(meeting=meeting, number=1, status=AgendaStatus.ISSUED)
    AgendaItemFactory(version=meeting.agenda_versions.get(number=1), position=1, title_en="Opening")
    other_meeting = open_meeting(code="matrix-other")

    # The delegate's registration, accredited, with a visa request approved: the visa letter (with a
    # passport number) is rendered for real and addressed to the delegate.
    registration = RegistrationFactory(
        meeting=meeting, user=owner, country=zambia, status=RegistrationStatus.ACCREDITED
    )
    visa = visa_request_create(
        registration=registration, by=owner, passport_number="ZN1234567", passport_country=zambia,
        passport_issued=dt.date(2016, 1, 1), passport_expires=dt.date(2035, 1, 1), embassy="Embassy of Switzerland",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        visa_request_approve(visa=visa, by=admin)
    letter = Letter.objects.get(kind=LetterKind.VISA, registration=registration)
    assert letter.pdf and letter.recipient_user_id == owner.pk
    # A badge photo: the photo's page answers 404 where there is none, for everyone.
    registration_set_badge_photo(registration=registration, uploaded=_badge_photo_upload(), by=owner)
    # The State's focal point asks the same delegate to join its delegation to another meeting.
    registration_request = registration_request_create(
        meeting=other_meeting, country=zambia, person=owner, by=focal_point
    )
    nomination_letter = NominationLetterFactory(meeting=meeting, country=zambia)
    invitation = focal_point_invite(country=zambia, email="invited@example.org", by=admin)
    side_event = SideEventFactory(meeting=meeting)
    # The meeting's information for participants, with a file (public, like the page).
    information = participant_information_save(
        information=ParticipantInformation(meeting=meeting, section="venue", language="en", body="CICG")
    )
    information_file = participant_information_file_save(
        file=ParticipantInformationFile(information=information, title="Map"),
        uploaded=SimpleUploadedFile("map.pdf", pdf_bytes()),
    )
    # A material not yet published (the secretariat's alone until staff publish it).
    material = meeting_material_save(
        material=MeetingMaterial(meeting=meeting, title="Slides"),
        uploaded=SimpleUploadedFile("slides.pdf", pdf_bytes()),
    )
    series = event_series_save(series=EventSeries(code="minamata-online", title_en="Minamata Online"))

    # The Bureau in office today, one member, and a draft agenda sent to it for review.
    term = bureau_term(start=today - dt.timedelta(days=100), end=today + dt.timedelta(days=300))
    member = bureau_member(term=term, iso3="NGA")
    draft = AgendaVersionFactory(meeting=meeting, number=2)
    AgendaItemFactory(version=draft, position=1, title_en="Opening of the meeting")
    review = agenda_review_send(version=draft, by=admin)
    bureau_meeting = MeetingFactory(
        kind=MeetingKind.BUREAU, code="matrix-bureau", number=None, start_date=today, end_date=today
    )
    bureau_meeting_report_save(
        meeting=bureau_meeting, report_file=SimpleUploadedFile("r.pdf", pdf_bytes()), by=admin
    )
    # A draft decision (not public: the rule decides who reads it) with a mandate.
    decision = decision_create(meeting=meeting, symbol="MC-7/[--]", title_en="Draft on capacity-building")
    mandate = mandate_create(
        decision=decision, description="Report to COP-8", owner=admin, due_meeting=meeting
    )

    # A document restricted to the Bureau, published in English; a call with a submitted file.
    document = publish(register(meeting, title_en="Bureau note", distribution=Distribution.BUREAU))
    english = version(document, "en")
    stored = LanguageVersionFile.objects.filter(version=english).latest("number")
    call = document_services.call_for_submissions_save(
        meeting=meeting, title="Capacity-building", letter_date=dt.date(2019, 12, 13),
        addressees="Parties and stakeholders", deadline=dt.date(2021, 6, 30),
    )  # fmt: skip
    submission = document_services.submission_record(
        call=call, received_on=dt.date(2021, 6, 1), country=zambia,
        files=[SimpleUploadedFile("s.pdf", pdf_bytes())],
    )  # fmt: skip
    submission_file = submission.files.get()
    # What the public API's detail views show everyone: a general published document and an
    # adopted COP decision (the restricted ones above answer 404 there, by the view's own query).
    general = publish(register(meeting, title_en="General note", distribution=Distribution.GENERAL))
    adopted = decision_adopt(
        decision=decision_create(meeting=meeting, symbol="MC-7/[--]", title_en="Adopted on mercury waste"),
        number=1, on=meeting.end_date,
    )  # fmt: skip
    extra_loaders, extra_views, api_objects = {}, {}, {}
    if apps.is_installed("api"):
        from api.services.tokens import api_token_create

        token, _raw = api_token_create(owner=focal_point, name="Matrix", scope="read_write")
        extra_loaders["api.selectors.api_token_by_pk"] = {"pk": token.pk}
        for name in ("RegistrationDetail", "RegistrationAccredit", "RegistrationDecline"):
            extra_views[f"api.views.{name}"] = {"pk": registration.pk}
            api_objects[f"api.views.{name}"] = registration
        extra_views["api.views.DocumentDetail"] = {"pk": general.pk}
        extra_views["api.views.DecisionDetail"] = {"pk": adopted.pk}
    if apps.is_installed("calls"):
        extra_loaders.update(
            _calls_world(meeting=meeting, zambia=zambia, focal_point=focal_point, owner=owner, by=admin)
        )
    if apps.is_installed("expertgroups"):
        loaders, views = _expertgroups_world(focal_point=focal_point, owner=owner, by=admin)
        extra_loaders.update(loaders)
        extra_views.update(views)
    if apps.is_installed("operations"):
        extra_loaders["operations.views._the_request"] = {}  # metrics: the rule is asked on the request

    return {
        "owner": owner,
        "focal_point": focal_point,
        "bureau_member": member.user,
        # URL arguments by name, for pages that load nothing (or only by these names).
        "arguments": {
            "code": meeting.code,
            "iso3": zambia.iso3,
            "language": "en",
            "kind": MeetingKind.COP,
            "number": "1",
            "token": focal_point_invitation_token(invitation),
        },
        # URL arguments per loader (the selector a `load_or_404` calls, or the loading function).
        "loaders": {
            "participants.selectors.registration_by_pk": {"pk": registration.pk},
            "participants.views._country": {"code": meeting.code, "iso3": zambia.iso3},
            "participants.selectors.nomination_letter_by_pk": {"pk": nomination_letter.pk},
            "participants.selectors.registration_request_by_pk": {"pk": registration_request.pk},
            "participants.selectors.visa_request_of_meeting": {"code": meeting.code, "pk": visa.pk},
            "letters.views._letter": {"pk": letter.pk},
            "meetings.selectors.meeting_detail": {"code": meeting.code},
            "meetings.selectors.side_event_detail": {"pk": side_event.pk},
            "meetings.selectors.meeting_material": {"code": meeting.code, "pk": material.pk},
            "bureau.selectors.term_detail": {"pk": term.pk},
            "bureau.selectors.review_detail": {"pk": review.pk},
            "bureau.selectors.bureau_meeting_detail": {"code": bureau_meeting.code},
            "bureau.selectors.bureau_meeting_report": {"code": bureau_meeting.code},
            "bureau.selectors.meeting_report_for": {"code": bureau_meeting.code},
            "bureau.selectors.report_file_for": {"code": bureau_meeting.code, "language": "en"},
            "bureau.selectors.decision_detail": {"pk": decision.pk},
            "bureau.selectors.mandate_get": {"pk": mandate.pk},
            "documents.views._meeting": {"code": meeting.code},
            "documents.views._document": {"pk": document.pk},
            "documents.views._readable_document": {"pk": document.pk},
            "documents.views._version": {"pk": english.pk},
            "documents.views._version_file": {"pk": stored.pk},
            "documents.views._call": {"pk": call.pk},
            "documents.views._submission_file": {"pk": submission_file.pk},
            **extra_loaders,
        },
        # Public pages whose argument is not what its name says elsewhere.
        "views": {
            "letters.views.verify": {"code": letter.verification_code},
            "meetings.views.participant_information_file": {"pk": information_file.pk},
            "meetings.views.series_detail": {"code": series.code},
            **extra_views,
        },
        # The object an API view asks its rule on (`rule_on_object`), per view class.
        "api_objects": api_objects,
    }


def _expertgroups_world(*, focal_point, owner, by) -> tuple[dict, dict]:
    """An expert group whose serving member is the delegate of the object (nominated by the focal
    point of the State, appointed by staff), a draft out for comment, and a pending nomination."""
    from expertgroups import services as expert_services
    from meetings.models import ExpertGroup

    group = ExpertGroup.objects.create(name_en="Matrix expert group")
    today = timezone.localdate()
    zambia = focal_point.focal_points.get().country
    nominate = {"group": group, "country": zambia, "expertise": "Waste", "by": focal_point}
    expert_services.nomination_appoint(
        nomination=expert_services.nomination_create(name="Member", email=owner.email, **nominate),
        term_to=today + dt.timedelta(days=100), by=by,
    )  # fmt: skip
    pending = expert_services.nomination_create(name="Pending", email="pending@example.org", **nominate)
    draft = expert_services.draft_put_out(
        group=group, title="Matrix draft", file=SimpleUploadedFile("d.pdf", pdf_bytes()), paragraphs=["One."],
        comments_until=today + dt.timedelta(days=10), by=by,
    )  # fmt: skip
    loaders = {
        "expertgroups.selectors.expert_group_detail": {"pk": group.pk},
        "expertgroups.selectors.nomination_detail": {"pk": pending.pk},
        "expertgroups.selectors.draft_detail": {"pk": draft.pk},
    }
    return loaders, {"expertgroups.views.group_detail": {"pk": group.pk}}


def _calls_world(*, meeting, zambia, focal_point, owner, by) -> dict:
    """A call sent to Parties and observers, answered by Zambia with a file; the delegate of the
    object speaks for an admitted observer organisation."""
    from calls import services as call_services
    from calls.enums import Audience
    from calls.selectors import Seat
    from participants.enums import ObserverStatus
    from participants.models import ObserverApplication, Organisation

    organisation = Organisation.objects.create(name="Matrix NGO", kind="ngo")
    ObserverApplication.objects.create(
        meeting=meeting, organisation=organisation, status=ObserverStatus.ADMITTED, statutes="s",
        competence="c", contact_name="Owner", contact_email=owner.email, submitted_by=owner,
    )  # fmt: skip
    call = call_services.call_create(
        by=by, meeting=meeting, kind="submissions", title="Matrix call", mandate="", body="Send it.",
        audience=Audience.BOTH, deadline=timezone.localdate() + dt.timedelta(days=30), accepts_late=False,
    )  # fmt: skip
    call = call_services.call_send(call=call, by=by)
    answer = call_services.answer_submit(
        seat=Seat(call=call, country=zambia), text="x", files=[SimpleUploadedFile("a.pdf", pdf_bytes())],
        by=focal_point,
    )  # fmt: skip
    return {
        "calls.selectors.call_detail": {"pk": call.pk},
        "calls.selectors.answer_detail": {"pk": answer.pk},
        "calls.selectors.answer_file_detail": {"pk": answer.files.get().pk},
        "calls.selectors.seat_for_country": {"pk": call.pk, "code": zambia.iso3},
        "calls.selectors.seat_for_organisation": {"pk": call.pk, "organisation": organisation.pk},
    }


def _name(function) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def api_view_class(view):
    """The class of a REST framework view (the API's), or None for a page."""
    cls = getattr(view, "view_class", None)
    return cls if cls is not None and issubclass(cls, APIView) else None


def view_name(view) -> str:
    cls = getattr(view, "view_class", None)
    return _name(cls) if cls is not None else _name(inspect.unwrap(view))


def loader_key(load) -> str:
    return _name(getattr(load, "fetch", load))


def url_arguments(route, view, world) -> dict:
    """The URL's arguments from the world, or LookupError naming what is missing."""
    load = getattr(view, "access_load", None)
    if load is not None and loader_key(load) not in world["loaders"]:
        raise LookupError(f"{route}: the world has no object for loader {loader_key(load)}")
    by_loader = world["loaders"][loader_key(load)] if load is not None else {}
    by_view = world["views"].get(view_name(view), {})
    arguments = {}
    for match in ARGUMENT.finditer(route):
        name = match.group("name")
        for source in (by_loader, by_view, {} if name == "pk" else world["arguments"]):
            if name in source:
                arguments[name] = str(source[name])
                break
        else:
            where = f"loader {loader_key(load)}" if load is not None else "no loader"
            raise LookupError(f"{route} ({view_name(view)}, {where}): no <{name}> in the world")
    return arguments


def accepted_methods(view) -> list[str]:
    """GET and POST, or those of them a `require_http_methods` (require_GET, require_POST) anywhere
    in the view's decorators lets through; for an API view, those its class answers."""
    cls = api_view_class(view)
    if cls is not None:
        return [method for method in ("GET", "POST") if hasattr(cls, method.lower())]
    function = view
    while function is not None:
        restricted = inspect.getclosurevars(function).nonlocals.get("request_method_list")
        if restricted is not None:
            return [method for method in ("GET", "POST") if method in restricted]
        function = getattr(function, "__wrapped__", None)
    return ["GET", "POST"]


# --- Expected and observed answers ----------------------------------------------------------------

ALLOWED, REFUSED_403, REFUSED_404, SIGN_IN = "allowed", "403", "404", "sign in"


def expected_api_answer(cls, user, obj) -> str:
    """An API view (api/views.py `PortalView`): its class's `access_rule`, asked without an object
    by the permission class, or on the object with `rule_on_object`, where the rule of the class it
    builds on hides the object (404) and its own refuses the action (403)."""
    if cls.access_rule is None:
        return ALLOWED
    if user is None:
        return SIGN_IN  # the permission class (api.permissions.HoldsRule) refuses visitors: 401
    user = User.objects.get(pk=user.pk)
    if not cls.rule_on_object:
        return ALLOWED if user.has_perm(cls.access_rule) else REFUSED_403
    rules_on_object = []
    for klass in reversed(cls.__mro__):
        rule = klass.__dict__.get("access_rule")
        if rule and klass.__dict__.get("rule_on_object", cls.rule_on_object) and rule not in rules_on_object:
            rules_on_object.append(rule)
    for position, rule in enumerate(rules_on_object):
        if not user.has_perm(rule, obj):
            return REFUSED_404 if position == 0 else REFUSED_403
    return ALLOWED


def expected_answer(view, user, arguments, method, world) -> str:
    if getattr(view, "access_public", False):
        return ALLOWED
    cls = api_view_class(view)
    if cls is not None:
        return expected_api_answer(cls, user, world["api_objects"].get(view_name(view)))
    if not hasattr(view, "access_anonymous"):
        raise LookupError(
            f"{view_name(view)}: neither @public nor @rule_required, the matrix cannot read its rule"
        )
    signed_in = user is not None
    if not signed_in and not view.access_anonymous:
        return SIGN_IN
    request = getattr(RequestFactory(), method.lower())("/")
    # A fresh copy: rules cache what a user is (focal point of which State) on the object.
    request.user = User.objects.get(pk=user.pk) if signed_in else AnonymousUser()
    obj = None
    if view.access_load is not None:
        try:
            obj = view.access_load(request, **arguments)
        except Http404:
            return REFUSED_404
    if request.user.has_perm(view.access_rule, obj):
        return ALLOWED
    if view.access_hide:
        return REFUSED_404
    return SIGN_IN if not signed_in else REFUSED_403


def observed_answer(response, *, api=False, signed_in=True) -> tuple[str, str]:
    """The answer, and a note when the view let the user past its rule and then refused what was
    posted: 400 (the empty form or body, answered with its errors; 415 for a body the API does not
    read), or 403 from a second rule the view asks for one action (the wrapper marks the request
    once its rule let the user in; the API's permission checks all run before its input is read)."""
    status = response.status_code
    passed = api or getattr(response.wsgi_request, "access_granted", None)
    if api and not signed_in and status in (401, 403):
        return SIGN_IN, ""  # the API asks for credentials instead of sending to the sign-in page
    if passed and status in (400, 415):
        return ALLOWED, f"input refused ({status})"
    if status == 403 and getattr(response.wsgi_request, "access_granted", None):
        return ALLOWED, "action refused by another rule (403)"
    if status in (301, 302, 303, 307, 308):
        if urlsplit(response["Location"]).path == resolve_url(settings.LOGIN_URL):
            return SIGN_IN, ""
        return ALLOWED, ""
    if 200 <= status < 300:
        return ALLOWED, ""
    return {403: REFUSED_403, 404: REFUSED_404}.get(status, f"status {status}"), ""


def fingerprint() -> dict:
    """Every row of every table (history included), one digest per table, in one query."""
    tables = sorted(set(connection.introspection.django_table_names(only_existing=True)) - UNWATCHED_TABLES)
    parts = [  # table names from the database's own catalogue, not from input
        f"SELECT '{t}', count(*), md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \"{t}\" r"  # noqa: S608
        for t in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return {table: (count, digest) for table, count, digest in cursor.fetchall()}


# --- The matrix -----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_role_gets_what_the_rule_of_every_page_says(
    client, django_capture_on_commit_callbacks, request
):
    assert connection.vendor == "postgresql"
    world = _build_world(django_capture_on_commit_callbacks)
    users = _role_users(world)
    patterns = sorted(_portal_views())

    unfillable, pages = [], []
    for route, view in patterns:
        try:
            pages.append((route, view, url_arguments(route, view, world), accepted_methods(view)))
        except LookupError as missing:
            unfillable.append(str(missing))
    assert unfillable == [], "patterns the matrix's world cannot fill:\n" + "\n".join(unfillable)

    mismatches, tally, notes, refused_posts = [], Counter(), Counter(), 0
    for role, user in users.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        before = fingerprint()
        for route, view, arguments, methods in pages:
            url = "/" + ARGUMENT.sub(lambda m, a=arguments: a[m.group("name")], route)
            for method in methods:
                expected = expected_answer(view, user, arguments, method, world)
                api = api_view_class(view) is not None
                cache.clear()  # rate limits (side-event requests, letter checks) count per client
                with transaction.atomic():
                    try:
                        if api and method == "POST":
                            response = client.post(url, {}, content_type="application/json")
                        else:
                            response = getattr(client, method.lower())(url)
                        observed, note = observed_answer(response, api=api, signed_in=user is not None)
                    except Exception as error:  # a server error is listed as a cell like the others
                        observed, note = f"raised {type(error).__name__}: {error}", ""
                    changed = []
                    if method == "POST" and expected != ALLOWED:
                        refused_posts += 1
                        after = fingerprint()
                        changed = sorted(t for t in before if after.get(t) != before[t])
                    transaction.set_rollback(True)
                tally[expected] += 1
                if note and observed == expected:
                    notes[note] += 1
                if observed != expected:
                    mismatches.append(f"{role:32} {method:4} {url:70} expected {expected}, got {observed}")
                if changed:
                    mismatches.append(f"{role:32} {method:4} {url:70} refused but changed {changed}")

    cells = sum(tally.values())
    methods = sum(len(m) for _r, _v, _a, m in pages)
    summary = (
        f"access matrix: {len(users)} roles × {len(pages)} URL patterns ({methods} pattern-methods) = "
        f"{cells} cells; expected {dict(tally)}; allowed past the rule but {dict(notes)}; "
        f"{refused_posts} refused POSTs compared table by table"
    )
    print("\n" + summary)
    request.config.access_matrix_summary = summary  # shown at the end of the run (tests/conftest.py)
    assert mismatches == [], f"{len(mismatches)} cells differ from the pages' rules:\n" + "\n".join(
        mismatches
    )


# --- The matrix's own machinery: each part can fail ------------------------------------------------


def test_a_pattern_whose_loader_the_world_does_not_know_is_named():
    def _new_loader(request, pk):
        raise AssertionError("not called")

    @rule_required("participants.manage_registrations", load=_new_loader)
    def new_page(request, obj, pk):
        raise AssertionError("not called")

    world = {"loaders": {}, "views": {}, "arguments": {"code": "x"}}
    with pytest.raises(
        LookupError, match=r"things/<int:pk>/: the world has no object for loader .*_new_loader"
    ):
        url_arguments("things/<int:pk>/", new_page, world)

    @rule_required("participants.manage_registrations")
    def unloaded_page(request, pk):
        raise AssertionError("not called")

    with pytest.raises(LookupError, match=r"others/<int:pk>/ .*no loader.*no <pk> in the world"):
        url_arguments("others/<int:pk>/", unloaded_page, world)


def test_the_methods_come_from_the_views_decorators():
    def page(request):
        raise AssertionError("not called")

    assert accepted_methods(page) == ["GET", "POST"]
    assert accepted_methods(require_POST(page)) == ["POST"]
    assert accepted_methods(rule_required("participants.register")(require_POST(page))) == ["POST"]
    assert accepted_methods(require_GET(rule_required("participants.register")(page))) == ["GET"]


def test_a_page_that_answers_without_asking_its_rule_is_a_mismatch(db):
    """A view marked with a rule it never asks (marks copied by hand, as a careless decorator
    would) answers 200 to a delegate: the matrix expects 403 and sees "allowed"."""
    delegate = UserFactory(roles=[roles.DELEGATE])

    def leaky(request):
        return HttpResponse("the registration desk's list")

    leaky.access_rule, leaky.access_public, leaky.access_load = (
        "participants.manage_registrations",
        False,
        None,
    )
    leaky.access_hide, leaky.access_anonymous = False, False
    request = RequestFactory().get("/")
    request.user = delegate
    response = leaky(request)
    response.wsgi_request = request
    assert expected_answer(leaky, delegate, {}, "GET", {}) == REFUSED_403
    assert observed_answer(response) == (ALLOWED, "")

    guarded = rule_required("participants.manage_registrations")(leaky)
    with pytest.raises(PermissionDenied):
        guarded(request)
    assert not getattr(request, "access_granted", None)


def test_the_fingerprint_sees_a_row_changed_in_any_table(db):
    before = fingerprint()
    UserFactory()
    after = fingerprint()
    assert sorted(t for t in before if after[t] != before[t]) == ["account_emailaddress", "accounts_user"]
