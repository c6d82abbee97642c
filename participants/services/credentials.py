"""Credentials of the Parties' representatives, as received, and the Bureau's verdict on them."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..enums import CredentialsIssuer, CredentialsVerdict
from ..errors import CredentialsError
from ..models import Credentials
from .transition import transition

# The verdict asked for, and the move of CREDENTIALS_TRANSITIONS that sets it.
VERDICT_ACTIONS = {
    CredentialsVerdict.IN_ORDER: "mark_in_order",
    CredentialsVerdict.NOT_IN_ORDER: "mark_not_in_order",
    CredentialsVerdict.PENDING: "mark_pending",
}


def credentials_check(*, meeting, country, delegates=()) -> None:
    """What credentials must satisfy, wherever they are recorded (this service, the admin form):
    a Party on the meeting's opening day, covering only its own delegates at that meeting."""
    if not country.is_party_on(meeting.start_date):
        raise CredentialsError(
            {"country": _("%(state)s is not a Party: no credentials are examined.") % {"state": country.name}}
        )
    wrong = [d for d in delegates if d.meeting_id != meeting.pk or d.country_id != country.pk]
    if wrong:
        raise CredentialsError(
            {"delegates": _("Credentials can only cover delegates of that Party at this meeting.")}
        )


@transaction.atomic
def credentials_record(
    *, meeting, country, form, issuer, received_at, by, delegates=(), issuer_other="", notes=""
) -> Credentials:
    credentials_check(meeting=meeting, country=country, delegates=delegates)
    credentials = Credentials.objects.filter(meeting=meeting, country=country).first() or Credentials(
        meeting=meeting, country=country
    )
    credentials.form, credentials.issuer, credentials.received_at = form, issuer, received_at
    credentials.issuer_other = issuer_other if issuer == CredentialsIssuer.OTHER else ""
    credentials.notes, credentials.recorded_by = notes, by
    credentials._history_user = by
    credentials.save()
    credentials.delegates.set(delegates)
    return credentials


@transaction.atomic
def credentials_decide(*, credentials, verdict, by) -> Credentials:
    action = VERDICT_ACTIONS.get(verdict)
    if action is None:
        raise CredentialsError({"verdict": _("Unknown verdict.")})
    return transition(credentials, action, by=by)
