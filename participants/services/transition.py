"""The one function that changes a status in the participants app: lock the row, check the move
against its table (participants/enums.py), apply it with the fields that go with it, record who
did it (simple-history) and save."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from ..enums import (
    CREDENTIALS_TRANSITIONS,
    FUNDING_TRANSITIONS,
    OBSERVER_TRANSITIONS,
    REGISTRATION_REQUEST_TRANSITIONS,
    REGISTRATION_TRANSITIONS,
    VISA_TRANSITIONS,
)
from ..errors import CredentialsError, FundingError, ObserverError, RegistrationError, VisaError
from ..letters import letter_request
from ..models import (
    Credentials,
    FundingRequest,
    ObserverApplication,
    Registration,
    RegistrationRequest,
    VisaRequest,
)
from .notifications import status_change_notify

# Each model's table, and the error its refusals are raised as.
TABLES = {
    Registration: (REGISTRATION_TRANSITIONS, RegistrationError),
    RegistrationRequest: (REGISTRATION_REQUEST_TRANSITIONS, RegistrationError),
    ObserverApplication: (OBSERVER_TRANSITIONS, ObserverError),
    Credentials: (CREDENTIALS_TRANSITIONS, CredentialsError),
    VisaRequest: (VISA_TRANSITIONS, VisaError),
    FundingRequest: (FUNDING_TRANSITIONS, FundingError),
}


def locked(record):
    """The record's row, locked until the transaction ends (FOR UPDATE cannot reach the nullable
    joined rows, so only the record's own row)."""
    return type(record).objects.select_for_update(of=("self",)).get(pk=record.pk)


@transaction.atomic
def transition(record, action: str, *, by, changes: dict | None = None, reason: str = ""):
    """Move `record` by `action` (a move of its model's table). Returns the locked, saved row; `record` gets the new status too."""
    table, error = TABLES[type(record)]
    row = locked(record)
    try:
        target = table.check(row, action)
    except ValidationError as exc:
        raise error(exc.messages) from exc
    before = getattr(row, table.field)
    setattr(row, table.field, target)
    for field, value in (changes or {}).items():
        setattr(row, field, value)
    row._history_user = by
    row._change_reason = reason or str(table.status_enum(target).label)
    row.save()
    if before != target:
        # The delegate hears of the moves they care about (notifications.STATUS_EVENTS), by a
        # mail stored in this transaction and sent once it commits.
        status_change_notify(row, action, by=by)
    setattr(record, table.field, target)
    for field, value in (changes or {}).items():
        setattr(record, field, value)
    return row


def queue_letter(kind, registration, by):
    """The letters app renders and mails confirmation, visa and funding letters, after commit."""
    registration_id, by_id = registration.pk, getattr(by, "pk", None)

    def queue():
        user = get_user_model().objects.filter(pk=by_id).first()
        letter_request(kind=kind, registration=Registration.objects.get(pk=registration_id), by=user)

    transaction.on_commit(queue)
