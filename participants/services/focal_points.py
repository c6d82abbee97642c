"""Focal points: the secretariat's personal invitation, its acceptance, the delegates a focal
point pre-registers for their State, and the nomination letters they upload."""

import datetime as dt

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import FocalPoint
from accounts.services import focal_point_role_grant
from minamata_portal.uploads import FileKind, check_upload
from outbox.services import mail_queue

from ..enums import Capacity
from ..errors import FocalPointError, RegistrationError
from ..models import FocalPointInvitation, NominationLetter, Registration
from .registration import person_for_email, registration_create

INVITATION_SALT = "participants.focal-point-invitation"


def focal_point_invitation_token(invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT)


def focal_point_invite(
    *, country, email: str, by, kind: str = "nfp", language: str = "en"
) -> FocalPointInvitation:
    invitation = FocalPointInvitation.objects.create(
        country=country, email=email.lower(), kind=kind, created_by=by
    )
    link = settings.SITE_URL.rstrip("/") + reverse(
        "participants:focal_point_accept", kwargs={"token": focal_point_invitation_token(invitation)}
    )
    mail_queue(
        to=invitation.email,
        template_prefix="participants/email/focal_point_invitation",
        context={
            "country": country.name_en,
            "link": link,
            "days": getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14),
        },
        language=language,
        trigger_key=f"focal-point-invitation:{invitation.pk}",
        by=by,
    )
    return invitation


@transaction.atomic
def focal_point_invitation_accept(*, token: str, user) -> FocalPoint:
    try:
        pk = signing.loads(
            token,
            salt=INVITATION_SALT,
            max_age=dt.timedelta(days=getattr(settings, "FOCAL_POINT_INVITATION_DAYS", 14)),
        )
    except signing.SignatureExpired as exc:
        raise FocalPointError(_("This invitation has expired: ask the secretariat for a new one.")) from exc
    except signing.BadSignature as exc:
        raise FocalPointError(_("This invitation link is not valid.")) from exc
    invitation = (
        FocalPointInvitation.objects.select_for_update().select_related("country").filter(pk=pk).first()
    )
    if invitation is None:
        raise FocalPointError(_("This invitation link is not valid."))
    # Personal: only the invited address may use it, and only once.
    if invitation.email.lower() != user.email.lower():
        raise FocalPointError(_("This invitation was sent to another e-mail address."))
    if invitation.accepted_at and invitation.accepted_by_id != user.pk:
        raise FocalPointError(_("This invitation has already been used."))
    focal_point, _created = FocalPoint.objects.get_or_create(
        user=user, country=invitation.country, defaults={"kind": invitation.kind}
    )
    if not focal_point.active:
        focal_point.active = True
        focal_point.save(update_fields=["active"])
    focal_point_role_grant(user=user)
    invitation.accepted_by, invitation.accepted_at = user, timezone.now()
    invitation.save(update_fields=["accepted_by", "accepted_at"])
    return focal_point


def focal_point_pre_register(
    *, meeting, country, by, email: str, check_window: bool = True, **data
) -> Registration:
    """A focal point registers a delegate of their State on the delegate's behalf."""
    user = person_for_email(
        email=email, first_name=data.get("first_name", ""), last_name=data.get("last_name", "")
    )
    capacity = Capacity.PARTY if country.is_party_on(meeting.start_date) else Capacity.NON_PARTY_STATE
    return registration_create(
        meeting=meeting,
        user=user,
        by=by,
        capacity=capacity,
        country=country,
        email=email.strip().lower(),
        check_window=check_window,
        **data,
    )


def nomination_letter_check(uploaded) -> None:
    """A PDF that opens, within the upload limit: `check_upload` judges the bytes, not the name,
    and says why it refuses; a Word document it accepts is refused here, a letter must be a PDF."""
    try:
        kind = check_upload(uploaded, field="letter")
    except ValidationError as exc:
        raise RegistrationError(exc.message_dict) from exc
    if kind != FileKind.PDF:
        raise RegistrationError({"letter": _("The letter must be a PDF file, not a Word document.")})


def nomination_letter_upload(*, meeting, country, uploaded, by) -> NominationLetter:
    nomination_letter_check(uploaded)
    letter = NominationLetter(
        meeting=meeting, country=country, original_name=(uploaded.name or "letter.pdf")[-200:],
        size=uploaded.size, uploaded_by=by,
    )  # fmt: skip
    letter.file.save("letter.pdf", uploaded, save=False)
    letter.save()
    return letter
