"""Imports through the admin's own import view, with real CSV files: a sheet with any bad row
imports nothing and the page names every bad row and why."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings.enums import SessionKind
from meetings.models import Contribution, Meeting, Session
from tests.factories import MeetingFactory, StaffFactory

pytestmark = pytest.mark.django_db

MEETING_HEADER = (
    "code,kind,number,title_en,mode,start_date,end_date,time_zone,city,country,languages,symbol_prefix\n"
)


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _csv_format_index(client, url):
    form = client.get(url).context["form"]
    choices = form.fields["format"].choices
    return next(value for value, label in choices if str(label).lower() == "csv")


def _upload(client, url, name, text):
    data = {
        "format": _csv_format_index(client, url),
        "import_file": SimpleUploadedFile(name, text.encode(), "text/csv"),
    }
    return client.post(url, data)


def _confirm(client, url, response):
    confirm = response.context["confirm_form"]
    return client.post(url.replace("/import/", "/process_import/"), {**confirm.initial}, follow=True)


def test_meeting_sheet_with_bad_rows_imports_nothing_and_names_each_row(staff_client):
    url = reverse("admin:meetings_meeting_import")
    sheet = MEETING_HEADER + (
        'cop-9,cop,9,Ninth meeting,in_person,2029-11-05,2029-11-09,Europe/Zurich,Geneva,CHE,"en, fr",UNEP/MC/COP.9\n'
        "rc-x,regional,,Regional consultation,in_person,2029-10-09,2029-10-10,Africa/Lusaka,Lusaka,ZZZ,en,\n"
        "ws-x,workshop,,Workshop,online,2029-06-02,2029-06-01,Mars/Olympus,,,en,\n"
        'wb-x,webinar,,Webinar,online,2029-06-02,2029-06-02,Europe/Zurich,,,"en, kl",\n'
    )
    response = _upload(staff_client, url, "meetings.csv", sheet)
    assert response.status_code == 200
    assert "confirm_form" not in response.context
    result = response.context["result"]
    invalid = {row.number: row for row in result.invalid_rows}
    assert sorted(invalid) == [2, 3, 4]
    assert "No State with ISO code “ZZZ”" in str(invalid[2].error_dict)
    assert "Mars/Olympus" in str(invalid[3].error_dict["time_zone"])
    assert "closing date" in str(invalid[3].error_dict).lower()
    assert "kl" in str(invalid[4].error_dict["languages"])
    page = response.content.decode()
    assert "ZZZ" in page and "Mars/Olympus" in page
    assert not Meeting.objects.filter(code__in=["cop-9", "rc-x", "ws-x", "wb-x"]).exists()


def test_good_meeting_sheet_imports_after_confirmation(staff_client):
    url = reverse("admin:meetings_meeting_import")
    sheet = MEETING_HEADER + (
        'cop-9,cop,9,Ninth meeting,in_person,2029-11-05,2029-11-09,Europe/Zurich,Geneva,CHE,"en, fr",UNEP/MC/COP.9\n'
    )
    response = _upload(staff_client, url, "meetings.csv", sheet)
    assert not response.context["result"].has_validation_errors()
    _confirm(staff_client, url, response)
    meeting = Meeting.objects.get(code="cop-9")
    assert (meeting.country.iso3, meeting.languages, meeting.status) == ("CHE", ["en", "fr"], "planned")


def test_session_sheet_reads_venue_times_and_refuses_bad_sessions(staff_client):
    MeetingFactory(code="cop-2", time_zone="Europe/Zurich")
    url = reverse("admin:meetings_session_import")
    header = "id,meeting,kind,title_en,room,starts,ends\n"
    bad = header + (
        ",cop-2,plenary,Opening plenary,Room 1,2018-11-19 10:00,2018-11-19 13:00\n"
        ",cop-2,plenary,Backwards,Room 1,2018-11-20 13:00,2018-11-20 10:00\n"
        ",cop-2,contact_group,Too late,Room 2,2018-12-01 10:00,2018-12-01 12:00\n"
        ",cop-99,plenary,Nowhere,Room 2,2018-11-19 10:00,2018-11-19 12:00\n"
    )
    response = _upload(staff_client, url, "sessions.csv", bad)
    invalid = {row.number: str(row.error_dict) for row in response.context["result"].invalid_rows}
    assert sorted(invalid) == [2, 3, 4]
    assert "end after it starts" in invalid[2]
    assert "within the meeting" in invalid[3]
    assert "cop-99" in invalid[4]
    assert not Session.objects.exists()

    good = header + ",cop-2,plenary,Opening plenary,Room 1,2018-11-19 10:00,2018-11-19 13:00\n"
    _confirm(staff_client, url, _upload(staff_client, url, "sessions.csv", good))
    session = Session.objects.get()
    assert session.kind == SessionKind.PLENARY
    assert session.starts.isoformat() == "2018-11-19T09:00:00+00:00"  # 10:00 in Geneva is 09:00 UTC


def test_contribution_sheet_all_or_nothing(staff_client):
    MeetingFactory(code="rc-africa-2018")
    url = reverse("admin:meetings_contribution_import")
    header = "id,meeting,donor_state,donor_name,amount,currency,note\n"
    bad = header + (
        ",rc-africa-2018,AUT,,40000,EUR,\n,rc-africa-2018,JPN,,-5,USD,\n,rc-africa-2018,SWE,,1000,kronor,\n"
    )
    response = _upload(staff_client, url, "contributions.csv", bad)
    invalid = {row.number: str(row.error_dict) for row in response.context["result"].invalid_rows}
    assert sorted(invalid) == [2, 3]
    assert "currency" in invalid[3]
    assert not Contribution.objects.exists()

    good = (
        header
        + ",rc-africa-2018,AUT,,40000,EUR,\n,rc-africa-2018,,Basel Convention regional centre,1500.25,USD,\n"
    )
    _confirm(staff_client, url, _upload(staff_client, url, "contributions.csv", good))
    assert sorted((c.donor, c.amount) for c in Contribution.objects.all()) == [
        ("Austria", Decimal("40000.00")),
        ("Basel Convention regional centre", Decimal("1500.25")),
    ]
