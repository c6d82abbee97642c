"""Seats at the events of a series of online events (webinars, "Minamata Online", online events
before a COP): an account and a seat, with no nomination and no accreditation. A registration is
confirmed at once (stored accredited, so the join link, "My registrations" and the attendance
import treat it as any accredited online participant) while seats remain, and refused with the
reason once they are taken. The join link goes out by e-mail as soon as it is recorded."""

from django.db import transaction
from django.utils.translation import gettext as _

from meetings.models import Meeting

from ..enums import RegistrationStatus
from ..errors import RegistrationError
from ..models import Registration
from ..selectors import seats_left
from .participation import online_details_queue
from .registration import registration_create


def seat_check(*, meeting: Meeting) -> None:
    """`meeting` is an event of a series with a seat left (one without a limit always has)."""
    if not meeting.takes_seats:
        raise RegistrationError(
            _("“%(meeting)s” is not an event of a series: register for it as for a meeting.")
            % {"meeting": meeting.title}
        )
    if seats_left(meeting) == 0:
        raise RegistrationError(
            _("All %(seats)s seats of “%(meeting)s” are taken: no more registrations can be accepted.")
            % {"seats": meeting.seats, "meeting": meeting.title}
        )


@transaction.atomic
def registration_take_seat(*, meeting: Meeting, user, by, **data) -> Registration:
    """Register `user` for the event `meeting` and confirm the seat at once; the checks of any
    registration apply (registration open, one per person, the State a Party where it says so,
    the meeting's scope, the participation mode). The event's row is locked while the seats are
    counted, so two people cannot take the last seat together. Queues the join link where the
    event (or a segment) has one recorded."""
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    seat_check(meeting=locked)
    registration = registration_create(
        meeting=locked, user=user, by=by, status=RegistrationStatus.ACCREDITED, **data
    )
    online_details_queue(registration=registration, by=by)
    return registration
