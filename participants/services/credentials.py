"""Credentials of the Parties' representatives, as received, and the Bureau's verdict on them.

Rule 18 of the rules of procedure: credentials are issued by the Head of State or Government or by
the Minister for Foreign Affairs (or by a person one of them authorised, which is recorded), or for
a regional economic integration organisation by its competent authority. Only
such originals are "in order"; a copy informs of the appointment, and an original from another
authority is "not in due form", as the credentials reports group them."""

from django.db import transaction
from django.utils.translation import gettext as _

from reference.enums import CountryKind

from ..enums import (
    AUTHORISING_ISSUERS,
    DUE_FORM_ISSUERS,
    CredentialsForm,
    CredentialsIssuer,
    CredentialsVerdict,
)
from ..errors import CredentialsError
from ..models import Credentials
from .transition import locked, transition

# The verdict asked for, and the move of CREDENTIALS_TRANSITIONS that sets it.
VERDICT_ACTIONS = {
    CredentialsVerdict.IN_ORDER: "mark_in_order",
    CredentialsVerdict.COPY: "mark_copy",
    CredentialsVerdict.NOT_IN_DUE_FORM: "mark_not_in_due_form",
    CredentialsVerdict.NOT_IN_ORDER: "mark_not_in_order",
    CredentialsVerdict.PENDING: "mark_pending",
}


def credentials_check(
    *, meeting, country, delegates=(), issuer=None, authorised_by="", authorisation=""
) -> None:
    """What credentials must satisfy, wherever they are recorded (this service, the admin form):
    a Party on the meeting's opening day, covering only its own delegates at that meeting; issued
    by an authorised person only with who authorised them and the authorisation recorded."""
    if not country.is_party_on(meeting.start_date):
        raise CredentialsError(
            {"country": _("%(state)s is not a Party: no credentials are examined.") % {"state": country.name}}
        )
    wrong = [d for d in delegates if d.meeting_id != meeting.pk or d.country_id != country.pk]
    if wrong:
        raise CredentialsError(
            {"delegates": _("Credentials can only cover delegates of that Party at this meeting.")}
        )
    if issuer == CredentialsIssuer.REIO_AUTHORITY and country.kind != CountryKind.REIO:
        raise CredentialsError(
            {"issuer": _("%(state)s is a State, not a regional economic integration organisation: its credentials "
                         "come from the Head of State or Government or the Minister for Foreign Affairs.")
             % {"state": country.name}}
        )  # fmt: skip
    if issuer == CredentialsIssuer.AUTHORISED:
        errors = {}
        if authorised_by not in AUTHORISING_ISSUERS:
            errors["authorised_by"] = _(
                "Say who authorised the issuer: the Head of State or Government or the Minister for "
                "Foreign Affairs."
            )
        if not (authorisation or "").strip():
            errors["authorisation"] = _(
                "Record the authorisation (who signed it, the instrument and its date)."
            )
        if errors:
            raise CredentialsError(errors)


def credentials_in_due_form_check(credentials: Credentials) -> None:
    """Why these credentials cannot be "in order", if they cannot: a copy, or issued by another
    authority than those rule 18 names."""
    if credentials.form != CredentialsForm.ORIGINAL:
        raise CredentialsError(
            {"verdict": _("%(state)s sent a copy only: record it as a copy, not as credentials in order.")
             % {"state": credentials.country.name}}
        )  # fmt: skip
    if credentials.issuer not in DUE_FORM_ISSUERS:
        raise CredentialsError(
            {"verdict": _("The credentials of %(state)s were not issued by the Head of State or Government, the "
                          "Minister for Foreign Affairs or a person authorised by one of them: they are not in "
                          "due form.") % {"state": credentials.country.name}}
        )  # fmt: skip


def _verdict_after_change(credentials: Credentials) -> str:
    """A verdict "in order" that the corrected record no longer supports falls to what it now is."""
    if credentials.verdict != CredentialsVerdict.IN_ORDER:
        return credentials.verdict
    if credentials.form != CredentialsForm.ORIGINAL:
        return CredentialsVerdict.COPY
    if credentials.issuer not in DUE_FORM_ISSUERS:
        return CredentialsVerdict.NOT_IN_DUE_FORM
    return credentials.verdict


@transaction.atomic
def credentials_record(
    *, meeting, country, form, issuer, received_at, by, delegates=(), issuer_other="", notes="",
    authorised_by="", authorisation="",
) -> Credentials:  # fmt: skip
    credentials_check(
        meeting=meeting, country=country, delegates=delegates, issuer=issuer, authorised_by=authorised_by,
        authorisation=authorisation,
    )  # fmt: skip
    credentials = Credentials.objects.filter(meeting=meeting, country=country).first() or Credentials(
        meeting=meeting, country=country
    )
    credentials.form, credentials.issuer, credentials.received_at = form, issuer, received_at
    credentials.issuer_other = issuer_other if issuer == CredentialsIssuer.OTHER else ""
    authorised = issuer == CredentialsIssuer.AUTHORISED
    credentials.authorised_by = authorised_by if authorised else ""
    credentials.authorisation = authorisation.strip() if authorised else ""
    credentials.notes, credentials.recorded_by = notes, by
    credentials.verdict = _verdict_after_change(credentials)
    credentials._history_user = by
    credentials.save()
    credentials.delegates.set(delegates)
    return credentials


@transaction.atomic
def credentials_decide(*, credentials, verdict, by) -> Credentials:
    action = VERDICT_ACTIONS.get(verdict)
    if action is None:
        raise CredentialsError({"verdict": _("Unknown verdict.")})
    if verdict == CredentialsVerdict.IN_ORDER:
        credentials_in_due_form_check(locked(credentials))  # locked: the record cannot change meanwhile
    return transition(credentials, action, by=by)
