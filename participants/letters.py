"""The letters a registration calls for (confirmation, visa, funding): participants builds each
letter's details from its registration and hands them to letters (`letters_request`,
`letter_batch_create`), which never imports participants. Also registers the bulk send of
confirmations (letters.bulk) and holds the registrations' admin action that sends them."""

from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from letters.bulk import BulkSend, bulk_send_register
from letters.enums import LetterKind
from letters.models import Letter, LetterBatch
from letters.providers import render_details_register
from letters.rendering import format_date
from letters.services.issuing import (
    LetterActionError,
    LetterSpec,
    language_for,
    letter_batch_create,
    letters_request,
)
from meetings.selectors import participant_information_link

from .enums import ACCREDITED_STATUSES
from .models import Registration, VisaRequest

REGISTRATION_KINDS = (LetterKind.CONFIRMATION, LetterKind.VISA, LetterKind.FUNDING)


def _money(amount, currency) -> str:
    return f"{currency} {amount:,.2f}".strip() if amount is not None else ""


def registration_letter_spec(kind: str, registration: Registration) -> LetterSpec:
    """What a letter needs from a registration, as issued. The passport number is not copied
    here (it is encrypted at rest): the renderer reads it from the visa request."""
    user = registration.user
    # The language the delegate chose for this registration's correspondence (registration form),
    # not the account's nor the language of the staff member who sends the letter.
    language = language_for(registration.correspondence_language)
    name = " ".join(p for p in (registration.title, registration.full_name) if p)
    with translation.override(language):
        represented = registration.country or registration.organisation
        delegation = str(getattr(represented, "name", represented or ""))
    address = "\n".join(
        line
        for line in (
            registration.function,
            registration.department,
            *registration.address.splitlines(),
            delegation,
        )
        if line and line.strip()
    )
    details = {"participant_name": registration.full_name, "delegation": delegation}
    if kind == LetterKind.CONFIRMATION:
        # Printed by the letter: where the information for participants is (venue, visas, travel).
        details["information_url"] = participant_information_link(registration.meeting)
    if kind == LetterKind.VISA:
        visa = getattr(registration, "visa_request", None)
        if visa is not None:
            details["embassy"] = visa.embassy
            if visa.passport_country_id:
                with translation.override(language):
                    details["nationality"] = visa.passport_country.name
            if visa.passport_expires:
                details["passport_expiry"] = format_date(visa.passport_expires, language)
    if kind == LetterKind.FUNDING:
        funding = getattr(registration, "funding", None)
        if funding is not None:
            ticket = " – ".join(p for p in (funding.itinerary, funding.get_travel_class_display()) if p)
            if ticket:
                details["ticket"] = ticket
            if funding.dsa_nights:
                details["dsa_days"] = str(funding.dsa_nights)
            if funding.dsa_amount is not None:
                details["dsa_rate"] = _money(funding.dsa_amount, funding.dsa_currency)
            if funding.terminal_expenses:
                details["terminal"] = _money(funding.terminal_expenses, funding.dsa_currency or "USD")
    return LetterSpec(
        trigger_key=f"{kind}:registration:{registration.pk}",
        recipient_name=name or registration.email,
        recipient_email=registration.email,
        recipient_address=address,
        language=language,
        recipient_user=user,
        registration=registration,
        details=details,
    )


def visa_letter_passports(letters) -> dict[int, dict]:
    """A visa letter prints the passport number of its registration's visa request: read when
    the letter is rendered, never stored with it (it is encrypted at rest). One query for a
    chunk of visa letters; the others are never decrypted."""
    requests = {
        visa.registration_id: visa
        for visa in VisaRequest.objects.filter(
            registration_id__in={letter.registration_id for letter in letters if letter.registration_id}
        )
    }
    found = {}
    for letter in letters:
        visa = requests.get(letter.registration_id)
        if visa is not None and visa.passport_number:
            found[letter.pk] = {"passport_number": visa.passport_number}
    return found


render_details_register(LetterKind.VISA, visa_letter_passports)


def letter_request(*, kind: str, registration: Registration, by=None) -> Letter:
    """The letter a registration's status change calls for (confirmation when accredited, visa
    when a visa request is approved, funding when funding is granted); rendered and sent after
    the transaction commits. Asking again for the same registration and kind returns the same
    letter."""
    if kind not in REGISTRATION_KINDS:
        raise ValueError(f"letter_request does not make {kind} letters")
    spec = registration_letter_spec(kind, registration)
    return letters_request(meeting=registration.meeting, kind=kind, specs=[spec], by=by)[0]


def letter_batch_for_registrations(*, kind: str, registrations, by=None) -> LetterBatch | None:
    """Staff's bulk send to registrations of one meeting. Registrations that already have this
    letter are skipped; None when all have it."""
    registrations = list(registrations)
    if not registrations:
        return None
    meeting = registrations[0].meeting
    if any(r.meeting_id != meeting.pk for r in registrations):
        raise LetterActionError(_("Select registrations of one meeting at a time."))
    specs = [registration_letter_spec(kind, r) for r in registrations]
    description = f"{LetterKind(kind).label} – {meeting.code}"
    return letter_batch_create(meeting=meeting, kind=kind, specs=specs, description=description, by=by)


def letter_batch_confirm_selected(*, registrations, by=None) -> tuple[LetterBatch | None, int]:
    """Staff's action on chosen registrations: a confirmation letter to each that is accredited
    and has none yet. Returns the batch (None when nobody is new) and how many chosen
    registrations were not accredited, hence skipped: a confirmation confirms an accreditation."""
    chosen = registrations.select_related("meeting", "user", "country", "organisation")
    accredited = [registration for registration in chosen if registration.status in ACCREDITED_STATUSES]
    batch = letter_batch_for_registrations(kind=LetterKind.CONFIRMATION, registrations=accredited, by=by)
    return batch, len(chosen) - len(accredited)


def letter_batch_confirm_accredited(*, meeting, by=None) -> LetterBatch | None:
    """Staff's bulk send: a confirmation letter to every accredited participant of the meeting
    who has none yet (None when there is nobody new)."""
    registrations = (
        Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES)
        .select_related("meeting", "user", "country", "organisation")
        .order_by("last_name", "first_name", "pk")
    )
    return letter_batch_for_registrations(kind=LetterKind.CONFIRMATION, registrations=registrations, by=by)


bulk_send_register(
    BulkSend(
        key="confirmations",
        order=2,
        send=letter_batch_confirm_accredited,
        title=_("Send confirmation letters to all accredited participants"),
        intro=_(
            "Every participant of the meeting who is accredited (or already has a badge) gets a "
            "confirmation letter in their language. Those who already have one are skipped."
        ),
        submit=_("Send confirmation letters"),
        nothing_new=_("Every accredited participant of %s already has a confirmation letter."),
        queued=_("Confirmation letters queued: %(n)d."),
    )
)


@admin.action(
    description=_("Send confirmation letters to the selected registrations"), permissions=["send_letters"]
)
def send_confirmation_letters(modeladmin, request, queryset):
    """For the registrations' admin: a bulk send of confirmation letters to the selected ones.
    Offered only to who holds the rule `letters.send_letters` (the admin's
    `has_send_letters_permission`): whoever may look at registrations may not thereby send letters."""
    try:
        batch, skipped = letter_batch_confirm_selected(registrations=queryset, by=request.user)
    except LetterActionError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return None
    if skipped:
        modeladmin.message_user(
            request,
            ngettext(
                "%d selected registration is not accredited: no confirmation letter.",
                "%d selected registrations are not accredited: no confirmation letter.",
                skipped,
            )
            % skipped,
            messages.WARNING,
        )
    if batch is None:
        modeladmin.message_user(
            request, _("Every selected registration already has its letter."), messages.WARNING
        )
        return None
    modeladmin.message_user(request, _("Confirmation letters queued: %d.") % batch.letters.count())
    return HttpResponseRedirect(reverse("admin:letters_letterbatch_change", args=[batch.pk]))
