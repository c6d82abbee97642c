"""Reads of the participants app. List selectors fetch their relations up front so a page runs
a fixed number of queries whatever the number of rows."""

import datetime as dt
import math
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.enums import MeetingStatus
from meetings.models import Meeting
from reference.enums import RegionalGroup
from reference.models import ConventionParty, Country

from .enums import (
    ACCREDITED_STATUSES,
    BADGE_HOLDER_STATUSES,
    FUNDED_STATUSES,
    Capacity,
    CredentialsForm,
    CredentialsVerdict,
    FundingStatus,
    Gender,
    ObserverStatus,
    RegistrationRequestStatus,
    RegistrationStatus,
)
from .models import (
    Attendance,
    Credentials,
    DsaRate,
    FundingRequest,
    MeetingParticipationSettings,
    NominationLetter,
    ObserverApplication,
    Organisation,
    Registration,
    RegistrationRequest,
    VisaRequest,
)

# --- Meeting rules -----------------------------------------------------------------------------------


def meeting_settings(meeting) -> MeetingParticipationSettings:
    """The meeting's participation settings, or the defaults if none were saved (never writes:
    `services.funding.meeting_settings_get_or_create` creates the row the funding approvals lock)."""
    found = getattr(meeting, "_participation_settings", None)
    if found is None:
        found = MeetingParticipationSettings.objects.filter(meeting=meeting).first()
        if found is None:
            found = MeetingParticipationSettings(meeting=meeting)
        meeting._participation_settings = found
    return found


def registration_is_open(meeting, *, now=None) -> bool:
    now = now or timezone.now()
    if meeting.status != MeetingStatus.REGISTRATION_OPEN:
        return False
    if meeting.registration_opens and now < meeting.registration_opens:
        return False
    return not (meeting.registration_closes and now >= meeting.registration_closes)


def meetings_open_for_registration() -> list:
    return [
        m for m in Meeting.objects.filter(status=MeetingStatus.REGISTRATION_OPEN) if registration_is_open(m)
    ]


def organisation_by_name(*, name: str) -> Organisation | None:
    """The organisation on file under `name`, in any letter case, or None."""
    return Organisation.objects.filter(name__iexact=" ".join(name.split())).first()


def organisation_is_admitted(*, organisation, meeting) -> bool:
    """Admitted for this meeting, or at any earlier meeting (no need to apply again)."""
    if organisation is None:
        return False
    return ObserverApplication.objects.filter(
        organisation=organisation, status=ObserverStatus.ADMITTED, meeting__start_date__lte=meeting.start_date
    ).exists()


def credentials_deadline(meeting):
    """Credentials are due, by the usual rule, 24 hours (configurable) after the opening."""
    opening = dt.datetime.combine(meeting.start_date, dt.time(10, 0), tzinfo=meeting.tz)
    return opening + dt.timedelta(hours=meeting_settings(meeting).credentials_deadline_hours)


# --- Funding -----------------------------------------------------------------------------------------

DEFAULT_ELIGIBLE = ("developing", "ldc", "sids", "eit")


def funding_eligibility(*, registration) -> tuple[bool, int]:
    """Whether the represented State is eligible on the meeting's dates, and its priority
    (1 = least developed country when the meeting gives LDCs priority, 2 = SIDS, 3 = others)."""
    if registration.capacity != Capacity.PARTY or registration.country is None:
        return False, 9
    rules = meeting_settings(registration.meeting)
    eligible = set(rules.eligible_classifications or DEFAULT_ELIGIBLE)
    held = registration.country.classifications_on(registration.meeting.start_date)
    if not held & eligible:
        return False, 9
    if rules.ldc_priority and "ldc" in held:
        return True, 1
    if "sids" in held:
        return True, 2
    return True, 3


def funding_ranked(*, meeting) -> QuerySet[FundingRequest]:
    return (
        FundingRequest.objects.filter(
            registration__meeting=meeting, status__in=[FundingStatus.REQUESTED, FundingStatus.WAITING]
        )
        .select_related("registration__country")
        .order_by("priority", "created", "pk")
    )


def dsa_rate_for(*, country, location: str, day):
    return (
        DsaRate.objects.filter(country=country, location__iexact=location, valid_from__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


# --- Registrations -----------------------------------------------------------------------------------


def registration_by_pk(*, pk) -> Registration:
    """One registration, with what its pages show (Registration.DoesNotExist when there is none)."""
    return Registration.objects.select_related("meeting", "country", "organisation").get(pk=pk)


def state_by_iso3(*, iso3, **_url) -> Country:
    """The State a focal point's page is about, by its ISO alpha-3 code in any letter case."""
    return Country.objects.get(iso3=iso3.upper())


def nomination_letter_by_pk(*, pk) -> NominationLetter:
    return NominationLetter.objects.get(pk=pk)


def visa_request_of_meeting(*, code, pk) -> VisaRequest:
    return VisaRequest.objects.get(pk=pk, registration__meeting__code=code)


def my_registrations(*, user) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(user=user)
        .select_related("meeting", "country", "organisation")
        .prefetch_related("letters")
        .order_by("-meeting__start_date")
    )


def is_registered(*, meeting, user) -> bool:
    return Registration.objects.filter(meeting=meeting, user=user).exists()


def state_registrations(*, meeting, country) -> QuerySet[Registration]:
    """What a focal point sees: every registration of their State for the meeting."""
    return (
        Registration.objects.filter(meeting=meeting, country=country)
        .select_related("user", "nomination_letter", "country")
        .order_by("last_name", "first_name")
    )


def registration_counts_by_status(*, meeting) -> list[tuple[str, int]]:
    """(label, count) for every status, in the enum's order, for the registration desk."""
    counts = dict(
        Registration.objects.filter(meeting=meeting).values_list("status").annotate(n=Count("id")).order_by()
    )
    return [(label, counts.get(value, 0)) for value, label in RegistrationStatus.choices]


def focal_point_meetings() -> QuerySet[Meeting]:
    """The meetings a focal point still acts for: open, closed for registration, or in session."""
    return Meeting.objects.filter(
        status__in=[
            MeetingStatus.REGISTRATION_OPEN,
            MeetingStatus.REGISTRATION_CLOSED,
            MeetingStatus.IN_SESSION,
        ]
    )


def registration_request_by_pk(*, pk, **_url) -> RegistrationRequest:
    return RegistrationRequest.objects.select_related("meeting", "country", "created_by").get(pk=pk)


def pending_registration_requests(*, user) -> QuerySet[RegistrationRequest]:
    """The focal points' requests `user` has not answered yet ("My registrations")."""
    return RegistrationRequest.objects.filter(
        user=user, status=RegistrationRequestStatus.PENDING
    ).select_related("meeting", "country", "created_by")


def state_registration_requests(*, meeting, country) -> QuerySet[RegistrationRequest]:
    """The State's requests not accepted (an accepted one is a registration on the same page)."""
    return (
        RegistrationRequest.objects.filter(meeting=meeting, country=country)
        .exclude(status=RegistrationRequestStatus.ACCEPTED)
        .select_related("user")
        .order_by("-created")
    )


def state_nomination_letters(*, meeting, country) -> QuerySet[NominationLetter]:
    return NominationLetter.objects.filter(meeting=meeting, country=country)


def meeting_visa_requests(*, meeting):
    return (
        VisaRequest.objects.filter(registration__meeting=meeting)
        .select_related("registration__country", "registration__organisation", "passport_country")
        .order_by("registration__last_name")
    )


def badge_holders(*, meeting) -> list[Registration]:
    """The participants whose badge has been issued, in the order the badges are printed."""
    return list(
        Registration.objects.filter(meeting=meeting, status__in=BADGE_HOLDER_STATUSES)
        .select_related("country", "organisation")
        .order_by("last_name", "first_name")
    )


ORDER_OF_GROUPS = [
    ("parties", Capacity.PARTY),
    ("non_party", Capacity.NON_PARTY_STATE),
    ("un", (Capacity.UN_BODY, Capacity.SPECIALISED_AGENCY, Capacity.SECRETARIAT)),
    ("igo", Capacity.IGO),
    ("ngo", (Capacity.NGO, Capacity.MEDIA)),
]


def accredited_participants(*, meeting) -> QuerySet[Registration]:
    return Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES).select_related(
        "country", "organisation"
    )


def list_of_participants(*, meeting, language: str = "en") -> list[dict]:
    """The official list: Parties (alphabetical by State name in `language`), then non-party
    States, UN bodies and agencies, IGOs, NGOs. Each group holds (heading, people)."""
    name_field = f"name_{language}" if language in ("en", "fr", "es") else "name_en"
    people = list(accredited_participants(meeting=meeting).order_by("last_name", "first_name"))
    groups = []
    with translation.override(language):
        headings = {
            "parties": _("Parties"),
            "non_party": _("States not parties to the Convention"),
            "un": _("United Nations bodies and specialised agencies"),
            "igo": _("Intergovernmental organisations"),
            "ngo": _("Non-governmental organisations"),
        }
        for key, capacities in ORDER_OF_GROUPS:
            capacities = capacities if isinstance(capacities, tuple) else (capacities,)
            members = [p for p in people if p.capacity in capacities]
            if not members:
                continue
            blocks = {}
            for person in members:
                if person.country_id:
                    label = getattr(person.country, name_field) or person.country.name_en
                else:
                    label = person.organisation.name if person.organisation_id else _("Secretariat")
                blocks.setdefault(label, []).append(person)
            # Head of delegation first, then alternates, then the rest by name.
            order = {"head": 0, "alternate": 1, "adviser": 2}
            sorted_blocks = [
                (label, sorted(blocks[label], key=lambda p: (order.get(p.delegation_role, 3), p.last_name)))
                for label in sorted(blocks, key=_collate)
            ]
            groups.append({"key": key, "heading": headings[key], "blocks": sorted_blocks})
    return groups


def _collate(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def parties_on(day) -> QuerySet[Country]:
    return Country.objects.filter(party_records__entry_into_force__lte=day).distinct()


def credentials_report(*, meeting, now=None) -> dict:
    """Per participating Party (a Party with an accredited delegate or credentials received):
    its credentials, whether late, and the report's three groups for the Bureau."""
    now = now or timezone.now()
    deadline = credentials_deadline(meeting)
    received = {
        c.country_id: c
        for c in Credentials.objects.filter(meeting=meeting)
        .select_related("country")
        .prefetch_related("delegates")
    }
    party_ids = set(parties_on(meeting.start_date).values_list("pk", flat=True))
    participating = set(
        Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES, country_id__in=party_ids)
        .values_list("country_id", flat=True)
        .distinct()
    ) | set(received)
    countries = {c.pk: c for c in Country.objects.filter(pk__in=participating)}
    rows = []
    for country_id, country in countries.items():
        creds = received.get(country_id)
        late = (creds.received_at > deadline) if creds else now > deadline
        rows.append({"country": country, "credentials": creds, "late": late})
    rows.sort(key=lambda r: _collate(r["country"].name))
    in_order = [r for r in rows if r["credentials"] and r["credentials"].verdict == CredentialsVerdict.IN_ORDER
                and r["credentials"].form == CredentialsForm.ORIGINAL]  # fmt: skip
    copies = [r for r in rows if r["credentials"] and r["credentials"].form == CredentialsForm.COPY
              and r["credentials"].verdict != CredentialsVerdict.NOT_IN_ORDER]  # fmt: skip
    not_in_order = [
        r for r in rows if r["credentials"] and r["credentials"].verdict == CredentialsVerdict.NOT_IN_ORDER
    ]
    pending = [r for r in rows if r["credentials"] and r["credentials"].verdict == CredentialsVerdict.PENDING
               and r["credentials"].form == CredentialsForm.ORIGINAL]  # fmt: skip
    none = [r for r in rows if not r["credentials"]]
    return {
        "deadline": deadline, "rows": rows, "in_order": in_order, "copies": copies, "pending": pending,
        "not_in_order": not_in_order, "none": none, "late": [r for r in rows if r["late"]],
    }  # fmt: skip


def funding_overview(*, meeting) -> dict:
    """Funded participation per region and per fund or donor: requests, approved, and costs
    (tickets and DSA) summed per currency, never mixed across currencies."""
    requests = list(
        FundingRequest.objects.filter(registration__meeting=meeting).select_related("registration__country")
    )

    def empty():
        return {
            "requests": 0,
            "funded": 0,
            "waiting_list": 0,
            "tickets": defaultdict(Decimal),
            "dsa": defaultdict(Decimal),
        }

    by_region, by_donor = defaultdict(empty), defaultdict(empty)
    for funding in requests:
        country = funding.registration.country
        region = RegionalGroup(country.regional_group).label if country else "—"
        for bucket in (by_region[str(region)], by_donor[funding.donor or "—"]):
            bucket["requests"] += 1
            bucket["waiting_list"] += funding.status == FundingStatus.WAITING
            if funding.status in FUNDED_STATUSES:
                bucket["funded"] += 1
                if funding.ticket_cost is not None:
                    bucket["tickets"][funding.ticket_currency] += funding.ticket_cost
                if funding.dsa_amount is not None:
                    bucket["dsa"][funding.dsa_currency] += funding.dsa_amount

    def rows(groups):
        return [
            {"label": label, **{k: v for k, v in data.items() if k not in ("tickets", "dsa")},
             "tickets": dict(sorted(data["tickets"].items())), "dsa": dict(sorted(data["dsa"].items()))}
            for label, data in sorted(groups.items())
        ]  # fmt: skip

    return {"by_region": rows(by_region), "by_donor": rows(by_donor), "total": len(requests)}


def meeting_statistics(*, meeting) -> dict:
    """Registrations and attendance by status, region, capacity, gender and funding; Parties
    present per day (credentials in order and a delegate checked in that day) against the Parties
    to the Convention and the meeting's quorum."""
    base = Registration.objects.filter(meeting=meeting)
    attendees = base.filter(
        pk__in=Attendance.objects.filter(registration__meeting=meeting).values("registration_id")
    )

    def counted(qs, field, choices):
        found = dict(qs.values_list(field).annotate(n=Count("id")).order_by())
        return [(str(label), found.get(value, 0)) for value, label in choices]

    def breakdowns(qs) -> dict:
        by_region = Counter()
        for group, n in qs.values_list("country__regional_group").annotate(n=Count("id")).order_by():
            by_region[str(RegionalGroup(group).label) if group else str(_("Organisations"))] += n
        gender = counted(qs, "gender", Gender.choices)
        gender.append((str(_("Not given")), qs.filter(gender="").count()))
        funded = qs.filter(funding__status__in=FUNDED_STATUSES).count()
        return {
            "by_region": sorted(by_region.items()),
            "by_capacity": counted(qs, "capacity", Capacity.choices),
            "by_gender": gender,
            "funding": [(str(_("Funded")), funded), (str(_("Not funded")), qs.count() - funded)],
        }

    accredited = base.filter(status__in=ACCREDITED_STATUSES).count()

    # The European Union is a Party too (a regional economic integration organisation).
    parties_total = ConventionParty.objects.filter(entry_into_force__lte=meeting.start_date).count()
    fraction = meeting_settings(meeting).quorum_fraction
    quorum = math.ceil(parties_total * fraction)
    accepted = set(
        Credentials.objects.filter(meeting=meeting, verdict=CredentialsVerdict.IN_ORDER).values_list(
            "country_id", flat=True
        )
    )
    days = []
    attendance = (
        Attendance.objects.filter(registration__meeting=meeting)
        .values_list("day", "registration__country_id", "registration__capacity")
        .order_by("day")
    )
    per_day: dict = {}
    for day, country_id, capacity in attendance:
        entry = per_day.setdefault(day, {"people": 0, "parties": set()})
        entry["people"] += 1
        if capacity == Capacity.PARTY and country_id in accepted:
            entry["parties"].add(country_id)
    for day, entry in sorted(per_day.items()):
        present = len(entry["parties"])
        days.append(
            {
                "day": day,
                "people": entry["people"],
                "parties_present": present,
                "quorum_met": present >= quorum,
            }
        )
    return {
        "total": base.count(),
        "accredited_count": accredited,
        "by_status": counted(base, "status", RegistrationStatus.choices),
        **breakdowns(base),
        "present": attendees.count(),
        "attended": breakdowns(attendees),
        "parties_total": parties_total,
        "quorum": quorum,
        "quorum_fraction": fraction,
        "days": days,
    }
