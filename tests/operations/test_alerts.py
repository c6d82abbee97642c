"""The operators hear, by e-mail through the outbox and once, about a mail or letter that failed for
good and a backlog that stayed over its threshold."""

import datetime as dt

import pytest
from django.utils import timezone

from letters.enums import LetterKind, LetterStatus
from letters.models import Letter
from letters.services.issuing import LetterSpec, letters_request
from operations.models import OperatorAlert
from operations.tasks import operators_alert
from outbox.enums import MailStatus
from outbox.models import OutgoingMail
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(django_capture_on_commit_callbacks):
    """Run the beat task; mails are queued after commit, so the callbacks run here (the test's
    transaction never commits)."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return operators_alert.delay().get()

    return run


@pytest.fixture(autouse=True)
def operators(settings):
    settings.OPERATORS = ["ops@secretariat.example", "it@secretariat.example"]
    return settings.OPERATORS


def test_a_mail_failed_for_good_is_told_to_every_operator_once_without_the_recipient(mailoutbox, alert):
    failed = OutgoingMail.objects.create(
        to="delegate@example.org", subject="Your registration, Ms Example", body_text="b",
        status=MailStatus.FAILED, last_error="550 5.1.1 mailbox unavailable",
    )  # fmt: skip
    OutgoingMail.objects.create(to="x@example.org", subject="fine", body_text="b", status=MailStatus.QUEUED)
    assert alert() == 1
    assert sorted(m.to[0] for m in mailoutbox) == ["it@secretariat.example", "ops@secretariat.example"]
    body = mailoutbox[0].body
    assert f"e-mail #{failed.pk}: 550 5.1.1 mailbox unavailable" in body
    assert "delegate@example.org" not in body and "Ms Example" not in body
    assert mailoutbox[0].subject == "[Minamata COP Portal] 1 problem needs an operator"
    mailoutbox.clear()
    assert alert() == 0  # told once
    assert mailoutbox == []


def test_a_letter_that_cannot_be_rendered_is_told(mailoutbox, alert):
    (letter,) = letters_request(
        meeting=MeetingFactory(), kind=LetterKind.INVITATION,
        specs=[LetterSpec(trigger_key="t", recipient_name="P", recipient_email="p@example.org")],
    )  # fmt: skip
    Letter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, last_error="no font")
    mailoutbox.clear()
    assert alert() == 1
    assert f"{letter.reference}: no font" in mailoutbox[0].body


def test_the_operators_own_failed_mail_is_not_told_again(mailoutbox, alert):
    OutgoingMail.objects.create(
        to="delegate@example.org", subject="s", body_text="b", status=MailStatus.FAILED
    )
    operators_alert.delay()
    OutgoingMail.objects.filter(trigger_key__startswith="operations:").update(status=MailStatus.FAILED)
    mailoutbox.clear()
    assert alert() == 0
    assert mailoutbox == []


def test_a_backlog_is_told_once_it_stayed_over_the_threshold_and_again_next_episode(
    settings, mailoutbox, alert
):
    settings.OPERATIONS_BACKLOG_MAX = 1
    settings.OPERATIONS_BACKLOG_ALERT_AFTER = 600
    for _ in range(2):
        OutgoingMail.objects.create(to="x@example.org", subject="s", body_text="b", status=MailStatus.QUEUED)
    assert alert() == 0  # over, but not for long yet
    watch = OperatorAlert.objects.get(key="backlog:watch")
    OperatorAlert.objects.filter(pk=watch.pk).update(created=timezone.now() - dt.timedelta(seconds=601))
    assert alert() == 1
    assert "2 e-mails and 0 letters waiting (at most 1)" in mailoutbox[0].body
    assert alert() == 0  # same episode
    OutgoingMail.objects.update(status=MailStatus.SENT, sent_at=timezone.now())
    assert alert() == 0
    assert not OperatorAlert.objects.filter(key="backlog:watch").exists()  # episode over


def test_a_mail_and_a_letter_created_long_ago_that_fail_today_are_told(mailoutbox, alert):
    """Recent is by the time of the failure (the last attempt's claim), not the creation: a mail
    created a week ago that fails today after its retries, and a letter retried today that fails
    again, are told; a failure of last week is not told again today."""
    week_ago = timezone.now() - dt.timedelta(days=7)
    late = OutgoingMail.objects.create(
        to="x@example.org", subject="s", body_text="b", status=MailStatus.FAILED, last_error="550 late"
    )
    OutgoingMail.objects.filter(pk=late.pk).update(
        created=week_ago, queued_at=week_ago, claimed_at=timezone.now() - dt.timedelta(minutes=5)
    )
    old = OutgoingMail.objects.create(
        to="y@example.org", subject="s", body_text="b", status=MailStatus.FAILED, last_error="550 old"
    )
    OutgoingMail.objects.filter(pk=old.pk).update(created=week_ago, queued_at=week_ago, claimed_at=week_ago)
    (letter,) = letters_request(
        meeting=MeetingFactory(), kind=LetterKind.INVITATION,
        specs=[LetterSpec(trigger_key="late", recipient_name="P", recipient_email="p@example.org")],
    )  # fmt: skip
    Letter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.FAILED, last_error="no font", created=week_ago,
        enqueued_at=timezone.now() - dt.timedelta(minutes=3), render_claimed_at=timezone.now(),
    )  # fmt: skip
    mailoutbox.clear()
    assert alert() == 2
    body = mailoutbox[0].body
    assert f"e-mail #{late.pk}: 550 late" in body and f"{letter.reference}: no font" in body
    assert "550 old" not in body


def test_a_mail_retried_by_staff_that_fails_again_is_told_again(mailoutbox, alert):
    failed = OutgoingMail.objects.create(
        to="x@example.org",
        subject="s",
        body_text="b",
        status=MailStatus.FAILED,
        last_error="550 first",
    )
    OutgoingMail.objects.filter(pk=failed.pk).update(
        created=timezone.now() - dt.timedelta(hours=3), claimed_at=timezone.now() - dt.timedelta(hours=2)
    )
    assert alert() == 1
    # Staff retry it; it fails again an hour later: a new failure, told again, once.
    OutgoingMail.objects.filter(pk=failed.pk).update(
        last_error="550 again", claimed_at=timezone.now() - dt.timedelta(hours=1)
    )
    mailoutbox.clear()
    assert alert() == 1
    assert f"e-mail #{failed.pk}: 550 again" in mailoutbox[0].body
    mailoutbox.clear()
    assert alert() == 0
    assert OperatorAlert.objects.filter(key__startswith=f"mail:{failed.pk}:").count() == 2
