import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import roles
from documents import selectors, services
from documents.models import CallForSubmissions, Submission, SubmissionFile
from tests.factories import MeetingFactory, StaffFactory, UserFactory, country

from .factories import docx_upload, pdf_upload, publish, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def call():
    cop4 = MeetingFactory(
        code="cop-4", number=4, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 11, 5)
    )
    return CallForSubmissions.objects.create(
        meeting=cop4,
        title="Capacity-building and technical assistance",
        mandate="decision MC-3/8",
        letter_date=dt.date(2019, 12, 13),
        addressees="Parties and stakeholders",
        deadline=dt.date(2021, 6, 30),
        reminder_date=dt.date(2021, 5, 20),
        compilation=register(cop4, "INF", title_en="Compilation of submissions"),
    )


def test_submissions_are_recorded_with_checked_files_and_compiled(client, call):
    services.submission_record(
        call=call, country=country("JPN"), received_on=dt.date(2020, 3, 1), files=[pdf_upload("japan.pdf")]
    )
    services.submission_record(call=call, country=country("JPN"), received_on=dt.date(2021, 5, 2))
    services.submission_record(
        call=call,
        country=country("ARG"),
        received_on=dt.date(2021, 7, 5),
        files=[docx_upload("argentina.docx")],
    )
    services.submission_record(
        call=call, organization="Global Mercury Partnership", received_on=dt.date(2021, 6, 1)
    )
    compilation = selectors.call_compilation(call=call)
    assert [(s.submitter, s.received_on.isoformat()) for s in compilation.submissions] == [
        ("Argentina", "2021-07-05"),
        ("Japan", "2020-03-01"),
        ("Japan", "2021-05-02"),
        ("Global Mercury Partnership", "2021-06-01"),
    ]
    assert (compilation.parties, compilation.on_time, compilation.late) == (2, 3, 1)
    assert sorted(SubmissionFile.objects.values_list("kind", "original_name")) == [
        ("docx", "argentina.docx"), ("pdf", "japan.pdf"),
    ]  # fmt: skip

    url = reverse("documents:call_compilation", args=[call.pk])
    client.force_login(UserFactory(roles=[roles.FOCAL_POINT]))
    assert client.get(url).status_code == 403
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    html = client.get(url).content.decode()
    assert "4 submissions were received from 2 Parties." in html
    assert "1 arrived after the deadline." in html
    assert "UNEP/MC/COP.4/INF/1" in html
    stored = SubmissionFile.objects.get(kind="pdf")
    response = client.get(reverse("documents:submission_file", args=[stored.pk]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"received_on": dt.date(2020, 1, 1)}, "country"),
        ({"country": "JPN", "received_on": dt.date(2019, 1, 1)}, "received_on"),
        (
            {"country": "JPN", "received_on": dt.date(2020, 1, 1), "files": ["fake"]},
            "files",
        ),
    ],
)
def test_bad_submission_names_the_field_and_records_nothing(call, kwargs, field):
    # A copy: the parameters are shared by every pytest session of one process (mutmut runs
    # several), and a Country put in them would be looked up again as an ISO code next time.
    kwargs = dict(kwargs)
    if "country" in kwargs:
        kwargs["country"] = country(kwargs["country"])
    if "files" in kwargs:
        kwargs["files"] = [SimpleUploadedFile("letter.pdf", b"not a pdf", "application/pdf")]
    with pytest.raises(ValidationError) as error:
        services.submission_record(call=call, **kwargs)
    assert list(error.value.message_dict) == [field]
    assert not Submission.objects.exists()
    assert not SubmissionFile.objects.exists()


def test_search_works_without_postgresql_more_simply(monkeypatch):
    """`make run` uses SQLite: the search falls back to substring matching on titles and symbols."""
    meeting = MeetingFactory(number=4)
    publish(register(meeting, title_en="International cooperation and coordination"))
    publish(register(meeting, title_en="Rapport de la réunion", title_fr="Rapport de la réunion"))
    monkeypatch.setattr(selectors, "connection", SimpleNamespace(vendor="sqlite"))
    user = UserFactory()
    assert [d.title_en for d in selectors.document_search(query="COOPERATION", user=user)] == [
        "International cooperation and coordination"
    ]
    assert [d.symbol for d in selectors.document_search(query="UNEP/MC/COP.4/2", user=user)] == [
        "UNEP/MC/COP.4/2"
    ]
    assert [d.symbol for d in selectors.document_search(query="réunion", user=user)] == ["UNEP/MC/COP.4/2"]


def test_compilation_query_count_does_not_grow(client, call, django_assert_num_queries):
    client.force_login(StaffFactory(roles=[roles.DOCUMENTS_OFFICER]))
    url = reverse("documents:call_compilation", args=[call.pk])
    for n, iso3 in ((2, "JPN"), (9, "ARG")):
        while call.submissions.count() < n:
            services.submission_record(
                call=call, country=country(iso3), received_on=dt.date(2020, 3, 1), files=[pdf_upload()]
            )
        # Session, user, two-factor check, two permission reads, savepoints, call, submissions, files.
        with django_assert_num_queries(10):
            assert len(client.get(url).context["compilation"].submissions) == n
