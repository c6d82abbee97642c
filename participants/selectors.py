"""Reads of the participants app. List selectors fetch their relations up front so a page runs
a fixed number of queries whatever the number of rows."""

import datetime as dt
import math
import unicodedata
from collections import Counter, defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db.models import CharField, Count, F, Q, QuerySet, Value
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.enums import MeetingKind, MeetingMode, MeetingStatus
from meetings.models import Meeting
from meetings.selectors import meeting_scope, meeting_scope_refused, with_scope
from reference.enums import PartyStanding, RegionalGroup
from reference.models import Country
from reference.selectors import parties_count_on, parties_on, party_standing, party_standings

from .enums import (
    ACCREDITED_STATUSES,
    BADGE_HOLDER_STATUSES,
    DUE_FORM_ISSUERS,
    FUNDED_STATUSES,
    INACTIVE_STATUSES,
    STATE_CAPACITIES,
    Capacity,
    CredentialsForm,
    CredentialsVerdict,
    DelegationRole,
    FundingPolicy,
    FundingStatus,
    Gender,
    ObserverStatus,
    ParticipationMode,
    RegistrationRequestStatus,
    RegistrationStatus,
    VisaStatus,
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
    """Whether delegates may register for `meeting` at `now` (this instant by default): its status
    is "registration open" and `now` is within the window. Both ends are instants: registration
    is open from `registration_opens` (that instant included) until `registration_closes`
    (excluded: at that instant it is closed); a missing end leaves that side open."""
    now = now or timezone.now()
    if meeting.status != MeetingStatus.REGISTRATION_OPEN:
        return False
    if meeting.registration_opens and now < meeting.registration_opens:
        return False
    return not (meeting.registration_closes and now >= meeting.registration_closes)


def seats_taken(meeting) -> int:
    """The seats of an event of a series taken: its registrations still taking part."""
    return Registration.objects.filter(meeting=meeting).exclude(status__in=INACTIVE_STATUSES).count()


def seats_left(meeting) -> int | None:
    """The seats of an event of a series still free (never below 0), or None where the event
    has no limit."""
    if meeting.seats is None:
        return None
    return max(meeting.seats - seats_taken(meeting), 0)


def meetings_open_for_registration() -> list:
    return [
        m for m in Meeting.objects.filter(status=MeetingStatus.REGISTRATION_OPEN) if registration_is_open(m)
    ]


def organisation_by_name(*, name: str) -> Organisation | None:
    """The organisation on file under `name`, in any letter case, or None."""
    return Organisation.objects.filter(name__iexact=" ".join(name.split())).first()


# Admission as an observer at a COP holds for the later COPs and the bodies under the COP (rule 7
# of the rules of procedure: admitted once, no need to apply again). An admission to another kind
# of meeting (a webinar, a workshop) holds for that meeting only.
COP_FAMILY_KINDS = (MeetingKind.COP, MeetingKind.EXPERT_GROUP, MeetingKind.COMPLIANCE_COMMITTEE)


def _in_cop_family(meeting) -> bool:
    if meeting.kind in COP_FAMILY_KINDS:
        return True
    return meeting.parent_id is not None and meeting.parent.kind == MeetingKind.COP


def organisation_is_admitted(*, organisation, meeting) -> bool:
    """Admitted for this meeting (or the meeting it is a segment of); or, for a COP, one of its
    segments or a body under it, admitted at a COP that opened no later. Attending a webinar, or an
    admission to a meeting of another kind, is no admission elsewhere."""
    if organisation is None:
        return False
    admitted = ObserverApplication.objects.filter(organisation=organisation, status=ObserverStatus.ADMITTED)
    this_meeting = Q(meeting=meeting) | (
        Q(meeting_id=meeting.parent_id) if meeting.parent_id else Q(pk__in=[])
    )
    if not _in_cop_family(meeting):
        return admitted.filter(this_meeting).exists()
    at_a_cop = Q(meeting__kind=MeetingKind.COP, meeting__start_date__lte=meeting.start_date)
    return admitted.filter(this_meeting | at_a_cop).exists()


def organisations_admitted(*, meeting):
    """Every organisation `organisation_is_admitted` answers yes for, in one query: the observers
    a call for `meeting` is addressed to."""
    this_meeting = Q(meeting=meeting) | (
        Q(meeting_id=meeting.parent_id) if meeting.parent_id else Q(pk__in=[])
    )
    if _in_cop_family(meeting):
        this_meeting |= Q(meeting__kind=MeetingKind.COP, meeting__start_date__lte=meeting.start_date)
    admitted = ObserverApplication.objects.filter(this_meeting, status=ObserverStatus.ADMITTED)
    return Organisation.objects.filter(pk__in=admitted.values("organisation_id")).order_by("name")


def organisations_represented_by(user):
    """The organisations `user` speaks for as an observer: those whose admitted application they
    made, or which names their (verified, sign-in) e-mail as its contact."""
    if user is None or not user.is_authenticated:
        return Organisation.objects.none()
    admitted = ObserverApplication.objects.filter(status=ObserverStatus.ADMITTED).filter(
        Q(submitted_by=user) | Q(contact_email__iexact=user.email)
    )
    return Organisation.objects.filter(pk__in=admitted.values("organisation_id")).order_by("name")


def credentials_deadline(meeting):
    """Credentials are due, by the usual rule, 24 hours (configurable) after the opening (10:00 in
    the venue's time on the first day). The deadline is included: credentials received at that
    instant are on time, later ones late (`credentials_report`)."""
    opening = dt.datetime.combine(meeting.start_date, dt.time(10, 0), tzinfo=meeting.tz)
    return opening + dt.timedelta(hours=meeting_settings(meeting).credentials_deadline_hours)


# --- Funding -----------------------------------------------------------------------------------------

DEFAULT_ELIGIBLE = ("developing", "ldc", "sids", "eit")


class FundingEligibility(NamedTuple):
    """Whether a registration may be funded, its rank (1 = least developed country when the
    meeting gives LDCs priority, 2 = SIDS, 3 = others, 9 = not eligible) and, when it may not,
    the real reason, fit to record as the decline note."""

    eligible: bool
    priority: int
    reason: str = ""


def funding_eligibility(*, registration) -> FundingEligibility:
    """Funding follows the meeting's rules: its scope, who it funds (Parties only, or eligible
    non-Parties too: `funding_policy`), and the State's classifications on the meeting's dates."""
    meeting, country = registration.meeting, registration.country
    if registration.capacity not in STATE_CAPACITIES or country is None:
        return FundingEligibility(False, 9, _("Not eligible: only the delegates of States are funded."))
    refused = meeting_scope_refused(meeting, country)
    if refused:
        return FundingEligibility(False, 9, _("Not eligible: %(reason)s.") % {"reason": refused.rstrip(".")})
    rules = meeting_settings(meeting)
    if rules.funding_policy == FundingPolicy.PARTIES_ONLY:
        standing = party_standing(country, meeting.start_date)
        if standing == PartyStanding.PARTY_DATE_UNKNOWN:
            return FundingEligibility(False, 9, _(
                "Not eligible: this meeting funds Parties only, and the date on which %(state)s became a Party "
                "is not known, so it cannot be said that it was a Party on the meeting's dates."
            ) % {"state": country.name})  # fmt: skip
        if standing != PartyStanding.PARTY or registration.capacity != Capacity.PARTY:
            return FundingEligibility(False, 9, _(
                "Not eligible: %(state)s is not a Party to the Convention on the meeting's dates, and this "
                "meeting funds Parties only."
            ) % {"state": country.name})  # fmt: skip
    eligible = set(rules.eligible_classifications or DEFAULT_ELIGIBLE)
    held = country.classifications_on(meeting.start_date)
    if not held & eligible:
        return FundingEligibility(False, 9, _(
            "Not eligible: %(state)s is not in an eligible category on the meeting's dates."
        ) % {"state": country.name})  # fmt: skip
    if rules.ldc_priority and "ldc" in held:
        return FundingEligibility(True, 1)
    if "sids" in held:
        return FundingEligibility(True, 2)
    return FundingEligibility(True, 3)


def funding_ranked(*, meeting) -> QuerySet[FundingRequest]:
    return (
        FundingRequest.objects.filter(
            registration__meeting=meeting, status__in=[FundingStatus.REQUESTED, FundingStatus.WAITING]
        )
        .select_related("registration__country")
        .order_by("priority", "created", "pk")
    )


def dsa_rate_for(*, country, location: str, day):
    """The DSA rate of `location` (any letter case) valid on `day`, both ends of its validity
    included (`valid_from` and `valid_until`); the latest to start when several are."""
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


def registration_meeting_is_over(registration) -> bool:
    """The registration's meeting has ended (the day after its last day, in the portal's time)."""
    return registration.meeting.end_date < timezone.localdate()


def registration_status_history(*, registrations) -> dict[int, list[dict]]:
    """Per registration, each status its registration, visa request and funding request reached,
    with its date, oldest first ({"date", "label"}): what "My registrations" shows. One query
    for any number of registrations, from the history simple-history keeps of each."""
    ids = [registration.pk for registration in registrations]
    if not ids:
        return {}
    columns = ("owner", "kind", "status", "history_date", "history_id")

    def rows(model, owner, kind):
        return (
            model.history.filter(**{f"{owner}__in": ids})
            .annotate(owner=F(owner), kind=Value(kind, output_field=CharField()))
            .values_list(*columns)
            # No ORDER BY inside a UNION (SQLite refuses it; the history's default ordering
            # would add one): the rows are sorted below.
            .order_by()
        )

    found = rows(Registration, "id", "registration").union(
        rows(VisaRequest, "registration_id", "visa"),
        rows(FundingRequest, "registration_id", "funding"),
        all=True,
    )
    labels = {
        "registration": lambda status: RegistrationStatus(status).label,
        "visa": lambda status: _("Visa support letter: %(status)s") % {"status": VisaStatus(status).label},
        "funding": lambda status: _("Funding: %(status)s") % {"status": FundingStatus(status).label},
    }
    history, last = defaultdict(list), {}
    for owner, kind, status, date, _history_id in sorted(found, key=lambda row: (row[3], row[4])):
        if last.get((owner, kind)) == status:
            continue  # a change of something else (an address, a note): not a step
        last[(owner, kind)] = status
        history[owner].append({"date": date, "label": labels[kind](status)})
    return dict(history)


def registration_details_last_entered(*, user, fields) -> dict:
    """`fields` as the person's latest registration (any meeting) holds them, leaving out those
    left empty: what their next registration's form starts from. Their own only, by `user`."""
    latest = Registration.objects.filter(user=user).order_by("-created", "-pk").values(*fields).first()
    return {name: value for name, value in (latest or {}).items() if value not in ("", None)}


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


def delegations_without_head(*, meeting) -> list[Country]:
    """The States with accredited delegates but no accredited head of delegation: a delegation has
    exactly one head (the registration desk and the credentials report flag the others)."""
    accredited = Registration.objects.filter(
        meeting=meeting, status__in=ACCREDITED_STATUSES, capacity__in=STATE_CAPACITIES
    )
    headed = accredited.filter(delegation_role=DelegationRole.HEAD).values("country_id")
    return list(
        Country.objects.filter(pk__in=accredited.values("country_id"))
        .exclude(pk__in=headed)
        .order_by("name_en")
    )


def focal_point_meetings_by_state(*, countries) -> list[tuple[Country, list[Meeting]]]:
    """For each State a focal point acts for, the meetings it acts for that the State may take part
    in: a meeting limited to other regions or States (a regional consultation) is left out. A fixed
    number of queries whatever the number of meetings."""
    meetings = list(with_scope(focal_point_meetings().select_related("parent")))
    scopes = [(meeting, meeting_scope(meeting)) for meeting in meetings]
    return [(country, [m for m, scope in scopes if scope.includes(country)]) for country in countries]


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
    # reference.selectors: a Party whose date is unknown counts too (the table says it is one).
    party_ids = set(parties_on(meeting.start_date).values_list("pk", flat=True))
    participating = set(
        Registration.objects.filter(meeting=meeting, status__in=ACCREDITED_STATUSES, country_id__in=party_ids)
        .values_list("country_id", flat=True)
        .distinct()
    ) | set(received)
    countries = {c.pk: c for c in Country.objects.filter(pk__in=participating)}
    # A delegation has exactly one head: the report names them, and flags a delegation without one.
    head_rows = Registration.objects.filter(
        meeting=meeting, country_id__in=participating, status__in=ACCREDITED_STATUSES,
        delegation_role=DelegationRole.HEAD,
    )  # fmt: skip
    heads = {r.country_id: r for r in head_rows}
    rows = []
    for country_id, country in countries.items():
        creds = received.get(country_id)
        late = (creds.received_at > deadline) if creds else now > deadline
        rows.append({"country": country, "credentials": creds, "late": late, "head": heads.get(country_id)})
    rows.sort(key=lambda r: _collate(r["country"].name))

    def grouped(row) -> str:
        """The report's group, as credentials reports have them: in order (originals in due form), copies
        (information on the appointment), not in due form (another authority), not in order, pending."""
        c = row["credentials"]
        if c is None:
            return "none"
        if c.verdict == CredentialsVerdict.COPY or (
            c.verdict == CredentialsVerdict.PENDING and c.form == CredentialsForm.COPY
        ):
            return "copies"
        if c.verdict == CredentialsVerdict.PENDING and c.issuer not in DUE_FORM_ISSUERS:
            return CredentialsVerdict.NOT_IN_DUE_FORM
        return c.verdict

    groups = defaultdict(list)
    for row in rows:
        groups[grouped(row)].append(row)
    return {
        "deadline": deadline, "rows": rows, "late": [r for r in rows if r["late"]],
        "in_order": groups[CredentialsVerdict.IN_ORDER], "copies": groups["copies"],
        "not_in_due_form": groups[CredentialsVerdict.NOT_IN_DUE_FORM], "pending": groups[CredentialsVerdict.PENDING],
        "not_in_order": groups[CredentialsVerdict.NOT_IN_ORDER], "none": groups["none"],
        "without_head": [r for r in rows if r["head"] is None],
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
    present per day against the Parties to the Convention and the meeting's quorum. A Party is
    present on a day when at least one accredited member of its delegation, whose credentials are
    in order, attended that day in person or online (`parties_present_by_day`)."""
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

    # The European Union is a Party too (a regional economic integration organisation); a Party
    # whose date is unknown counts (the table says it is one) and is named in a footnote.
    parties = parties_count_on(meeting.start_date)
    parties_total = parties.total
    fraction = meeting_settings(meeting).quorum_fraction
    quorum = math.ceil(parties_total * fraction)
    days = [{**entry, "quorum_met": entry["parties_present"] >= quorum} for entry in parties_present_by_day(
        meeting=meeting)]  # fmt: skip
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
        "parties_date_unknown": parties.date_unknown,
        "by_mode": counted(
            base.filter(status__in=ACCREDITED_STATUSES), "participation_mode", ParticipationMode.choices
        ),
        "days": days,
    }


def parties_present_by_day(*, meeting) -> list[dict]:
    """Per day with attendance: participants present (in person, online), and the Parties present
    in person, online and in all (a Party present both ways counts once in the total). A Party
    counts when one of its delegates attended who is accredited, represents it as a Party that day
    and whose State's credentials are in order. Queries: two, plus one per day (who is a Party)."""
    accepted = set(
        Credentials.objects.filter(meeting=meeting, verdict=CredentialsVerdict.IN_ORDER).values_list(
            "country_id", flat=True
        )
    )
    rows = (
        Attendance.objects.filter(registration__meeting=meeting)
        .values_list("day", "mode", "registration__country_id", "registration__capacity",
                     "registration__status")
        .order_by("day")
    )  # fmt: skip
    per_day: dict = {}
    for day, mode, country_id, capacity, status in rows:
        entry = per_day.setdefault(
            day, {"people": 0, "people_in_person": 0, "people_online": 0, "in_person": set(), "online": set()}
        )
        online = mode == ParticipationMode.ONLINE
        entry["people"] += 1
        entry["people_online" if online else "people_in_person"] += 1
        if capacity == Capacity.PARTY and status in ACCREDITED_STATUSES and country_id in accepted:
            entry["online" if online else "in_person"].add(country_id)
    days = []
    for day, entry in sorted(per_day.items()):
        standings = party_standings(day)
        in_person = {c for c in entry["in_person"] if standings[c] != PartyStanding.NOT_PARTY}
        online = {c for c in entry["online"] if standings[c] != PartyStanding.NOT_PARTY}
        days.append(
            {
                "day": day, "people": entry["people"], "people_in_person": entry["people_in_person"],
                "people_online": entry["people_online"], "parties_in_person": len(in_person),
                "parties_online": len(online), "parties_present": len(in_person | online),
            }
        )  # fmt: skip
    return days


# --- Participation in person and online -----------------------------------------------------------

_MODES_OFFERED = {
    MeetingMode.IN_PERSON: (ParticipationMode.IN_PERSON,),
    MeetingMode.ONLINE: (ParticipationMode.ONLINE,),
    MeetingMode.HYBRID: (ParticipationMode.IN_PERSON, ParticipationMode.ONLINE),
}


def participation_modes(meeting) -> tuple[str, ...]:
    """How one may take part in `meeting`, from its mode and its segments': in person only (an
    in-person meeting), online only (an online meeting), or either (hybrid, or a meeting with an
    online or hybrid segment). In the order in person, online."""
    modes = {meeting.mode}
    if meeting.pk:
        modes.update(Meeting.objects.filter(parent=meeting).values_list("mode", flat=True))
    offered = {m for mode in modes for m in _MODES_OFFERED.get(mode, ())}
    return tuple(m for m in ParticipationMode.values if m in offered) or (ParticipationMode.IN_PERSON,)


def online_connections(*, registration) -> list[dict]:
    """The join links and connection details for an accredited online participant: the meeting's
    and those of its online or hybrid segments that have any. Empty for anyone else, so a page or a
    mail that shows this never shows it to a participant not accredited, or attending in person."""
    return online_connections_of([registration]).get(registration.pk, [])


def online_connections_of(registrations) -> dict[int, list[dict]]:
    """`online_connections` for many registrations (with their meetings loaded), in one query:
    {registration id: connections}, only for the accredited online ones."""
    due = [
        r for r in registrations
        if r.status in ACCREDITED_STATUSES and r.participation_mode == ParticipationMode.ONLINE
    ]  # fmt: skip
    if not due:
        return {}
    segments = defaultdict(list)
    for segment in Meeting.objects.filter(
        parent_id__in={r.meeting_id for r in due}, mode__in=[MeetingMode.ONLINE, MeetingMode.HYBRID]
    ).order_by("start_date", "code"):
        segments[segment.parent_id].append(segment)
    return {
        r.pk: [
            {"meeting": m, "url": m.online_join_url, "details": m.online_join_details}
            for m in (r.meeting, *segments[r.meeting_id])
            if m.online_join_url or m.online_join_details
        ]
        for r in due
    }


def online_participants(*, meeting) -> QuerySet[Registration]:
    """The accredited participants of `meeting` taking part online (their connection details go
    to each by e-mail)."""
    return Registration.objects.filter(
        meeting=meeting, status__in=ACCREDITED_STATUSES, participation_mode=ParticipationMode.ONLINE
    ).select_related("meeting")


def attendance_of_meeting(*, meeting) -> QuerySet[Attendance]:
    """Every attendance row of `meeting`, by day and name, for the staff's attendance page."""
    return (
        Attendance.objects.filter(registration__meeting=meeting)
        .select_related("registration__country", "registration__organisation")
        .order_by("day", "registration__last_name", "registration__first_name")
    )


def registrations_by_email(*, meeting) -> dict[str, Registration]:
    """The meeting's registrations by lower-case e-mail (the registration's and the account's), to
    match a platform's attendance report; accredited or not (the import says which are not)."""
    found = {}
    for registration in Registration.objects.filter(meeting=meeting).select_related("user"):
        for email in (registration.email, registration.user.email):
            if email:
                found.setdefault(email.strip().lower(), registration)
    return found
