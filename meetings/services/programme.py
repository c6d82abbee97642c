"""The programme: sessions in rooms, and the slots offered to side events."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Session, SideEventSlot, room_taken_message, session_room_clash


def session_save(*, session: Session, by=None) -> Session:
    """Validate and save a programme session. The database's exclusion constraint is the last
    word on double bookings (two officers saving at once); its refusal is turned into the same
    message the check gives."""
    session.full_clean()
    session._history_user = by
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError as error:
        if "session_room_not_double_booked" not in str(error):
            raise
        clash = session_room_clash(session)
        message = room_taken_message(clash) if clash else _("This room is already booked at that time.")
        raise ValidationError({"room": message}, code="room_taken") from error
    return session


@transaction.atomic
def session_delete(*, session: Session, by=None) -> None:
    session._history_user = by
    session.delete()


@transaction.atomic
def side_event_slot_save(*, slot: SideEventSlot, by=None) -> SideEventSlot:
    slot.full_clean()
    slot.save()
    return slot


@transaction.atomic
def side_event_slot_delete(*, slot: SideEventSlot, by=None) -> None:
    slot.delete()
