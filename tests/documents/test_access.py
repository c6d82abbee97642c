"""Who reaches what: every route of the app for those who must not, and the Bureau and limited
documents on every page that lists or serves them."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts import roles
from documents import services
from documents.enums import Distribution, ProcessingStatus, Series, SupplementKind
from documents.models import CallForSubmissions
from tests.bureau.factories import bureau_member, bureau_term
from tests.factories import FocalPointFactory, MeetingFactory, StaffFactory, UserFactory

from .factories import docx_upload, pdf_upload, publish, register, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop4():
    return MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )


@pytest.fixture
def docs(cop4):
    general = publish(register(cop4, title_en="Mercury waste thresholds"), languages=["en"])
    bureau = publish(
        register(cop4, title_en="Mercury bureau credentials note", distribution=Distribution.BUREAU),
        languages=["en"],
    )
    limited = publish(
        register(cop4, Series.LIMITED, title_en="Mercury draft decision", distribution=Distribution.LIMITED),
        languages=["en"],
    )
    return {"general": general, "bureau": bureau, "limited": limited}


def _former_bureau_member():
    # Sat on the Bureau from 2017 to the close of COP-2: no longer a member today.
    return bureau_member(term=bureau_term(start=dt.date(2017, 9, 29), end=dt.date(2018, 11, 23))).user


def _sees(client, user, docs, cop4):
    """What `user` reaches of the Bureau and limited documents, through every page and file."""
    client.logout()
    if user is not None:
        client.force_login(user)
    seen = {}
    json_symbols = {
        d["symbol"]
        for d in client.get(reverse("legacy:meeting_documents_json", args=[cop4.code])).json()["results"]
    }
    meeting_page = client.get(reverse("meetings:detail", args=[cop4.code])).content.decode()
    list_page = client.get(reverse("documents:meeting", args=[cop4.code])).content.decode()
    search_page = client.get(reverse("documents:search"), {"q": "mercury"}).content.decode()
    for key in ("bureau", "limited"):
        document = docs[key]
        seen[key] = {
            "detail": client.get(document.get_absolute_url()).status_code,
            "download": client.get(reverse("documents:download", args=[document.pk, "en"])).status_code,
            "json": document.symbol in json_symbols,
            "meeting_page": document.symbol in meeting_page,
            "list": document.symbol in list_page,
            "search": document.symbol in search_page,
        }
    # The general document is there for everyone, so the absences above are not a broken page.
    assert docs["general"].symbol in json_symbols and docs["general"].symbol in search_page
    assert docs["general"].symbol in meeting_page and docs["general"].symbol in list_page
    return seen


HIDDEN = {
    "detail": 404,
    "download": 404,
    "json": False,
    "meeting_page": False,
    "list": False,
    "search": False,
}
SHOWN = {"detail": 200, "download": 200, "json": True, "meeting_page": True, "list": True, "search": True}


def test_bureau_and_limited_documents_reach_only_those_allowed(client, cop4, docs):
    assert _sees(client, None, docs, cop4) == {"bureau": HIDDEN, "limited": HIDDEN}
    delegate = UserFactory(roles=[roles.DELEGATE])
    assert _sees(client, delegate, docs, cop4) == {"bureau": HIDDEN, "limited": SHOWN}
    focal_point = FocalPointFactory().user
    assert _sees(client, focal_point, docs, cop4) == {"bureau": HIDDEN, "limited": SHOWN}
    assert _sees(client, _former_bureau_member(), docs, cop4) == {"bureau": HIDDEN, "limited": SHOWN}
    current = bureau_member(term=bureau_term(start=dt.date.today() - dt.timedelta(days=30))).user
    assert _sees(client, current, docs, cop4) == {"bureau": SHOWN, "limited": SHOWN}


def test_unpublished_language_versions_are_never_served_to_the_public(client, cop4, docs):
    document = docs["general"]
    french = version(document, "fr")
    services.language_version_submit(version=french)
    services.language_version_start_processing(version=french)
    services.language_version_upload(version=french, uploaded=pdf_upload(), by=None)
    services.language_version_mark_ready(version=french)
    for user in (None, UserFactory(roles=[roles.DELEGATE]), StaffFactory(roles=[roles.REGISTRATION_OFFICER])):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert client.get(reverse("documents:download", args=[document.pk, "fr"])).status_code == 404
        assert client.get(reverse("documents:download", args=[document.pk, "en"])).status_code == 200
        page = client.get(document.get_absolute_url()).content.decode()
        assert reverse("documents:download", args=[document.pk, "fr"]) not in page


def test_unpublished_supplement_is_not_announced_on_the_public_page(client, cop4, docs):
    officer = StaffFactory(roles=[roles.DOCUMENTS_OFFICER])
    corrigendum = services.document_register_supplement(
        amends=docs["general"], kind=SupplementKind.CORRIGENDUM
    )
    assert corrigendum.symbol not in client.get(docs["general"].get_absolute_url()).content.decode()
    client.force_login(officer)
    assert corrigendum.symbol in client.get(docs["general"].get_absolute_url()).content.decode()
    publish(corrigendum, languages=["en"])
    client.logout()
    assert corrigendum.symbol in client.get(docs["general"].get_absolute_url()).content.decode()


@pytest.fixture
def staff_only_routes(cop4, docs):
    v = version(register(cop4, title_en="In translation"))
    stored = services.language_version_upload(version=v, uploaded=docx_upload())
    call = CallForSubmissions.objects.create(
        meeting=cop4, title="Submissions on mercury waste", letter_date=dt.date(2021, 3, 1),
        addressees="Parties and stakeholders", deadline=dt.date(2021, 5, 1),
    )  # fmt: skip
    submission = services.submission_record(
        call=call, organization="Zero Mercury", received_on=dt.date(2021, 4, 2), files=[pdf_upload()]
    )
    submission_file = submission.files.get()
    return v, [
        ("get", reverse("documents:processing", args=[cop4.code]), {}),
        ("get", reverse("documents:processing_xlsx", args=[cop4.code]), {}),
        ("get", reverse("documents:version", args=[v.pk]), {}),
        ("post", reverse("documents:version", args=[v.pk]), {"file": docx_upload()}),
        ("post", reverse("documents:version_transition", args=[v.pk]), {"action": "submit"}),
        ("post", reverse("documents:version_target", args=[v.pk]), {"target_date": "2021-10-01"}),
        ("post", reverse("documents:supplement", args=[docs["general"].pk]), {"kind": "Corr"}),
        ("get", reverse("documents:file", args=[stored.pk]), {}),
        ("get", reverse("documents:call_compilation", args=[call.pk]), {}),
        ("get", reverse("documents:submission_file", args=[submission_file.pk]), {}),
    ]


@pytest.mark.parametrize(
    "who",
    ["anonymous", "delegate", "focal_point", "bureau_member", "registration_officer", "inactive_officer"],
)
def test_staff_only_routes_refuse_all_but_the_documents_officer(client, cop4, docs, staff_only_routes, who):
    v, routes = staff_only_routes
    user = {
        "anonymous": lambda: None,
        "delegate": lambda: UserFactory(roles=[roles.DELEGATE]),
        "focal_point": lambda: FocalPointFactory().user,
        "bureau_member": lambda: (
            bureau_member(term=bureau_term(start=dt.date.today() - dt.timedelta(days=30))).user
        ),
        "registration_officer": lambda: StaffFactory(roles=[roles.REGISTRATION_OFFICER]),
        "inactive_officer": lambda: StaffFactory(roles=[roles.DOCUMENTS_OFFICER], is_active=False),
    }[who]()
    if user is not None:
        client.force_login(user)
    documents_before = type(docs["general"]).objects.count()
    for method, url, data in routes:
        response = getattr(client, method)(url, data)
        if user is None or not user.is_active:
            # Signed out (an inactive account is signed out by the session check): to the login page.
            assert response.status_code == 302 and "login" in response["Location"], url
        else:
            assert response.status_code == 403, url
    v.refresh_from_db()
    assert v.status == ProcessingStatus.AWAITING_ORIGINAL and v.target_date != dt.date(2021, 10, 1)
    assert v.files.count() == 1
    assert type(docs["general"]).objects.count() == documents_before


@pytest.mark.parametrize("following", ["/\\evil.example/", "//evil.example/", "https://evil.example/"])
def test_transition_does_not_redirect_off_the_portal(client, cop4, following):
    v = version(register(cop4))
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    response = client.post(
        reverse("documents:version_transition", args=[v.pk]), {"action": "submit", "next": following}
    )
    assert response.status_code == 302 and response["Location"] == reverse("documents:version", args=[v.pk])
    v.refresh_from_db()
    assert v.status == ProcessingStatus.SUBMITTED
    dashboard = reverse("documents:processing", args=[cop4.code])
    response = client.post(
        reverse("documents:version_transition", args=[v.pk]),
        {"action": "start_processing", "next": dashboard},
    )
    assert response["Location"] == dashboard
