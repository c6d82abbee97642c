import datetime as dt
import re

import pytest

from letters.enums import LetterStatus
from letters.models import Letter, LetterBatch
from letters.services.issuing import letter_resend, letter_revoke
from letters.services.rendering import letter_render, letters_sweep
from meetings.letters import letter_batch_invite_parties, letter_request_invitation
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.factories import MeetingFactory, UserFactory, country

from .factories import party_focal_points

pytestmark = pytest.mark.django_db


@pytest.fixture
def cop2():
    return MeetingFactory(
        code="cop-2", number=2, start_date=dt.date(2018, 11, 19), end_date=dt.date(2018, 11, 23),
        symbol_prefix="UNEP/MC/COP.2",
    )  # fmt: skip


def test_bulk_invitation_goes_to_every_partys_focal_point_once(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    zambia, peru = party_focal_points(["ZMB", "PER"])
    # Chile's ratification entered into force on 25 November 2018, after COP-2 opened.
    party_focal_points(["CHL", "RUS"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = letter_batch_invite_parties(meeting=cop2)
    letters = list(batch.letters.order_by("reference"))
    assert [letter.focal_point for letter in letters] == [peru, zambia]  # ordered by country name
    assert [letter.reference for letter in letters] == ["MC/COP.2/2018/INV/0001", "MC/COP.2/2018/INV/0002"]
    assert {letter.status for letter in Letter.objects.all()} == {LetterStatus.RENDERED}
    assert {letter.delivery_status for letter in Letter.objects.select_related("mail")} == {MailStatus.SENT}
    messages = smtp_server.wait_for(2)
    assert sorted(m["to"][0] for m in messages) == sorted([peru.user.email, zambia.user.email])
    message = next(m["message"] for m in messages if m["to"] == [zambia.user.email])
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "MC-COP.2-2018-INV-0002.pdf"
    assert attachment.get_content()[:4] == b"%PDF"
    assert message["Message-ID"] == OutgoingMail.objects.get(to=zambia.user.email).message_id
    body = message.get_body(("plain",)).get_content()
    assert "MC/COP.2/2018/INV/0002" in body and "/verify/" in body
    assert message.get_body(("html",)) is not None

    # The admin clicks again: nothing new, nobody gets a second letter.
    with django_capture_on_commit_callbacks(execute=True):
        assert letter_batch_invite_parties(meeting=cop2) is None
    assert Letter.objects.count() == 2 and OutgoingMail.objects.count() == 2
    assert len(smtp_server.messages) == 2

    # A focal point added later gets only their own letter, with the next number.
    (france,) = party_focal_points(["FRA"])
    with django_capture_on_commit_callbacks(execute=True):
        batch = letter_batch_invite_parties(meeting=cop2)
    assert [(letter.focal_point, letter.reference) for letter in batch.letters.all()] == [
        (france, "MC/COP.2/2018/INV/0003")
    ]
    smtp_server.wait_for(3)
    assert len(smtp_server.messages) == 3


def test_verification_codes_are_random_and_long(cop2, django_capture_on_commit_callbacks):
    party_focal_points(["ZMB", "PER", "FRA"])
    with django_capture_on_commit_callbacks(execute=True):
        letter_batch_invite_parties(meeting=cop2)
    codes = list(Letter.objects.values_list("verification_code", flat=True))
    assert len(set(codes)) == 3
    for code in codes:
        assert re.fullmatch(r"[A-Za-z0-9_-]{32}", code)  # 24 random bytes = 192 bits


def test_transient_smtp_errors_are_retried_then_sent(cop2, django_capture_on_commit_callbacks, scripted_smtp):
    server = scripted_smtp(replies=["421 Service not available, try later", "451 Local error in processing"])
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=True):
        letter_batch_invite_parties(meeting=cop2)
    messages = server.wait_for(1)
    assert len(messages) == 1 and server.sink.refused == 2
    letter = Letter.objects.select_related("mail").get()
    # The letter's delivery is its mail's, read through it: nothing copied onto the letter.
    assert (letter.status, letter.delivery_status, letter.mail.attempts) == (
        LetterStatus.RENDERED,
        MailStatus.SENT,
        3,
    )


@pytest.mark.parametrize("where", ["data", "rcpt"])
def test_permanent_smtp_error_fails_at_once_and_staff_can_resend(
    cop2, django_capture_on_commit_callbacks, scripted_smtp, where
):
    reply = "550 5.1.1 Mailbox unavailable"
    server = scripted_smtp(
        replies=[reply] if where == "data" else [], rcpt_reply=reply if where == "rcpt" else None
    )
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=True):
        letter_batch_invite_parties(meeting=cop2)
    letter = Letter.objects.select_related("mail").get()
    assert (letter.status, letter.delivery_status, letter.mail.attempts) == (
        LetterStatus.RENDERED,
        MailStatus.FAILED,
        1,
    )
    assert "550" in letter.mail.last_error
    assert server.sink.refused == 1 and server.messages == []

    server.sink.rcpt_reply = None
    with django_capture_on_commit_callbacks(execute=True):
        letter_resend(letter=letter, by=UserFactory(is_staff=True))
    letter = Letter.objects.select_related("mail").get()
    assert letter.delivery_status == MailStatus.SENT
    assert len(server.wait_for(1)) == 1
    assert letter.mails.count() == 2  # the failed attempt stays on record


def test_redis_down_the_letter_commits_and_the_sweeper_sends_it_later(
    cop2, django_capture_on_commit_callbacks, smtp_server, settings, celery_app_on_broker, broker_down
):
    settings.OUTBOX_SWEEP_AFTER = 0
    party_focal_points(["ZMB", "PER"])
    with broker_down(), django_capture_on_commit_callbacks(execute=True):
        batch = letter_batch_invite_parties(meeting=cop2)
    assert batch.letters.count() == 2
    assert set(Letter.objects.values_list("status", flat=True)) == {LetterStatus.QUEUED}
    assert smtp_server.messages == []

    # Redis is back; beat runs the sweeper (tasks run eagerly here for brevity).
    celery_app_on_broker.conf.task_always_eager = True
    with django_capture_on_commit_callbacks(execute=True):
        result = letters_sweep()
    assert result["letters"] == 2
    assert len(smtp_server.wait_for(2)) == 2
    assert set(Letter.objects.values_list("mail__status", flat=True)) == {MailStatus.SENT}


def test_beat_runs_the_render_sweeper_every_minute(settings):
    from letters import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["letters-sweep"]
    assert entry == {"task": "letters.tasks.letters_sweep", "schedule": 60.0}
    assert tasks.letters_sweep.name == entry["task"]


def test_invitation_to_an_observer_organisation(cop2, django_capture_on_commit_callbacks, smtp_server):
    organisation = {
        "pk": "ipen",
        "name": "IPEN",
        "email": "ipen@example.org",
        "address": "Göteborg\nSweden",
        "language": "fr",
    }
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=cop2, organisation=organisation)
        again = letter_request_invitation(meeting=cop2, organisation=organisation)
    assert again.pk == letter.pk
    letter.refresh_from_db()
    assert (letter.recipient_name, letter.language, letter.delivery_status) == ("IPEN", "fr", MailStatus.SENT)
    assert [m["to"] for m in smtp_server.wait_for(1)] == [["ipen@example.org"]]


def test_a_batch_counts_its_progress(cop2, django_capture_on_commit_callbacks):
    from letters.selectors import batch_progress

    party_focal_points(["ZMB", "PER", "FRA"])
    with django_capture_on_commit_callbacks(execute=False):
        batch = letter_batch_invite_parties(meeting=cop2)
    assert batch_progress(batch_id=batch.pk) == {
        "total": 3,
        "revoked": 0,
        "to_render": 3,
        "mailing": 0,
        "delivered": 0,
        "undelivered": 0,
    }
    first = batch.letters.order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=False):
        letter_render(letter_id=first.pk)
    assert batch_progress(batch_id=batch.pk) == {
        "total": 3,
        "revoked": 0,
        "to_render": 2,
        "mailing": 1,
        "delivered": 0,
        "undelivered": 0,
    }
    assert LetterBatch.objects.count() == 1


def test_reference_numbers_are_per_meeting_and_kind(django_capture_on_commit_callbacks):
    cop1 = MeetingFactory(
        code="cop-1",
        number=1,
        start_date=dt.date(2017, 9, 24),
        end_date=dt.date(2017, 9, 29),
        symbol_prefix="UNEP/MC/COP.1",
    )
    icc = MeetingFactory(
        code="icc-1", symbol_prefix="", start_date=dt.date(2018, 5, 29), end_date=dt.date(2018, 5, 30)
    )
    (zambia,) = party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        a = letter_request_invitation(meeting=cop1, focal_point=zambia)
        b = letter_request_invitation(meeting=icc, focal_point=zambia)
    assert (a.reference, b.reference) == ("MC/COP.1/2017/INV/0001", "ICC-1/2018/INV/0001")
    assert country("ZMB") == zambia.country


def test_sweeper_leaves_rows_that_are_still_waiting_for_their_task(
    cop2, django_capture_on_commit_callbacks, settings
):
    settings.OUTBOX_SWEEP_AFTER = 600
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        letter_batch_invite_parties(meeting=cop2)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = letters_sweep()
    assert result == {"letters": 0}
    assert Letter.objects.get().status == LetterStatus.QUEUED
    assert len(callbacks) <= 1


def test_the_mail_of_a_rendered_letter_records_who_triggered_it(cop2, django_capture_on_commit_callbacks):
    (zambia,) = party_focal_points(["ZMB"])
    officer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=cop2, focal_point=zambia, by=officer)
    letter.refresh_from_db()
    mail = letter.mail
    assert mail.created_by == officer
    assert mail.trigger_key == f"letter:{letter.pk}:send:1"
    assert (mail.attachment.name, mail.attachment_name) == (letter.pdf.name, "MC-COP.2-2018-INV-0001.pdf")


def test_a_letter_revoked_before_it_was_rendered_is_never_rendered_nor_sent(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    """Revoking used to stamp revoked_at only: the queued letter was still rendered and e-mailed."""
    (zambia,) = party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_request_invitation(meeting=cop2, focal_point=zambia)
    letter_revoke(letter=letter)
    with django_capture_on_commit_callbacks(execute=True):
        assert letter_render(letter_id=letter.pk) == LetterStatus.REVOKED
    letter.refresh_from_db()
    assert (letter.status, letter.sha256, letter.mail) == (LetterStatus.REVOKED, "", None)
    assert not OutgoingMail.objects.exists() and smtp_server.messages == []


def test_revoked_and_queued_letters_are_not_resent(cop2, django_capture_on_commit_callbacks):
    from letters.services.issuing import LetterActionError

    zambia, peru = party_focal_points(["ZMB", "PER"])
    with django_capture_on_commit_callbacks(execute=False):
        queued = letter_request_invitation(meeting=cop2, focal_point=zambia)
        revoked = letter_request_invitation(meeting=cop2, focal_point=peru)
    letter_revoke(letter=revoked)
    with pytest.raises(LetterActionError, match="“Queued”: it cannot be sent again"):
        letter_resend(letter=queued)
    with pytest.raises(LetterActionError, match="“Revoked”: it cannot be sent again"):
        letter_resend(letter=revoked)


def test_revoking_a_revoked_letter_is_refused_and_changes_nothing(cop2, django_capture_on_commit_callbacks):
    """A second revocation used to do nothing, silently."""
    from letters.services.issuing import LetterActionError

    (zambia,) = party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_request_invitation(meeting=cop2, focal_point=zambia)
    first = UserFactory(is_staff=True)
    letter_revoke(letter=letter, by=first)
    revoked_at = Letter.objects.get(pk=letter.pk).revoked_at
    with pytest.raises(LetterActionError, match="“Revoked”: it cannot be revoked"):
        letter_revoke(letter=letter, by=UserFactory(is_staff=True))
    letter.refresh_from_db()
    assert (letter.status, letter.revoked_at, letter.revoked_by) == (LetterStatus.REVOKED, revoked_at, first)


def test_a_resend_after_a_mail_went_missing_still_sends(
    cop2, django_capture_on_commit_callbacks, smtp_server
):
    """Resends were numbered by counting the letter's mails: with one gone, the count named an
    existing trigger key, and the resend returned that old mail without sending anything."""
    (zambia,) = party_focal_points(["ZMB"])
    staff = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_request_invitation(meeting=cop2, focal_point=zambia)
    with django_capture_on_commit_callbacks(execute=True):
        letter_resend(letter=letter, by=staff)
    smtp_server.wait_for(2)
    OutgoingMail.objects.filter(trigger_key=f"letter:{letter.pk}:send:1").delete()
    with django_capture_on_commit_callbacks(execute=True):
        letter = letter_resend(letter=letter, by=staff)
    assert len(smtp_server.wait_for(3)) == 3
    letter = Letter.objects.select_related("mail").get(pk=letter.pk)
    assert (letter.mail.trigger_key, letter.delivery_status) == (
        f"letter:{letter.pk}:send:3",
        MailStatus.SENT,
    )
    assert [m.trigger_key for m in letter.mails] == [f"letter:{letter.pk}:send:{n}" for n in (2, 3)]


def test_the_delivery_is_the_mails_status_as_it_changes(cop2, django_capture_on_commit_callbacks):
    (zambia,) = party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        letter = letter_request_invitation(meeting=cop2, focal_point=zambia)
    assert letter.delivery_status is None
    with django_capture_on_commit_callbacks(execute=False):
        letter_render(letter_id=letter.pk)
    letter = Letter.objects.select_related("mail").get(pk=letter.pk)
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.QUEUED)
    OutgoingMail.objects.filter(pk=letter.mail_id).update(status=MailStatus.FAILED)
    letter = Letter.objects.select_related("mail").get(pk=letter.pk)
    assert (letter.status, letter.delivery_status) == (LetterStatus.RENDERED, MailStatus.FAILED)


def test_a_letter_the_broker_keeps_losing_keeps_ageing_in_the_backlog(
    cop2, django_capture_on_commit_callbacks, settings
):
    from django.utils import timezone

    from operations.selectors import backlog

    settings.OUTBOX_SWEEP_AFTER = 600
    party_focal_points(["ZMB"])
    with django_capture_on_commit_callbacks(execute=False):
        letter_batch_invite_parties(meeting=cop2)
    enqueued_at = timezone.now() - dt.timedelta(minutes=30)
    Letter.objects.update(enqueued_at=enqueued_at)
    with django_capture_on_commit_callbacks(execute=False):
        assert letters_sweep() == {"letters": 1}
        assert letters_sweep() == {"letters": 0}  # swept just now
    letter = Letter.objects.get()
    assert letter.enqueued_at == enqueued_at and letter.swept_at is not None
    assert backlog().oldest_age_seconds(timezone.now()) >= 30 * 60
