"""Who may act on which review, comment, meeting report and mandate: the refusals, each proven by the
row it did not write as well as by the status code."""

import pytest
from django.urls import reverse

from bureau.enums import MandateStatus, ReviewDecision
from bureau.models import BureauMeeting, ReportFile, ReviewComment, ReviewResponse
from bureau.services import agenda_review_send, review_comment_add, term_close
from meetings.enums import MeetingKind
from tests.bureau.test_views import _decisions
from tests.documents.factories import pdf_bytes
from tests.factories import AgendaItemFactory, AgendaVersionFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.django_db


def _regional_review(staff, region="african"):
    meeting = MeetingFactory(code="rc-access", kind=MeetingKind.REGIONAL_CONSULTATION, regions=[region])
    version = AgendaVersionFactory(meeting=meeting, number=1)
    AgendaItemFactory(version=version, position=1, title_en="Opening of the consultation")
    return agenda_review_send(version=version, by=staff)


def test_regional_review_listed_only_for_the_members_it_was_sent_to(client, current_bureau, staff):
    _term, members = current_bureau
    review = _regional_review(staff)
    african = next(m.user for m in members if m.region == "african")
    other = next(m.user for m in members if m.region != "african")
    client.force_login(african)
    assert review.get_absolute_url() in client.get(reverse("bureau:reviews")).content.decode()
    assert review.get_absolute_url() in client.get(reverse("bureau:home")).content.decode()
    client.force_login(other)
    assert review.get_absolute_url() not in client.get(reverse("bureau:reviews")).content.decode()
    assert review.get_absolute_url() not in client.get(reverse("bureau:home")).content.decode()


def test_member_not_sent_the_review_can_neither_comment_nor_respond(client, current_bureau, staff):
    _term, members = current_bureau
    review = _regional_review(staff)
    other = next(m.user for m in members if m.region != "african")
    client.force_login(other)
    r = client.post(review.get_absolute_url(), {"action": "comment", "text": "Not mine", "item": ""})
    assert r.status_code == 403
    r = client.post(review.get_absolute_url(), {"action": "respond", "decision": ReviewDecision.APPROVED})
    assert r.status_code == 403
    assert not ReviewComment.objects.filter(review=review).exists()
    assert not ReviewResponse.objects.filter(review=review, reviewer=other).exists()
    assert set(review.responses.values_list("decision", flat=True)) == {ReviewDecision.PENDING}


def test_member_cannot_answer_a_comment_in_the_secretariats_place(client, current_bureau, staff):
    _term, members = current_bureau
    review = _regional_review(staff)
    african = [m.user for m in members if m.region == "african"]
    comment = review_comment_add(review=review, by=african[0], text="Move item 1")
    client.force_login(african[1])
    r = client.post(
        review.get_absolute_url(), {"action": "answer", "comment": comment.pk, "answer": "Overwritten"}
    )
    assert r.status_code == 403
    comment.refresh_from_db()
    assert (comment.text, comment.answer, comment.answered_by) == ("Move item 1", "", None)


def test_former_member_who_was_asked_loses_the_review_when_the_term_ends(
    client, current_bureau, staff, today
):
    term, members = current_bureau
    review = _regional_review(staff)
    african = next(m.user for m in members if m.region == "african")
    term_close(term=term, end_date=today)
    client.force_login(african)
    assert client.get(review.get_absolute_url()).status_code == 403
    r = client.post(review.get_absolute_url(), {"action": "respond", "decision": ReviewDecision.APPROVED})
    assert r.status_code == 403
    assert review.responses.get(reviewer=african).decision == ReviewDecision.PENDING


def test_member_cannot_write_the_meeting_report_or_move_a_mandate(client, current_bureau, today):
    adopted, _draft, _bdec = _decisions()
    _term, members = current_bureau
    meeting = MeetingFactory(
        kind=MeetingKind.BUREAU, code="bureau-z", number=None, start_date=today, end_date=today
    )
    client.force_login(members[0].user)
    r = client.post(reverse("bureau:meeting", args=["bureau-z"]), {"action": "report", "report": "Mine"})
    assert r.status_code == 403
    assert not BureauMeeting.objects.filter(meeting=meeting, report="Mine").exists()
    mandate = adopted.mandates.get()
    r = client.post(
        reverse("bureau:mandate_update", args=[mandate.pk]), {"status": MandateStatus.IN_PROGRESS}
    )
    assert r.status_code == 403
    mandate.refresh_from_db()
    assert mandate.status == MandateStatus.NOT_STARTED


def test_json_and_pages_hide_drafts_and_bureau_decisions_from_a_signed_in_non_member(client, current_bureau):
    _adopted, draft, bdec = _decisions()
    client.force_login(UserFactory())
    data = client.get(reverse("legacy:decisions_json")).json()
    assert [item["symbol"] for item in data["results"]] == ["MC-3/11"]
    page = client.get(reverse("bureau:decisions")).content.decode()
    assert "Draft on capacity-building" not in page and "Bureau agrees dates" not in page
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(bdec.get_absolute_url()).status_code == 404
    assert client.post(draft.get_absolute_url(), {"action": "adopt", "number": 9}).status_code == 404


def test_report_file_goes_out_through_a_checked_view_to_members_only(
    client, current_bureau, staff, today, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _term, members = current_bureau
    MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-f", number=None, start_date=today, end_date=today)
    url = reverse("bureau:meeting", args=["bureau-f"])
    file_url = reverse("bureau:meeting_report_file", args=["bureau-f"])
    client.force_login(staff)
    refused = SimpleUploadedFile("report.html", b"<script>alert(1)</script>", content_type="application/pdf")
    assert client.post(url, {"action": "report", "report": "", "report_file": refused}).status_code == 400
    assert not ReportFile.objects.filter(report__meeting__code="bureau-f").exists()
    report = pdf_bytes()
    upload = SimpleUploadedFile("report.pdf", report, content_type="application/pdf")
    assert client.post(url, {"action": "report", "report": "", "report_file": upload}).status_code == 302
    client.force_login(members[0].user)
    assert f'href="{file_url}"' in client.get(url).content.decode()
    response = client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == report
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(UserFactory(roles=["Bureau member"]))
    assert client.get(file_url).status_code == 403
    client.logout()
    assert client.get(file_url).status_code == 302


def test_no_report_file_is_a_404_for_staff(client, staff, today):
    MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-g", number=None, start_date=today, end_date=today)
    client.force_login(staff)
    assert client.get(reverse("bureau:meeting_report_file", args=["bureau-g"])).status_code == 404


def test_who_manages_bureau_meetings_but_not_reports_cannot_upload_a_report_file(
    client, today, settings, tmp_path
):
    """A staff member given only the Bureau meetings' permission (a custom group) keeps the meeting's
    text report but may not put a file on its report, which is public once published."""
    from django.contrib.auth.models import Permission
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import StaffFactory

    settings.MEDIA_ROOT = tmp_path
    MeetingFactory(kind=MeetingKind.BUREAU, code="bureau-g", number=None, start_date=today, end_date=today)
    clerk = StaffFactory(roles=[])
    clerk.user_permissions.add(Permission.objects.get(codename="change_bureaumeeting"))
    client.force_login(clerk)
    upload = SimpleUploadedFile("report.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(
        reverse("bureau:meeting", args=["bureau-g"]),
        {"action": "report", "report": "", "report_file": upload},
    )
    assert response.status_code == 403
    assert not ReportFile.objects.filter(report__meeting__code="bureau-g").exists()
