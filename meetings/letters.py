"""Invitation letters to a meeting: meetings builds each letter's details (the Parties' focal
points on the opening day, or an observer organisation) and hands them to letters
(`letters_request`, `letter_batch_create`), which never imports meetings. Also registers the
bulk send of invitations (letters.bulk)."""

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import FocalPoint
from letters.bulk import BulkSend, bulk_send_register
from letters.enums import LetterKind
from letters.models import Letter, LetterBatch
from letters.services.issuing import LetterSpec, language_for, letter_batch_create, letters_request
from reference.selectors import parties_on

from .models import Meeting
from .selectors import meeting_scope, participant_information_link
from .services.scope import scope_check


def focal_point_invitation_spec(meeting: Meeting, focal_point: FocalPoint) -> LetterSpec:
    user = focal_point.user
    language = language_for(user.preferred_language)
    with translation.override(language):
        address = "\n".join([str(focal_point.get_kind_display()), focal_point.country.name])
        country_name = focal_point.country.name
    name = " ".join(p for p in (user.title, user.get_full_name()) if p) or user.email
    return LetterSpec(
        trigger_key=f"invitation:{meeting.pk}:focal-point:{focal_point.pk}",
        recipient_name=name,
        recipient_email=user.email,
        language=language,
        recipient_address=address,
        recipient_user=user,
        focal_point=focal_point,
        # Printed by the letter: where the information for participants is (venue, visas, travel).
        details={"country_name": country_name, "information_url": participant_information_link(meeting)},
    )


def letter_request_invitation(*, meeting: Meeting, focal_point=None, organisation=None, by=None) -> Letter:
    """One invitation letter, to a State's focal point (accounts.FocalPoint) or to an observer
    organisation (any object or dict with name, email, and optionally address, language, pk).
    A focal point of a State outside the meeting's scope is refused (ValidationError)."""
    if (focal_point is None) == (organisation is None):
        raise ValueError("Give either a focal point or an organisation.")
    if focal_point is not None:
        # A State outside the meeting's scope is not invited (observers are not limited by it).
        scope_check(meeting, focal_point.country, field="focal_point")
        spec = focal_point_invitation_spec(meeting, focal_point)
    else:
        get = (
            organisation.get
            if isinstance(organisation, dict)
            else lambda k, d="": getattr(organisation, k, d)
        )
        key = get("pk", "") or get("email")
        spec = LetterSpec(
            trigger_key=f"invitation:{meeting.pk}:organisation:{key}",
            recipient_name=get("name"),
            recipient_email=get("email"),
            recipient_address=get("address", ""),
            language=language_for(get("language", "en")),
            details={"information_url": participant_information_link(meeting)},
        )
    return letters_request(meeting=meeting, kind=LetterKind.INVITATION, specs=[spec], by=by)[0]


def party_focal_points(meeting: Meeting):
    """The active focal points of the States that are Parties on the meeting's opening day (a
    Party whose date is unknown included: the table says it is a Party), within the meeting's
    scope where it is limited (the Lusaka consultation: the African States only)."""
    focal_points = FocalPoint.objects.filter(
        active=True, country__in=parties_on(meeting.start_date).values("pk")
    )
    scope = meeting_scope(meeting)
    if scope.is_limited:
        focal_points = focal_points.filter(country__in=scope.countries().values("pk"))
    return focal_points.select_related("user", "country").order_by("country__name_en", "pk")


def letter_batch_invite_parties(*, meeting: Meeting, by=None) -> LetterBatch | None:
    """Staff's bulk send: an invitation to every Party's focal point for the meeting. Running it
    again creates letters only for focal points added since (None if there are none): nobody
    gets a second invitation."""
    specs = [focal_point_invitation_spec(meeting, fp) for fp in party_focal_points(meeting)]
    description = f"Invitations to the Parties' focal points – {meeting.code}"
    scope = meeting_scope(meeting)
    if scope.is_limited:
        with translation.override("en"):
            description += f" (scope: {scope.describe()})"
    return letter_batch_create(
        meeting=meeting, kind=LetterKind.INVITATION, specs=specs, description=description, by=by
    )


bulk_send_register(
    BulkSend(
        key="invitations",
        order=1,
        send=letter_batch_invite_parties,
        title=_("Send invitation letters to all Parties' focal points"),
        intro=_(
            "Every active focal point of a State that is a Party to the Convention on the meeting's "
            "opening day, and within the meeting's scope where it is limited to regions or States, "
            "gets one invitation letter, in their language. Focal points who already have one are "
            "skipped, so sending twice sends nothing twice."
        ),
        submit=_("Send invitation letters"),
        nothing_new=_("Every Party's focal point already has an invitation for %s: nothing new to send."),
        queued=_("Invitation letters queued: %(n)d."),
    )
)
