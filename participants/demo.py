"""Demo participants for COP-2 (Geneva, 19–23 November 2018): a few hundred generated people from
the States that were Parties on COP-2's dates, observers, and every stage of the path, all made
through the services so the history reads as it would after a real meeting.

Zambia's and Peru's focal points (from the accounts demo) nominate their own delegations."""

import datetime as dt
import io
import random
import unicodedata
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfWriter

from accounts.models import User
from meetings.models import Meeting
from reference.enums import CountryKind
from reference.models import ConventionParty, Country

from . import selectors
from .enums import (
    ACCREDITED_STATUSES,
    INACTIVE_STATUSES,
    OBSERVER_CAPACITIES,
    CredentialsForm,
    CredentialsVerdict,
    FundingStatus,
    ParticipationMode,
)
from .models import FundingRequest, Registration
from .services import attendance as attendance_services
from .services import badges as badge_services
from .services import credentials as credentials_services
from .services import focal_points as focal_point_services
from .services import funding as funding_services
from .services import observers as observer_services
from .services import registration as registration_services
from .services import visas as visa_services

DELEGATES_PER_PARTY = (1, 2, 2, 3)
OBSERVERS = [
    ("Zero Mercury Working Group", "ZMWG", "ngo", "BEL"),
    ("International Pollutants Elimination Network", "IPEN", "ngo", "SWE"),
    ("Natural Resources Defense Council", "NRDC", "ngo", "USA"),
    ("Center for International Environmental Law", "CIEL", "ngo", "CHE"),
    ("Artisanal Gold Council", "AGC", "ngo", "CAN"),
    ("Global Environment Facility", "GEF", "igo", "USA"),
    ("World Health Organization", "WHO", "specialised_agency", "CHE"),
    ("United Nations Industrial Development Organization", "UNIDO", "specialised_agency", "AUT"),
    ("United Nations Development Programme", "UNDP", "un_body", "USA"),
]
FUNCTIONS = [
    "Director of Environment", "Chemicals and Waste Officer", "Senior Legal Adviser", "Counsellor, Permanent Mission",
    "Minister of Environment", "Deputy Permanent Representative", "Mercury Focal Point", "Programme Officer",
]  # fmt: skip


def _ascii(email: str) -> str:
    return unicodedata.normalize("NFKD", email).encode("ascii", "ignore").decode().lower().replace(" ", "")


def _title_gender_and_first_name(rng, fake) -> dict:
    """A title that agrees with the person: "Ms" with a woman's first name, "Mr" with a man's (the
    demo's list once printed "Mr Bernadette"); "Dr" for anyone, and for those who gave no gender."""
    gender = rng.choice(["female", "male", "female", "male", ""])
    name_of = {"female": fake.first_name_female, "male": fake.first_name_male}.get(gender, fake.first_name)
    first_name = name_of()
    title = {"female": "Ms", "male": "Mr"}.get(gender, "Dr") if rng.random() < 0.9 else "Dr"
    return {"gender": gender, "title": title, "first_name": first_name}


def _letter_pdf() -> bytes:

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Note verbale (demo)"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _letter(meeting, country, by, pdf):
    upload = SimpleUploadedFile(
        f"note-verbale-{country.iso3.lower()}.pdf", pdf, content_type="application/pdf"
    )
    return focal_point_services.nomination_letter_upload(
        meeting=meeting, country=country, uploaded=upload, by=by
    )


HYBRID_DEMO_CODE = "demo-hybrid"  # meetings.demo.UPCOMING_CODE


def load_hybrid() -> dict:
    """Peru's delegation to the hybrid demo meeting: its head in person (badge), a member online
    (connection details mailed), both nominated by Peru's focal point and accredited, credentials
    in order, and sample attendance (the meeting's days are ahead: recorded as the staff and the
    platform's report would, so the statistics show a Party present in person and online).
    Zambia's delegation is left to the newcomer walking the path."""
    meeting = Meeting.objects.filter(code=HYBRID_DEMO_CODE).first()
    focal_point = User.objects.filter(email="focalpoint.peru@demo.mercury.test").first()
    staff = User.objects.filter(email="registration@demo.mercury.test").first()
    if meeting is None or focal_point is None or Registration.objects.filter(meeting=meeting).exists():
        return {}
    peru = Country.objects.get(iso3="PER")
    people = [
        ("Ms", "female", "Lucía", "Huamán", "lucia.huaman", "head", ParticipationMode.IN_PERSON,
         "Director General of Environmental Quality"),
        ("Mr", "male", "Jorge", "Mamani", "jorge.mamani", "adviser", ParticipationMode.ONLINE,
         "Chemicals and Waste Officer"),
    ]  # fmt: skip
    letter = _letter(meeting, peru, focal_point, _letter_pdf())
    delegation = []
    for title, gender, first, last, local, role, mode, function in people:
        registration = focal_point_services.focal_point_pre_register(
            meeting=meeting, country=peru, by=focal_point, email=f"{local}@per.demo.mercury.test", first_name=first,
            last_name=last, title=title, gender=gender, function=function, participation_mode=mode,
            correspondence_language="es",
        )  # fmt: skip
        registration_services.registration_nominate(
            registration=registration, by=focal_point, letter=letter, role=role
        )
        delegation.append(registration_services.registration_accredit(registration=registration, by=staff))
    in_person, online = delegation
    badge_services.registration_issue_badge(registration=in_person, by=staff)
    credentials = credentials_services.credentials_record(
        meeting=meeting, country=peru, form="original", issuer="foreign_minister", by=staff, delegates=delegation,
        received_at=timezone.now(),
    )  # fmt: skip
    credentials_services.credentials_decide(
        credentials=credentials, verdict=CredentialsVerdict.IN_ORDER, by=staff
    )
    # The online segment's first day, and the in-person opening (the demo meeting closes four days
    # after it), attended online; the head of delegation in the room at the opening.
    online_day, opening = meeting.start_date, max(meeting.start_date, meeting.end_date - dt.timedelta(days=4))
    report = "e-mail,join time,leave time\n" + "".join(
        f"{online.email},{day} {join},{day} {leave}\n"
        for day in sorted({online_day, opening})
        for join, leave in (("09:57", "12:31"), ("14:56", "18:03"))
    )
    attendance_services.attendance_import(
        meeting=meeting, uploaded=SimpleUploadedFile("attendance.csv", report.encode(), "text/csv"), by=staff
    )
    attendance_services.attendance_record(
        registration=in_person, day=opening, mode=ParticipationMode.IN_PERSON, by=staff
    )
    return {"hybrid demo registrations": len(delegation)}


def load():
    # Faker is a development dependency: the production image loads no demo.
    from faker import Faker

    hybrid = load_hybrid()
    meeting = Meeting.objects.filter(code="cop-2").first()
    if meeting is None or Registration.objects.filter(meeting=meeting).exists():
        return hybrid
    rng = random.Random(2018)
    fake = Faker(["en_GB", "fr_FR", "es_ES", "pt_BR", "de_DE"])
    fake.seed_instance(2018)
    staff = User.objects.filter(email="registration@demo.mercury.test").first()
    pdf = _letter_pdf()

    observer_deadline = dt.datetime(2018, 9, 19, tzinfo=dt.UTC)
    funding_services.meeting_settings_update(
        meeting=meeting, by=staff, funded_places=40, funded_per_party=1, observer_deadline=observer_deadline
    )
    geneva = {
        "country": Country.objects.get(iso3="CHE"),
        "location": "Geneva",
        "valid_from": dt.date(2018, 11, 1),
    }
    if selectors.dsa_rate_for(country=geneva["country"], location="Geneva", day=geneva["valid_from"]) is None:
        funding_services.dsa_rate_save(
            by=staff, daily_rate=Decimal("417.00"), currency="USD", room_percent=Decimal("58"), **geneva
        )

    people = iter(range(100000))

    def person(first):
        n = next(people)
        last = fake.last_name()
        email = _ascii(f"{first}.{last}.{n}@demo-participants.mercury.test")
        return registration_services.person_for_email(email=email, first_name=first, last_name=last)

    def register(**data):
        details = _title_gender_and_first_name(rng, fake)
        details.update({key: data.pop(key) for key in ("title", "gender") if key in data})
        user = data.pop("user", None) or person(details["first_name"])
        # Each detail published only by those who agreed, e-mail and telephone less often than the address.
        consent = {"publish_contact": rng.random() < 0.6, "publish_email": rng.random() < 0.4,
                   "publish_phone": rng.random() < 0.2}  # fmt: skip
        return registration_services.registration_create(
            meeting=meeting, user=user, by=user, check_window=False,
            function=data.pop("function", rng.choice(FUNCTIONS)), title=details["title"], gender=details["gender"],
            first_name=user.first_name, last_name=user.last_name,
            arrival=meeting.start_date - dt.timedelta(days=1), departure=meeting.end_date + dt.timedelta(days=1),
            **consent, **data,
        )  # fmt: skip

    counts = {"registrations": 0}
    # 1. Observers: admitted at COP-1 (no need to apply again) or at COP-2.
    cop1 = Meeting.objects.filter(code="cop-1").first()
    organisations = []
    for name, acronym, kind, hq in OBSERVERS:
        organisation = selectors.organisation_by_name(name=name) or observer_services.organisation_save(
            by=staff, name=name, acronym=acronym, kind=kind, country=Country.objects.filter(iso3=hq).first()
        )
        organisations.append(organisation)
        if kind in OBSERVER_CAPACITIES and not selectors.organisation_is_admitted(
            organisation=organisation, meeting=meeting
        ):
            # Applied before COP-2's deadline, as the organisations did.
            application = observer_services.observer_apply(
                meeting=cop1 if (cop1 and acronym in ("ZMWG", "IPEN")) else meeting, organisation=organisation,
                by=staff, now=observer_deadline - dt.timedelta(days=30),
                statutes=f"Statutes of {name}", competence="Work on mercury supply, trade and emissions.",
                contact_name=fake.name(), contact_email=f"contact@{acronym.lower()}.example.org",
            )  # fmt: skip
            observer_services.observer_admit(application=application, by=staff)

    # 2. Parties on COP-2's dates, two or three delegates each, at every stage.
    parties = list(
        Country.objects.filter(
            pk__in=ConventionParty.objects.filter(entry_into_force__lte=meeting.start_date).values("country")
        )
        .prefetch_related("classifications", "party_records")
        .order_by("name_en")
    )
    focal_point_users = {
        "ZMB": User.objects.filter(email="focalpoint.zambia@demo.mercury.test").first(),
        "PER": User.objects.filter(email="focalpoint.peru@demo.mercury.test").first(),
    }
    accredited, checked_in = [], []
    for country in parties:
        focal_point = focal_point_users.get(country.iso3)
        size = 3 if focal_point else rng.choice(DELEGATES_PER_PARTY)
        delegation = []
        for index in range(size):
            with transaction.atomic():
                if focal_point:
                    details = _title_gender_and_first_name(rng, fake)
                    first, last = details.pop("first_name"), fake.last_name()
                    registration = focal_point_services.focal_point_pre_register(
                        meeting=meeting, country=country, by=focal_point, first_name=first, last_name=last,
                        email=_ascii(f"{first}.{last}@{country.iso3.lower()}.demo.mercury.test"),
                        function=rng.choice(FUNCTIONS), funding_requested=index == 0, check_window=False, **details,
                    )  # fmt: skip
                else:
                    registration = register(capacity="party", country=country, funding_requested=index == 0)
            delegation.append(registration)
        counts["registrations"] += size
        if focal_point is None and rng.random() < 0.12:
            continue  # no nomination received yet
        letter = _letter(meeting, country, focal_point, pdf)
        by = focal_point
        for index, registration in enumerate(delegation):
            if focal_point and index == 2:
                continue  # the focal point still has one to decide on (see their page)
            if rng.random() < 0.05:
                registration_services.registration_decline(
                    registration=registration, by=by, reason="Not part of the delegation"
                )
                continue
            role = "head" if index == 0 else rng.choice(["alternate", "adviser"])
            registration_services.registration_nominate(
                registration=registration, by=by, letter=letter, role=role
            )
            if rng.random() < 0.85:
                registration_services.registration_accredit(registration=registration, by=staff)
                accredited.append(registration)
    # 3. Observers' representatives.
    for organisation in organisations:
        for _i in range(rng.choice((1, 2, 3))):
            with transaction.atomic():
                registration = register(capacity=organisation.kind, organisation=organisation)
            counts["registrations"] += 1
            registration_services.registration_accredit(registration=registration, by=staff)
            accredited.append(registration)
    # The demo delegate, for "My registrations" and Peru's focal point page.
    delegate = User.objects.filter(email="delegate@demo.mercury.test").first()
    if delegate:
        register(
            user=delegate, capacity="party", country=Country.objects.get(iso3="PER"), function="Adviser",
            title="Ms", gender="female", correspondence_language="es",  # her letters come in Spanish
        )  # fmt: skip
        counts["registrations"] += 1

    # 4. Badges, check-in and attendance on the first three days.
    for registration in accredited:
        if rng.random() < 0.9:
            badge_services.registration_issue_badge(registration=registration, by=staff)
            if rng.random() < 0.85:
                token = badge_services.badge_token(registration)
                for offset in range(rng.choice((1, 2, 3))):
                    badge_services.registration_check_in(
                        meeting=meeting,
                        token=token,
                        by=staff,
                        day=meeting.start_date + dt.timedelta(days=offset),
                    )
                checked_in.append(registration)

    # 5. Credentials of the Parties with accredited delegates.
    credentialed = 0
    by_party = {}
    for registration in accredited:
        if registration.country_id:
            by_party.setdefault(registration.country, []).append(registration)
    for country, delegates in by_party.items():
        if rng.random() < 0.15:
            continue  # none received
        late = rng.random() < 0.1
        issuer = rng.choice(["foreign_minister", "foreign_minister", "head_of_state", "other"])
        credentials = credentials_services.credentials_record(
            meeting=meeting, country=country, form=CredentialsForm.COPY if rng.random() < 0.15 else CredentialsForm.ORIGINAL,
            issuer=issuer, issuer_other="Minister of Environment" if issuer == "other" else "", by=staff,
            delegates=delegates,
            received_at=dt.datetime(2018, 11, 21 if late else 18, 9, 30, tzinfo=dt.UTC),
        )  # fmt: skip
        verdict = CredentialsVerdict.IN_ORDER if rng.random() < 0.85 else CredentialsVerdict.PENDING
        if verdict == CredentialsVerdict.IN_ORDER and credentials.form == CredentialsForm.COPY:
            verdict = CredentialsVerdict.COPY  # in order only in due form (rule 18)
        elif verdict == CredentialsVerdict.IN_ORDER and issuer == "other":
            verdict = CredentialsVerdict.NOT_IN_DUE_FORM
        credentials_services.credentials_decide(credentials=credentials, verdict=verdict, by=staff)
        credentialed += 1

    # 5b. The European Union, a Party, with its delegation accredited and its credentials in order
    # (issued by its competent authority, rule 18).
    eu = Country.objects.filter(kind=CountryKind.REIO).first()
    if eu is not None and eu.is_party_on(meeting.start_date):
        delegates = list(
            Registration.objects.filter(meeting=meeting, country=eu, status__in=ACCREDITED_STATUSES)
        )
        if not delegates:
            headed = (
                Registration.objects.filter(meeting=meeting, country=eu, delegation_role="head")
                .exclude(status__in=INACTIVE_STATUSES)
                .exists()
            )
            with transaction.atomic():
                registration = register(
                    capacity="party", country=eu, function="Head of Unit, European Commission"
                )
            registration_services.registration_nominate(
                registration=registration, by=staff, letter=_letter(meeting, eu, staff, pdf),
                role="member" if headed else "head",
            )  # fmt: skip
            registration_services.registration_accredit(registration=registration, by=staff)
            delegates = [registration]
            counts["registrations"] += 1
        credentials = credentials_services.credentials_record(
            meeting=meeting, country=eu, form="original", issuer="reio_authority", by=staff, delegates=delegates,
            received_at=dt.datetime(2018, 11, 18, 9, 30, tzinfo=dt.UTC),
        )  # fmt: skip
        if credentials.verdict != CredentialsVerdict.IN_ORDER:
            credentials_services.credentials_decide(
                credentials=credentials, verdict=CredentialsVerdict.IN_ORDER, by=staff
            )

    # 6. Funded participation: rank, allocate, tickets and DSA for some.
    outcome = funding_services.funding_allocate(meeting=meeting, by=staff)

    for funding in FundingRequest.objects.filter(
        registration__meeting=meeting, status=FundingStatus.APPROVED
    )[:12]:
        if not funding.registration.is_active:
            continue
        funding_services.funding_issue_ticket(
            funding=funding, by=staff, itinerary=f"{funding.registration.country.iso3}–GVA–{funding.registration.country.iso3}",
            travel_class="economy", cost=Decimal(rng.randrange(600, 2400)), currency="USD",
        )  # fmt: skip
        funding_services.funding_compute_dsa(funding=funding, by=staff, terminal_expenses=Decimal("76"))
        if rng.random() < 0.6:
            funding_services.funding_pay_dsa(funding=funding, by=staff, receipt_signed=True)

    # 7. Visa support requests.
    visas = 0
    for registration in [r for r in accredited if r.country_id][:6]:
        visa = visa_services.visa_request_create(
            registration=registration, by=registration.user, passport_number=f"P{rng.randrange(10**7, 10**8)}",
            passport_country=registration.country, passport_issued=dt.date(2016, 3, 1),
            passport_expires=dt.date(2026, 2, 28), embassy="Embassy of Switzerland",
        )  # fmt: skip
        if visas < 4:
            visa_services.visa_request_approve(visa=visa, by=staff)
        visas += 1

    counts.update(hybrid)
    counts.update({
        "accreditations": len(accredited), "checked in": len(checked_in), "credentials": credentialed,
        "funding approved": outcome[FundingStatus.APPROVED], "funding waiting": outcome[FundingStatus.WAITING], "visa requests": visas,
    })  # fmt: skip
    return counts
