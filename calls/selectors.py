"""Reads for calls: who a call is addressed to, who answered, what a focal point or an observer
may answer. Never writes."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import FocalPoint
from accounts.rules import focal_point_country_ids
from participants.enums import ObserverStatus
from participants.models import ObserverApplication, Organisation
from participants.selectors import organisations_admitted, organisations_represented_by
from reference.models import Country
from reference.selectors import parties_on

from .enums import AnswerStatus, Audience, CallStatus
from .models import Answer, AnswerFile, Call


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    language: str
    user_id: int | None = None
    focal_point_id: int | None = None


@dataclass
class Addressee:
    """A State (through its focal points) or an organisation (through its observer contacts)."""

    country: Country | None = None
    organisation: Organisation | None = None
    recipients: list[Recipient] = field(default_factory=list)
    answers: list = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"country:{self.country.pk}" if self.country else f"organisation:{self.organisation.pk}"

    @property
    def name(self) -> str:
        return self.country.name if self.country else self.organisation.name

    @property
    def has_answered(self) -> bool:
        return bool(self.answers)


@dataclass(frozen=True)
class Seat:
    """Whom one answer page speaks for: a call and a State or an organisation (the rules check it)."""

    call: Call
    country: Country | None = None
    organisation: Organisation | None = None

    @property
    def answerer(self):
        return self.country or self.organisation


def call_day(call: Call) -> dt.date:
    """The day a call's addressees are counted on: the day it was sent (today for a draft)."""
    return timezone.localdate(call.sent_at) if call.sent_at else timezone.localdate()


def call_party_countries(call: Call):
    """The States a call goes to: the States (and the EU) that were Parties on the day it was sent,
    or every State for a call to all States."""
    if not call.to_parties:
        return Country.objects.none()
    if call.audience == Audience.STATES:
        return Country.objects.order_by("name_en")
    return parties_on(call_day(call)).order_by("name_en")


def call_observer_organisations(call: Call):
    if not call.to_observers:
        return Organisation.objects.none()
    return organisations_admitted(meeting=call.meeting)


def call_is_addressed_to(call: Call, *, country: Country | None = None, organisation=None) -> bool:
    if country is not None:
        return call_party_countries(call).filter(pk=country.pk).exists()
    if organisation is not None:
        return call_observer_organisations(call).filter(pk=organisation.pk).exists()
    return False


def _organisation_recipients(organisations) -> dict[int, list[Recipient]]:
    """The observer contacts of each organisation: the people who made its admitted applications
    and the contact e-mails they gave, plus the organisation's own contact e-mail."""
    found: dict[int, dict[str, Recipient]] = {o.pk: {} for o in organisations}
    for organisation in organisations:
        if organisation.contact_email:
            email = organisation.contact_email.lower()
            found[organisation.pk][email] = Recipient(email=email, name=organisation.name, language="en")
    applications = (
        ObserverApplication.objects.filter(organisation__in=list(found), status=ObserverStatus.ADMITTED)
        .select_related("submitted_by")
        .order_by("pk")
    )
    for application in applications:
        user = application.submitted_by
        if user is not None and user.is_active:
            email = user.email.lower()
            found[application.organisation_id][email] = Recipient(
                email=email,
                name=user.get_full_name() or user.email,
                language=user.preferred_language,
                user_id=user.pk,
            )
        email = application.contact_email.lower()
        found[application.organisation_id].setdefault(
            email, Recipient(email=email, name=application.contact_name, language="en")
        )
    return {pk: list(by_email.values()) for pk, by_email in found.items()}


def call_addressees(call: Call) -> list[Addressee]:
    """Every addressee of the call with its recipients and its answers (a fixed number of queries):
    the Parties first, by name, then the organisations."""
    answers = list(
        Answer.objects.filter(call=call).prefetch_related(
            Prefetch("files", queryset=AnswerFile.objects.order_by("pk"))
        )
    )
    by_country: dict[int, list] = {}
    by_organisation: dict[int, list] = {}
    for answer in answers:
        if answer.country_id:
            by_country.setdefault(answer.country_id, []).append(answer)
        else:
            by_organisation.setdefault(answer.organisation_id, []).append(answer)
    countries = list(call_party_countries(call))
    focal_points: dict[int, list[Recipient]] = {}
    for focal_point in (
        FocalPoint.objects.filter(country__in=countries, active=True, user__is_active=True)
        .select_related("user")
        .order_by("pk")
    ):
        user = focal_point.user
        focal_points.setdefault(focal_point.country_id, []).append(
            Recipient(
                email=user.email,
                name=user.get_full_name() or user.email,
                language=user.preferred_language,
                user_id=user.pk,
                focal_point_id=focal_point.pk,
            )
        )
    addressees = [
        Addressee(country=c, recipients=focal_points.get(c.pk, []), answers=by_country.get(c.pk, []))
        for c in countries
    ]
    organisations = list(call_observer_organisations(call))
    contacts = _organisation_recipients(organisations)
    addressees += [
        Addressee(organisation=o, recipients=contacts.get(o.pk, []), answers=by_organisation.get(o.pk, []))
        for o in organisations
    ]
    return addressees


def call_is_open(call: Call, *, today: dt.date | None = None) -> bool:
    """Answers are taken until the end of the deadline (the portal's time zone), after it only if
    staff accept late answers; a call not sent yet takes none."""
    if call.status == CallStatus.DRAFT:
        return False
    today = today or timezone.localdate()
    return today <= call.deadline or call.accepts_late


def calls_for_user(user) -> list[tuple[Call, list[Seat]]]:
    """The calls sent to the States `user` is focal point for and the organisations they speak
    for, each with the seats they answer from."""
    countries = list(Country.objects.filter(pk__in=focal_point_country_ids(user)).order_by("name_en"))
    organisations = list(organisations_represented_by(user))
    if not countries and not organisations:
        return []
    country_ids = [c.pk for c in countries]
    organisation_ids = [o.pk for o in organisations]
    # Which of the user's States and organisations each call is addressed to, asked once per
    # distinct sending day (or once for calls to all States) and once per meeting, not once per
    # call and seat: the page costs the same with one call or fifty.
    states_by_day: dict = {}
    organisations_by_meeting: dict = {}
    found = []
    for call in (
        Call.objects.exclude(status=CallStatus.DRAFT).select_related("meeting").order_by("-deadline", "pk")
    ):
        seats = []
        if country_ids and call.to_parties:
            key = "all" if call.audience == Audience.STATES else call_day(call)
            if key not in states_by_day:
                states_by_day[key] = set(
                    call_party_countries(call).filter(pk__in=country_ids).values_list("pk", flat=True)
                )
            seats += [Seat(call=call, country=c) for c in countries if c.pk in states_by_day[key]]
        if organisation_ids and call.to_observers:
            if call.meeting_id not in organisations_by_meeting:
                organisations_by_meeting[call.meeting_id] = set(
                    call_observer_organisations(call)
                    .filter(pk__in=organisation_ids)
                    .values_list("pk", flat=True)
                )
            addressed = organisations_by_meeting[call.meeting_id]
            seats += [Seat(call=call, organisation=o) for o in organisations if o.pk in addressed]
        if seats:
            found.append((call, seats))
    return found


def seat_answers(seat: Seat) -> list[Answer]:
    answers = Answer.objects.filter(call=seat.call).prefetch_related("files")
    if seat.country is not None:
        answers = answers.filter(country=seat.country)
    else:
        answers = answers.filter(organisation=seat.organisation)
    return list(answers.order_by("submitted_at", "pk"))


def call_accepted_answers(call: Call) -> list[Answer]:
    """The answers a compilation holds: accepted ones, Parties first by name, then organisations."""
    answers = (
        Answer.objects.filter(call=call, status=AnswerStatus.ACCEPTED)
        .select_related("country", "organisation")
        .prefetch_related("files")
    )
    return sorted(
        answers,
        key=lambda a: (
            a.country_id is None,
            (a.country.name if a.country_id else a.organisation.name),
            a.submitted_at,
        ),
    )


def call_detail(*, pk: int) -> Call:
    return Call.objects.select_related("meeting", "compilation").get(pk=pk)


def seat_for_country(*, pk: int, code: str) -> Seat:
    return Seat(call=call_detail(pk=pk), country=Country.objects.get(iso3=code.upper()))


def seat_for_organisation(*, pk: int, organisation: int) -> Seat:
    return Seat(call=call_detail(pk=pk), organisation=Organisation.objects.get(pk=organisation))


def answer_detail(*, pk: int) -> Answer:
    return Answer.objects.select_related("call", "country", "organisation").get(pk=pk)


def answer_file_detail(*, pk: int) -> AnswerFile:
    return AnswerFile.objects.select_related("answer").get(pk=pk)
