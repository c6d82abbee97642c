"""Render tasks take letters in chunks: a fixed number of queries per chunk, each letter
rendered and mailed once, and a claim lost mid-chunk leaves that letter to its new owner."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from letters import stamping, tasks
from letters.enums import LetterStatus
from letters.models import Letter
from letters.services import rendering as render_services
from meetings.letters import letter_batch_invite_parties
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from outbox.services import outgoing_mails_deliver
from tests.factories import MeetingFactory

from .factories import party_focal_points

pytestmark = pytest.mark.django_db

PARTIES = ["ZMB", "PER", "FRA", "SEN", "MEX", "ECU", "BOL", "BEN"]


@pytest.fixture
def queued_letters(django_capture_on_commit_callbacks):
    """Eight COP-2 invitations, committed and queued, nothing rendered yet."""
    meeting = MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        symbol_prefix="UNEP/MC/COP.2",
    )  # fmt: skip
    party_focal_points(PARTIES)
    with django_capture_on_commit_callbacks(execute=False):
        letter_batch_invite_parties(meeting=meeting)
    return list(Letter.objects.order_by("pk").values_list("pk", flat=True))


def render(ids, callbacks):
    with callbacks(execute=False) as queued:
        statuses = render_services.letters_render(letter_ids=ids)
    return statuses, queued


def test_a_chunk_renders_and_mails_each_letter_once(queued_letters, django_capture_on_commit_callbacks):
    statuses, queued = render(queued_letters, django_capture_on_commit_callbacks)
    assert statuses == dict.fromkeys(queued_letters, LetterStatus.RENDERED)
    letters = Letter.objects.filter(pk__in=queued_letters)
    assert {letter.status for letter in letters} == {LetterStatus.RENDERED}
    for letter in letters:
        assert letter.render_claim is None
        with letter.pdf.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
        assert len(letter.sha256) == 64
    mails = [letter.mail for letter in letters.select_related("mail").order_by("pk")]
    assert [mail.attachment.name for mail in mails] == [letter.pdf.name for letter in letters.order_by("pk")]
    assert [mail.trigger_key for mail in mails] == [f"letter:{pk}:send:1" for pk in queued_letters]
    assert len({mail.message_id for mail in mails}) == len(queued_letters)
    assert len(queued) == 1  # one nudge to send the chunk's mails, after the commit

    # The same chunk delivered again (acks_late redelivery): nothing rendered, nothing mailed.
    statuses, queued = render(queued_letters, django_capture_on_commit_callbacks)
    assert statuses == dict.fromkeys(queued_letters, LetterStatus.RENDERED)
    assert OutgoingMail.objects.count() == len(queued_letters) and queued == []


def test_queries_per_chunk_do_not_grow_with_its_size(queued_letters, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as two:
        render(queued_letters[:2], django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as six:
        render(queued_letters[2:], django_capture_on_commit_callbacks)
    assert len(two) == len(six)
    assert len(six) <= 9  # claim, read, overrides, savepoint, lock, update, insert, release


def test_letters_in_flight_elsewhere_or_done_are_left_alone(
    queued_letters, django_capture_on_commit_callbacks
):
    first, second, third, *_others = queued_letters
    render([first], django_capture_on_commit_callbacks)
    Letter.objects.filter(pk=second).update(render_claim="00000000-0000-0000-0000-000000000001",
                                            render_claimed_at=timezone.now())  # fmt: skip
    statuses, _queued = render([first, second, third, 999_999], django_capture_on_commit_callbacks)
    assert statuses == {
        first: LetterStatus.RENDERED,
        second: LetterStatus.QUEUED,
        third: LetterStatus.RENDERED,
    }
    assert Letter.objects.get(pk=second).status == LetterStatus.QUEUED
    assert sorted(Letter.objects.filter(mail__isnull=False).values_list("pk", flat=True)) == [first, third]


def test_a_claim_taken_back_mid_chunk_is_not_committed(
    queued_letters, django_capture_on_commit_callbacks, monkeypatch
):
    """The sweeper took one letter back while this worker was still laying out the chunk (it
    looked dead); another worker owns it now. This worker must not mark it or mail it."""
    second = queued_letters[1]
    original = stamping.letter_pdf
    taken = []

    def slow_render(letter, **kwargs):
        if not taken:
            Letter.objects.filter(pk=second).update(render_claim="00000000-0000-0000-0000-000000000002")
            taken.append(second)
        return original(letter, **kwargs)

    monkeypatch.setattr(render_services, "letter_pdf", slow_render)
    statuses, _queued = render(queued_letters, django_capture_on_commit_callbacks)
    assert statuses[second] == LetterStatus.QUEUED
    assert all(statuses[pk] == LetterStatus.RENDERED for pk in queued_letters if pk != second)
    letter = Letter.objects.get(pk=second)
    assert letter.status == LetterStatus.QUEUED and str(letter.render_claim).endswith("0002")
    assert letter.mail is None
    assert OutgoingMail.objects.count() == len(queued_letters) - 1


def test_a_letter_that_does_not_render_fails_alone(
    queued_letters, django_capture_on_commit_callbacks, monkeypatch
):
    second = queued_letters[1]
    original = stamping.letter_pdf

    def broken_for_second(letter, **kwargs):
        if letter.pk == second:
            raise ValueError("unclosed tag in the override")
        return original(letter, **kwargs)

    monkeypatch.setattr(render_services, "letter_pdf", broken_for_second)
    statuses, _queued = render(queued_letters, django_capture_on_commit_callbacks)
    assert statuses[second] == LetterStatus.FAILED
    failed = Letter.objects.get(pk=second)
    assert failed.status == LetterStatus.FAILED and "unclosed tag" in failed.last_error
    assert OutgoingMail.objects.count() == len(queued_letters) - 1


def test_render_tasks_are_queued_in_chunks(settings, monkeypatch):
    settings.LETTERS_CHUNK_SIZE = 3
    sent = []
    monkeypatch.setattr(tasks.letters_render, "delay", sent.append)
    render_services.renders_enqueue([11, 12, 13, 14, 15, 16, 17])
    assert sent == [[11, 12, 13], [14, 15, 16], [17]]


@pytest.fixture
def rendered_mails(queued_letters, django_capture_on_commit_callbacks):
    """The eight letters rendered, their mails in the outbox, none sent yet."""
    render(queued_letters, django_capture_on_commit_callbacks)
    return list(OutgoingMail.objects.order_by("pk").values_list("pk", flat=True))


def test_a_refused_mail_in_a_chunk_fails_its_letters_delivery_alone(rendered_mails, scripted_smtp):
    server = scripted_smtp(replies=["", "550 5.1.1 Mailbox unavailable"])
    refused = rendered_mails[1]
    statuses = outgoing_mails_deliver(mail_ids=rendered_mails)
    assert statuses.pop(refused) == MailStatus.FAILED
    assert set(statuses.values()) == {MailStatus.SENT}
    assert len(server.wait_for(len(rendered_mails) - 1)) == len(rendered_mails) - 1
    letter = Letter.objects.select_related("mail").get(mail__pk=refused)
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.FAILED)
    assert "550" in letter.mail.last_error
    assert {
        other.delivery_status for other in Letter.objects.select_related("mail").exclude(pk=letter.pk)
    } == {MailStatus.SENT}


def test_visa_letters_in_a_chunk_read_their_passports_in_fixed_queries(
    queued_letters, django_capture_on_commit_callbacks
):
    """A visa letter prints the passport number from the registration's visa request; a chunk of
    them must not read one request per letter."""
    import datetime as dt

    from letters.enums import LetterKind
    from participants.letters import letter_request
    from participants.models import VisaRequest
    from tests.factories import country

    from .factories import RegistrationFactory

    meeting = Letter.objects.get(pk=queued_letters[0]).meeting
    visa_ids = []
    for i, iso3 in enumerate(["ZMB", "PER", "SEN", "MEX", "ECU"]):
        registration = RegistrationFactory(meeting=meeting, country=country(iso3))
        VisaRequest.objects.create(
            registration=registration, passport_number=f"P00{i}", passport_country=country(iso3),
            passport_expires=dt.date(2027, 3, 31), embassy="Embassy of Switzerland",
        )  # fmt: skip
        with django_capture_on_commit_callbacks(execute=False):
            visa_ids.append(letter_request(kind=LetterKind.VISA, registration=registration).pk)
    with CaptureQueriesContext(connection) as one:
        render(visa_ids[:1], django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as four:
        render(visa_ids[1:], django_capture_on_commit_callbacks)
    assert len(four) == len(one)
    assert Letter.objects.filter(pk__in=visa_ids, status=LetterStatus.RENDERED).count() == 5
