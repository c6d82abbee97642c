from .enums import PENDING_STATUSES
from .models import OutgoingMail


def mails_in_flight_count() -> int:
    """Mails a worker or the sweeper has yet to settle."""
    return OutgoingMail.objects.filter(status__in=PENDING_STATUSES).count()
