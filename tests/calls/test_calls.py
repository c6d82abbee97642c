"""Calls sent from the portal: staff create and send them, focal points answer for their State,
observers for their organisation, staff decide, remind and see who answered."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader

from calls import selectors, services
from calls.enums import AnswerStatus, Audience, CallStatus
from calls.models import Answer, AnswerFile, Call, Reminder
from calls.selectors import Seat
from calls.tasks import reminders_send_due
from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from outbox.models import OutgoingMail
from tests.documents.factories import docx_upload, pdf_upload
from tests.factories import FocalPointFactory, UserFactory, country

from .conftest import make_call

pytestmark = pytest.mark.django_db


def _mails(prefix):
    return sorted(OutgoingMail.objects.filter(trigger_key__startswith=prefix).values_list("to", flat=True))


def _letters(call):
    """The call letters' recipients (the letters are rendered and e-mailed by the letters app)."""
    return sorted(
        Letter.objects.filter(
            kind=LetterKind.CALL, trigger_key__startswith=f"call:{call.pk}:letter:"
        ).values_list("recipient_email", flat=True)
    )


# --- 1. Staff create and send a call ---------------------------------------------------------------


def test_a_call_is_created_as_a_draft_and_sent_to_the_focal_points_of_parties_only(
    meeting, officer, zambia, japan, andorra, observer
):
    call = make_call(meeting, officer, send=False)
    assert (call.status, call.sent_at) == (CallStatus.DRAFT, None)
    assert Letter.objects.count() == 0
    sent = services.call_send(call=call, by=officer)
    assert sent.status == CallStatus.SENT and sent.sent_at is not None
    # Zambia and Japan are Parties; Andorra is not; observers are not addressed by this call.
    assert _letters(call) == ["nfp@japan.example", "nfp@zambia.example"]
    letter = Letter.objects.get(recipient_email="nfp@zambia.example")
    assert (letter.kind, letter.focal_point, letter.recipient_user, letter.language) == (
        LetterKind.CALL, zambia, zambia.user, "en",
    )  # fmt: skip
    # Japan's letter is numbered first: the Parties go by name.
    assert letter.reference == f"MC/COP.40/{meeting.start_date.year}/CALL/0002"
    assert (letter.details["answerer"], letter.details["call_title"]) == (
        "Zambia", "Capacity-building and technical assistance",
    )  # fmt: skip
    assert list(call.history.values_list("status", "history_user__email")) == [
        ("sent", "officer@un.example"), ("draft", "officer@un.example"),
    ]  # fmt: skip


def test_a_call_to_both_reaches_focal_points_and_observer_contacts(meeting, officer, zambia, observer):
    call = make_call(meeting, officer, audience=Audience.BOTH)
    assert _letters(call) == [
        "contact@zeromercury.example", "nfp@zambia.example", "office@zeromercury.example",
    ]  # fmt: skip


def test_a_call_to_observers_only_reaches_no_focal_point(meeting, officer, zambia, observer):
    call = make_call(meeting, officer, audience=Audience.OBSERVERS)
    assert _letters(call) == ["contact@zeromercury.example", "office@zeromercury.example"]


def test_a_call_with_nobody_to_write_to_is_not_sent(meeting, officer, andorra):
    call = make_call(meeting, officer, send=False)
    with pytest.raises(ValidationError) as refused:
        services.call_send(call=call, by=officer)
    assert refused.value.message_dict == {
        "audience": ["Nobody can be written to: no addressee of this call has a focal point or contact."]
    }
    call.refresh_from_db()
    assert (call.status, Letter.objects.count()) == (CallStatus.DRAFT, 0)


def test_a_call_is_sent_once(meeting, officer, zambia):
    call = make_call(meeting, officer)
    with pytest.raises(ValidationError, match="cannot become"):
        services.call_send(call=Call.objects.get(pk=call.pk), by=officer)
    assert Letter.objects.count() == 1


def test_a_call_without_subject_text_or_with_a_past_deadline_is_refused(meeting, officer, today):
    with pytest.raises(ValidationError) as refused:
        make_call(meeting, officer, title=" ", body="", deadline=today - dt.timedelta(days=1), send=False)
    assert refused.value.message_dict == {
        "title": ["Give the call a subject."],
        "body": ["Say what the call asks for."],
        "deadline": ["The deadline has already passed."],
    }
    assert Call.objects.count() == 0


def test_a_sent_call_changes_only_its_deadline_and_late_answers(meeting, officer, zambia, today):
    call = make_call(meeting, officer)
    with pytest.raises(ValidationError) as refused:
        services.call_update(call=call, by=officer, title="Another subject")
    assert list(refused.value.message_dict) == ["title"]
    later = today + dt.timedelta(days=60)
    changed = services.call_update(call=call, by=officer, deadline=later, accepts_late=True)
    assert (changed.deadline, changed.accepts_late, changed.title) == (later, True, call.title)


# --- 2. Focal points and observers answer ------------------------------------------------------------


def test_the_zambia_focal_point_answers_with_text_and_files_and_gets_a_receipt(meeting, officer, zambia):
    call = make_call(meeting, officer)
    answer = services.answer_submit(
        seat=Seat(call=call, country=country("ZMB")),
        text="Zambia needs support for its inventory of mercury releases.",
        files=[pdf_upload("zambia.pdf"), docx_upload("annex.docx")],
        by=zambia.user,
    )
    assert (answer.status, answer.country.iso3, answer.late, answer.submitted_by) == (
        AnswerStatus.SUBMITTED, "ZMB", False, zambia.user,
    )  # fmt: skip
    assert list(answer.files.values_list("kind", "original_name")) == [
        ("pdf", "zambia.pdf"),
        ("docx", "annex.docx"),
    ]
    receipt = OutgoingMail.objects.get(trigger_key__startswith=f"call-answer:{answer.pk}:receipt:")
    assert receipt.to == "nfp@zambia.example"
    assert receipt.subject == "Received: your answer to “Capacity-building and technical assistance”"
    assert "answer of Zambia" in receipt.body_text and "- zambia.pdf\n- annex.docx" in receipt.body_text


def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(meeting, officer, zambia):
    call = make_call(meeting, officer)
    fake = SimpleUploadedFile(
        "report.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(
            seat=Seat(call=call, country=country("ZMB")), text="x", files=[fake], by=zambia.user
        )
    assert list(refused.value.message_dict) == ["files"]
    assert "content was checked" in refused.value.message_dict["files"][0]
    assert (Answer.objects.count(), AnswerFile.objects.count()) == (0, 0)


def test_a_file_too_large_is_refused(meeting, officer, zambia, settings):
    settings.UPLOAD_MAX_BYTES = 100
    call = make_call(meeting, officer)
    with pytest.raises(ValidationError, match="larger than"):
        services.answer_submit(
            seat=Seat(call=call, country=country("ZMB")), files=[pdf_upload("big.pdf")], by=zambia.user
        )
    assert Answer.objects.count() == 0


def test_an_empty_answer_is_refused(meeting, officer, zambia):
    call = make_call(meeting, officer)
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="  ", by=zambia.user)
    assert refused.value.message_dict == {"text": ["Write your answer or attach a file."]}


def test_a_state_outside_the_addressees_is_refused_with_the_reason(
    meeting, officer, zambia, andorra, observer
):
    call = make_call(meeting, officer, audience=Audience.BOTH)
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(seat=Seat(call=call, country=country("AND")), text="x", by=andorra.user)
    assert refused.value.messages == [
        "Andorra is not among the addressees of this call (Parties' focal points and observers)."
    ]
    parties_only = make_call(meeting, officer, title="Parties only")
    _person, organisation = observer
    with pytest.raises(ValidationError, match="Zero Mercury Working Group is not among the addressees"):
        services.answer_submit(seat=Seat(call=parties_only, organisation=organisation), text="x", by=_person)
    assert Answer.objects.count() == 0


def test_an_answer_after_the_deadline_is_refused_unless_staff_accept_late_answers(
    meeting, officer, zambia, today
):
    call = make_call(meeting, officer, deadline=today)
    Call.objects.filter(pk=call.pk).update(deadline=today - dt.timedelta(days=1))
    call.refresh_from_db()
    seat = Seat(call=call, country=country("ZMB"))
    with pytest.raises(ValidationError) as refused:
        services.answer_submit(seat=seat, text="late", by=zambia.user)
    assert refused.value.messages == [
        f"The deadline of this call ({call.deadline.isoformat()}) has passed and it takes no late answers."
    ]
    services.call_update(call=call, by=officer, accepts_late=True)
    call.refresh_from_db()
    answer = services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="late", by=zambia.user)
    assert answer.late is True


def test_the_deadline_day_itself_is_open(meeting, officer, zambia, today):
    call = make_call(meeting, officer, deadline=today)
    answer = services.answer_submit(
        seat=Seat(call=call, country=country("ZMB")), text="on time", by=zambia.user
    )
    assert answer.late is False


def test_a_draft_call_takes_no_answer(meeting, officer, zambia):
    call = make_call(meeting, officer, send=False)
    with pytest.raises(ValidationError, match="has not been sent yet"):
        services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)


def test_an_observer_answers_for_their_organisation(meeting, officer, observer):
    person, organisation = observer
    call = make_call(meeting, officer, audience=Audience.OBSERVERS)
    answer = services.answer_submit(
        seat=Seat(call=call, organisation=organisation), text="Our work", by=person
    )
    assert (answer.organisation, answer.country) == (organisation, None)
    assert _mails(f"call-answer:{answer.pk}:receipt:") == ["contact@zeromercury.example"]


# --- Pages, per role -----------------------------------------------------------------------------


def test_the_focal_point_answers_on_the_page_and_sees_only_their_state(
    client, meeting, officer, zambia, japan
):
    call = make_call(meeting, officer)
    client.force_login(zambia.user)
    mine = client.get(reverse("calls:mine")).content.decode()
    assert reverse("calls:answer_country", args=[call.pk, "ZMB"]) in mine
    assert reverse("calls:answer_country", args=[call.pk, "JPN"]) not in mine
    page = reverse("calls:answer_country", args=[call.pk, "ZMB"])
    response = client.post(page, {"text": "Our answer", "files": [pdf_upload("z.pdf")]})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.country.iso3, answer.text, answer.files.get().original_name) == (
        "ZMB",
        "Our answer",
        "z.pdf",
    )
    # Japan's page, and Japan's file, are not found for Zambia's focal point.
    assert client.get(reverse("calls:answer_country", args=[call.pk, "JPN"])).status_code == 404
    japan_answer = services.answer_submit(
        seat=Seat(call=call, country=country("JPN")), files=[pdf_upload("j.pdf")], by=japan.user
    )
    assert client.get(reverse("calls:answer_file", args=[japan_answer.files.get().pk])).status_code == 404
    assert client.get(reverse("calls:answer_file", args=[answer.files.get().pk])).status_code == 200


def test_the_answer_page_shows_a_refusal_for_a_state_outside_the_addressees(
    client, meeting, officer, zambia, andorra
):
    call = make_call(meeting, officer)
    client.force_login(andorra.user)
    page = reverse("calls:answer_country", args=[call.pk, "AND"])
    assert "Andorra is not among the addressees of this call (Parties’ focal points)." in (
        client.get(page).content.decode().replace("&#x27;", "’").replace("'", "’")
    )
    response = client.post(page, {"text": "x"})
    assert response.status_code == 200 and Answer.objects.count() == 0
    assert (
        reverse("calls:answer_country", args=[call.pk, "AND"])
        not in client.get(reverse("calls:mine")).content.decode()
    )


def test_a_draft_call_is_not_found_by_its_addressees(client, meeting, officer, zambia):
    call = make_call(meeting, officer, send=False)
    client.force_login(zambia.user)
    assert client.get(reverse("calls:answer_country", args=[call.pk, "ZMB"])).status_code == 404


def test_an_observer_sees_only_their_organisation(client, meeting, officer, observer):
    from tests.participants.factories import OrganisationFactory

    person, organisation = observer
    other = OrganisationFactory(name="Another NGO")
    call = make_call(meeting, officer, audience=Audience.OBSERVERS)
    client.force_login(person)
    assert (
        client.get(reverse("calls:answer_organisation", args=[call.pk, organisation.pk])).status_code == 200
    )
    assert client.get(reverse("calls:answer_organisation", args=[call.pk, other.pk])).status_code == 404
    assert client.get(reverse("calls:answer_country", args=[call.pk, "ZMB"])).status_code == 404


@pytest.mark.parametrize("who", ["delegate", "registration_officer", "zambia"])
def test_staff_pages_are_for_the_calls_staff_only(
    client, meeting, officer, zambia, registration_officer, who
):
    from tests.factories import UserFactory

    call = make_call(meeting, officer)
    user = {"delegate": UserFactory(), "registration_officer": registration_officer, "zambia": zambia.user}[
        who
    ]
    client.force_login(user)
    for name in ("calls:staff_detail", "calls:staff_edit"):
        assert client.get(reverse(name, args=[call.pk])).status_code == 403
    assert client.get(reverse("calls:staff_list")).status_code == 403
    assert client.post(reverse("calls:staff_remind", args=[call.pk])).status_code == 403
    assert Reminder.objects.count() == 0


def test_a_delegate_without_state_or_organisation_has_no_calls_page(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(reverse("calls:mine")).status_code == 403


def test_staff_create_and_send_a_call_from_the_pages(client, meeting, officer, zambia, today):
    client.force_login(officer)
    response = client.post(
        reverse("calls:staff_create"),
        {
            "meeting": meeting.pk, "kind": "experts", "title": "Nominations of experts", "mandate": "",
            "body": "Nominate experts on mercury waste thresholds.", "audience": "parties",
            "deadline": (today + dt.timedelta(days=20)).isoformat(),
        },
    )  # fmt: skip
    call = Call.objects.get()
    assert response.status_code == 302 and (call.kind, call.status, call.created_by) == (
        "experts",
        "draft",
        officer,
    )
    client.post(reverse("calls:staff_send", args=[call.pk]))
    call.refresh_from_db()
    assert call.status == CallStatus.SENT
    assert _letters(call) == ["nfp@zambia.example"]
    page = client.get(reverse("calls:staff_detail", args=[call.pk])).content.decode()
    assert "Zambia" in page


# --- 3. Staff see who answered, decide, remind -------------------------------------------------------


def test_staff_see_who_answered_and_who_did_not(meeting, officer, zambia, japan):
    call = make_call(meeting, officer)
    services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    addressees = selectors.call_addressees(call)
    answered = [a.name for a in addressees if a.has_answered]
    waiting = [a.name for a in addressees if not a.has_answered]
    assert answered == ["Zambia"]
    assert "Japan" in waiting and "Zambia" not in waiting
    assert len(addressees) == selectors.call_party_countries(call).count()


def test_accept_and_return_with_a_reason_keep_history_and_tell_the_sender(meeting, officer, zambia):
    call = make_call(meeting, officer)
    answer = services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    with pytest.raises(ValidationError) as refused:
        services.answer_return(answer=answer, reason=" ", by=officer)
    assert refused.value.message_dict == {"reason": ["Say why the answer is returned."]}
    returned = services.answer_return(answer=answer, reason="The annex is missing.", by=officer)
    assert (returned.status, returned.reason, returned.decided_by) == (
        AnswerStatus.RETURNED,
        "The annex is missing.",
        officer,
    )
    mail = OutgoingMail.objects.get(trigger_key__startswith=f"call-answer:{answer.pk}:returned:")
    assert mail.to == "nfp@zambia.example" and "The annex is missing." in mail.body_text
    again = services.answer_resubmit(
        seat=Seat(call=call, country=country("ZMB")),
        answer_pk=returned.pk,
        text="x, with the annex",
        files=[pdf_upload("annex.pdf")],
        by=zambia.user,
    )
    assert (again.status, again.text) == (AnswerStatus.SUBMITTED, "x, with the annex")
    accepted = services.answer_accept(answer=again, by=officer)
    assert accepted.status == AnswerStatus.ACCEPTED
    with pytest.raises(ValidationError, match="cannot become"):
        services.answer_accept(answer=accepted, by=officer)
    assert list(answer.history.order_by("history_id").values_list("status", "history_user__email", "history_change_reason")) == [
        ("submitted", "nfp@zambia.example", None),
        ("returned", "officer@un.example", "The annex is missing."),
        ("submitted", "nfp@zambia.example", "Submitted"),
        ("accepted", "officer@un.example", "Accepted"),
    ]  # fmt: skip


def test_only_a_returned_answer_can_be_sent_again(meeting, officer, zambia):
    call = make_call(meeting, officer)
    answer = services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    with pytest.raises(ValidationError, match="Only an answer the secretariat returned"):
        services.answer_resubmit(
            seat=Seat(call=call, country=country("ZMB")), answer_pk=answer.pk, text="y", by=zambia.user
        )


def test_a_reminder_goes_to_those_who_have_not_answered_only(meeting, officer, zambia, japan, observer):
    call = make_call(meeting, officer, audience=Audience.BOTH)
    services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    reminder = services.reminder_send_now(call=call, by=officer)
    reminded = _mails(f"call:{call.pk}:reminder:{reminder.pk}:")
    assert reminded == ["contact@zeromercury.example", "nfp@japan.example", "office@zeromercury.example"]
    assert reminder.recipients == 3 and reminder.sent_at is not None
    mail = OutgoingMail.objects.get(
        trigger_key__startswith=f"call:{call.pk}:reminder:", to="nfp@japan.example"
    )
    assert mail.subject == "Reminder: Capacity-building and technical assistance"
    assert "not yet received an answer from Japan" in mail.body_text
    # Sending it again changes nothing: it went once.
    assert services.reminder_send(reminder=reminder) == 0
    assert OutgoingMail.objects.filter(trigger_key__startswith=f"call:{call.pk}:reminder:").count() == 3


def test_reminders_on_dates_staff_set_go_out_from_the_beat_task_once(meeting, officer, zambia, japan, today):
    call = make_call(meeting, officer)
    later = services.reminder_schedule(call=call, send_on=today + dt.timedelta(days=5), by=officer)
    due = services.reminder_schedule(call=call, send_on=today, by=officer)
    assert reminders_send_due() == 2
    assert reminders_send_due() == 0
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.recipients, due.sent_at is not None, later.sent_at) == (2, True, None)
    assert services.reminders_send_due(today=today + dt.timedelta(days=5)) == 2
    assert list(due.history.values_list("history_user__email", flat=True))[-1] == "officer@un.example"


def test_a_reminder_in_the_past_or_after_the_deadline_is_refused(meeting, officer, zambia, today):
    call = make_call(meeting, officer, deadline=today + dt.timedelta(days=3))
    with pytest.raises(ValidationError) as refused:
        services.reminder_schedule(call=call, send_on=today - dt.timedelta(days=1), by=officer)
    assert refused.value.message_dict == {"send_on": ["A reminder cannot be sent in the past."]}
    with pytest.raises(ValidationError, match="after the deadline"):
        services.reminder_schedule(call=call, send_on=today + dt.timedelta(days=4), by=officer)
    assert Reminder.objects.count() == 0


def test_staff_return_and_remind_from_the_pages(client, meeting, officer, zambia, japan):
    call = make_call(meeting, officer)
    answer = services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="x", by=zambia.user)
    client.force_login(officer)
    client.post(reverse("calls:staff_return", args=[answer.pk]), {"reason": "Please add the annex."})
    answer.refresh_from_db()
    assert (answer.status, answer.reason) == (AnswerStatus.RETURNED, "Please add the annex.")
    client.post(reverse("calls:staff_remind", args=[call.pk]))
    # Zambia answered (even though its answer is back with it): Japan alone is reminded.
    assert _mails(f"call:{call.pk}:reminder:") == ["nfp@japan.example"]
    page = client.get(reverse("calls:staff_detail", args=[call.pk])).content.decode()
    assert "Please add the annex." in page and "sent to 1 person" in page


# --- 4. The call letter, in the recipient's language ----------------------------------------------


def _pdf_text(letter) -> str:
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RENDERED, letter.last_error
    return " ".join(" ".join(p.extract_text() for p in PdfReader(BytesIO(letter.pdf.read())).pages).split())


def test_the_call_letter_is_rendered_and_mailed_in_the_recipients_language(
    meeting, officer, zambia, django_capture_on_commit_callbacks
):
    senegal = FocalPointFactory(
        user=UserFactory(email="nfp@senegal.example", preferred_language="fr"), country=country("SEN")
    )
    with django_capture_on_commit_callbacks(execute=True):
        call = make_call(meeting, officer, deadline=dt.date(2031, 7, 25), mandate="decision MC-3/8")
    french = Letter.objects.get(recipient_email="nfp@senegal.example")
    english = Letter.objects.get(recipient_email="nfp@zambia.example")
    assert (french.language, english.language, french.focal_point) == ("fr", "en", senegal)
    text = _pdf_text(french)
    assert "Appel à communications : Capacity-building and technical assistance" in text
    assert "le Gouvernement de l’État suivant : Sénégal" in text
    assert "jusqu’au 25 juillet 2031" in text and "Please send information on capacity-building" in text
    assert french.reference in text
    text = _pdf_text(english)
    assert "Call for submissions: Capacity-building and technical assistance" in text
    assert "Pursuant to decision MC-3/8, I have the honour to invite the Government of Zambia" in text
    assert "until 25 July 2031" in text
    mail = OutgoingMail.objects.get(trigger_key__startswith=f"letter:{french.pk}:send:")
    assert mail.to == "nfp@senegal.example" and mail.attachment == french.pdf.name
    assert call.status == CallStatus.SENT


def test_an_observer_gets_the_call_letter_addressed_to_their_organisation(
    meeting, officer, observer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_call(
            meeting, officer, audience=Audience.OBSERVERS, kind="events", title="Knowledge Lab sessions"
        )
    letter = Letter.objects.get(recipient_email="contact@zeromercury.example")
    assert (letter.focal_point, letter.recipient_user.email) == (None, "contact@zeromercury.example")
    text = _pdf_text(letter)
    assert "Call for proposals: Knowledge Lab sessions" in text
    assert "invite Zero Mercury Working Group to submit proposals" in text


def test_the_staff_page_costs_the_same_queries_whatever_the_number_of_answers(
    client, meeting, officer, zambia, japan, observer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    person, organisation = observer
    call = make_call(meeting, officer, audience=Audience.BOTH)
    services.answer_submit(
        seat=Seat(call=call, country=country("ZMB")), files=[pdf_upload("z.pdf")], by=zambia.user
    )
    client.force_login(officer)
    page = reverse("calls:staff_detail", args=[call.pk])
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    services.answer_submit(
        seat=Seat(call=call, country=country("JPN")), files=[pdf_upload("j.pdf")], by=japan.user
    )
    services.answer_submit(seat=Seat(call=call, organisation=organisation), text="Ours", by=person)
    services.answer_submit(seat=Seat(call=call, country=country("ZMB")), text="Second", by=zambia.user)
    with CaptureQueriesContext(connection) as four:
        assert client.get(page).status_code == 200
    assert len(four) == len(one)


def test_staff_extend_a_sent_calls_deadline_on_its_page_but_not_its_subject(
    client, meeting, officer, zambia, today
):
    call = make_call(meeting, officer)
    client.force_login(officer)
    page = reverse("calls:staff_edit", args=[call.pk])
    data = {
        "meeting": meeting.pk, "kind": call.kind, "title": "Another subject", "mandate": call.mandate,
        "body": call.body, "audience": call.audience, "deadline": call.deadline.isoformat(),
    }  # fmt: skip
    response = client.post(page, data)
    assert response.status_code == 200
    assert "only its deadline and late answers can change" in response.content.decode()
    later = today + dt.timedelta(days=90)
    response = client.post(
        page, {**data, "title": call.title, "deadline": later.isoformat(), "accepts_late": "on"}
    )
    assert response.status_code == 302
    call.refresh_from_db()
    assert (call.title, call.deadline, call.accepts_late) == (
        "Capacity-building and technical assistance",
        later,
        True,
    )


def test_my_calls_costs_the_same_queries_with_one_call_or_four(client, meeting, officer, zambia):
    """A focal point who is also an observer contact: the calls they answer are listed at a cost
    that does not grow with the calls (their addressees are asked once per day sent and meeting)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_call(meeting, officer, audience=Audience.PARTIES, title="First")
    client.force_login(zambia.user)
    page = reverse("calls:mine")
    client.get(page)
    with CaptureQueriesContext(connection) as one:
        assert client.get(page).status_code == 200
    for n in range(3):
        make_call(meeting, officer, audience=Audience.BOTH if n else Audience.STATES, title=f"Call {n}")
    with CaptureQueriesContext(connection) as four:
        html = client.get(page).content.decode()
    assert all(title in html for title in ("First", "Call 0", "Call 1", "Call 2"))
    assert len(four) <= len(one) + 1  # the one query for calls to all States
