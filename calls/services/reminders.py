"""Reminders to the addressees who have not answered yet: sent now by staff, or on the days staff
set (the hourly beat task `calls.tasks.reminders_send_due`). Each reminder goes out once."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.services import mail_queue

from ..enums import CallStatus
from ..models import Call, Reminder
from ..selectors import call_addressees


@transaction.atomic
def reminder_schedule(*, call: Call, send_on: dt.date, by) -> Reminder:
    """A reminder on `send_on` (today or later, before or on the deadline)."""
    if call.status == CallStatus.COMPILED:
        raise ValidationError(_("The answers to this call have been compiled: there is nobody to remind."))
    if send_on < timezone.localdate():
        raise ValidationError({"send_on": _("A reminder cannot be sent in the past.")})
    if send_on > call.deadline and not call.accepts_late:
        raise ValidationError(
            {"send_on": _("A reminder after the deadline would ask for answers the call refuses.")}
        )
    if Reminder.objects.filter(call=call, send_on=send_on, sent_at__isnull=True).exists():
        raise ValidationError({"send_on": _("A reminder is already set for that day.")})
    reminder = Reminder(call=call, send_on=send_on, created_by=by)
    reminder._history_user = by
    reminder.save()
    return reminder


@transaction.atomic
def reminder_send(*, reminder: Reminder, by=None) -> int:
    """Send `reminder` to the focal points and contacts of the addressees with no answer yet;
    returns how many were written to. A reminder already sent (or claimed by another process) is
    not sent again; one of a call not sent yet or already compiled is left unsent."""
    claimed = Reminder.objects.filter(
        pk=reminder.pk, sent_at__isnull=True, call__status=CallStatus.SENT
    ).update(sent_at=timezone.now())
    if claimed != 1:
        return 0
    reminder = Reminder.objects.select_related("call", "call__meeting").get(pk=reminder.pk)
    call = reminder.call
    count = 0
    for addressee in call_addressees(call):
        if addressee.has_answered:
            continue
        for recipient in addressee.recipients:
            mail_queue(
                to=recipient.email,
                template_prefix="calls/email/reminder",
                context={
                    "call": call,
                    "name": recipient.name,
                    "answerer": addressee.name,
                    "link": settings.SITE_URL.rstrip("/") + reverse("calls:mine"),
                },
                language=recipient.language,
                trigger_key=f"call:{call.pk}:reminder:{reminder.pk}:{addressee.key}:{recipient.email}",
                by=by,
            )
            count += 1
    reminder.recipients = count
    reminder._history_user = by
    reminder._change_reason = _("Sent")
    reminder.save(update_fields=["recipients"])
    return count


@transaction.atomic
def reminder_send_now(*, call: Call, by) -> Reminder:
    """Staff's "remind those who have not answered" button: a reminder dated today, sent now."""
    if call.status != CallStatus.SENT:
        raise ValidationError(_("Only a call that was sent and not compiled yet can be reminded of."))
    reminder = Reminder(call=call, send_on=timezone.localdate(), created_by=by)
    reminder._history_user = by
    reminder.save()
    reminder_send(reminder=reminder, by=by)
    reminder.refresh_from_db()
    return reminder


def reminders_send_due(*, today: dt.date | None = None) -> int:
    """The reminders due today or earlier and not sent yet; returns how many mails were queued.
    Each reminder is its own transaction, so one that fails leaves the others sent."""
    today = today or timezone.localdate()
    total = 0
    for pk in Reminder.objects.filter(
        send_on__lte=today, sent_at__isnull=True, call__status=CallStatus.SENT
    ).values_list("pk", flat=True):
        total += reminder_send(reminder=Reminder(pk=pk))
    return total
