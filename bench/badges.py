"""Badges (issue 16): 1,000 badges of one meeting in one PDF, drawn by ReportLab from the layout
description (participants/badge_layout.py), beside WeasyPrint laying out the same design from the
same boxes (templates/participants/pdf/badges.html), the anchor. Target ≤ 2.5 ms a badge
(Indico's ReportLab badge, ANCHORS.md: 2.5 ms, 5.2–6.0 ms measured side by side).

Names in Latin, Cyrillic, Arabic and Chinese; every badge carries its signed QR token. Figures are
wall-clock time with the process's CPU time beside it: on a shared machine (load printed) the CPU
time is what the badge costs, the wall time what the person waiting sees."""

import datetime as dt
import os
import time

MEETING_CODE = "bench-badges-cop"
COUNT = 1000
WEASYPRINT_SAMPLE = 100
TARGET_MS = 2.5

NAMES = [
    ("Mwila", "Banda"), ("Ana", "Quispe"), ("Élodie", "Dubois"), ("José", "García"), ("Sigrid", "Øberg"),
    ("Анна", "Иванова"), ("محمد", "عبد الله"), ("小明", "王"), ("Nguyễn", "Thị Hương"), ("Kwame", "Mensah"),
]  # fmt: skip


def _registrations():
    from django.contrib.auth.hashers import make_password

    from accounts.models import User
    from meetings.models import Meeting
    from participants.enums import OrganisationKind, RegistrationStatus
    from participants.models import Organisation, Registration
    from reference.models import Country

    meeting, _created = Meeting.objects.get_or_create(
        code=MEETING_CODE,
        defaults={
            "kind": "cop", "number": 5,
            "title_en": "Fifth meeting of the Conference of the Parties to the Minamata Convention on Mercury",
            "start_date": dt.date(2023, 10, 30), "end_date": dt.date(2023, 11, 3), "city": "Geneva",
            "country": Country.objects.get(iso3="CHE"), "symbol_prefix": "UNEP/MC/COP.5",
        },
    )  # fmt: skip
    Registration.history.filter(meeting_id=meeting.pk).delete()
    Registration.objects.filter(meeting=meeting).delete()
    password = make_password(None)
    User.objects.bulk_create(
        [User(email=f"bench-badge-{i}@bench.mercury.test", first_name=NAMES[i % 10][0], last_name=NAMES[i % 10][1],
              password=password) for i in range(COUNT)],
        batch_size=1000, ignore_conflicts=True,
    )  # fmt: skip
    users = list(User.objects.filter(email__startswith="bench-badge-").order_by("pk")[:COUNT])
    parties = list(Country.objects.filter(party_records__isnull=False).distinct().order_by("pk"))
    ngo, _c = Organisation.objects.get_or_create(
        name="Zero Mercury Working Group", defaults={"kind": OrganisationKind.NGO}
    )
    rows = []
    for i, user in enumerate(users):
        where = {"capacity": "ngo", "organisation": ngo} if i % 10 == 9 else {"capacity": "party", "country": parties[i % len(parties)]}  # fmt: skip
        rows.append(
            Registration(
                meeting=meeting,
                user=user,
                first_name=user.first_name,
                last_name=user.last_name,
                email=user.email,
                title="Ms" if i % 2 else "Mr",
                status=RegistrationStatus.BADGE_ISSUED,
                delegation_role="head" if i % 20 == 0 and where["capacity"] == "party" else "",
                **where,
            )
        )
    # One head per State at most (a constraint): heads only where the State has none yet.
    seen = set()
    for row in rows:
        if row.delegation_role == "head":
            if row.country_id in seen:
                row.delegation_role = ""
            seen.add(row.country_id)
    Registration.objects.bulk_create(rows, batch_size=500)
    registrations = list(
        Registration.objects.filter(meeting=meeting).select_related("country", "organisation").order_by("pk")
    )
    return meeting, registrations


def _timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def run():
    from participants.badges import Sheet, badges_pdf, badges_pdf_weasyprint

    meeting, registrations = _registrations()
    print(f"   machine load (1 min): {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    badges_pdf(meeting=meeting, registrations=registrations[:4])  # fonts registered, caches warm
    badges_pdf_weasyprint(meeting=meeting, registrations=registrations[:2])

    results = {}
    for sheet, label in ((Sheet.A6, "A6 cards"), (Sheet.A4, "A4 sheets of 4")):
        pdf, wall, cpu = _timed(
            lambda sheet=sheet: badges_pdf(meeting=meeting, registrations=registrations, sheet=sheet)
        )
        results[sheet] = wall
        print(
            f"   ReportLab, {COUNT} badges, {label}: {wall:.2f} s = {1000 * wall / COUNT:.2f} ms a badge "
            f"(CPU {1000 * cpu / COUNT:.2f} ms), {len(pdf) // 1024} KB; target ≤ {TARGET_MS} ms"
        )
    sample = registrations[:WEASYPRINT_SAMPLE]
    pdf, wall, cpu = _timed(lambda: badges_pdf_weasyprint(meeting=meeting, registrations=sample))
    anchor = wall / len(sample)
    print(
        f"   anchor: WeasyPrint, the same design, {len(sample)} badges: {wall:.2f} s = {1000 * anchor:.2f} ms a badge "
        f"(CPU {1000 * cpu / len(sample):.2f} ms), {len(pdf) // 1024} KB"
    )
    print(
        f"   ratio: ReportLab A6 is {anchor / (results[Sheet.A6] / COUNT):.1f}× faster than WeasyPrint a badge "
        f"(A4 sheets {anchor / (results[Sheet.A4] / COUNT):.1f}×)"
    )
