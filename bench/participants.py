"""Participants: with 2,000 registrations for one meeting, the rate of registrations created
through the service, the list of participants as PDF and XLSX, and 500 badges in one PDF.
Targets (ANCHORS.md, issue 4): registration ≤ 10 ms, PDF ≤ 8 s (issue 16), XLSX < 5 s, 500 badges < 20 s."""

import datetime as dt
import time

MEETING_CODE = "bench-participants-cop"
COUNT = 2000


def _meeting():
    from meetings.models import Meeting
    from reference.models import Country

    meeting, _created = Meeting.objects.get_or_create(
        code=MEETING_CODE,
        defaults={
            "kind": "cop", "number": 2,
            "title_en": "Second meeting of the Conference of the Parties to the Minamata Convention on Mercury",
            "title_fr": "Deuxième réunion de la Conférence des Parties à la Convention de Minamata sur le mercure",
            "start_date": dt.date(2018, 11, 19), "end_date": dt.date(2018, 11, 23), "city": "Geneva",
            "country": Country.objects.get(iso3="CHE"), "symbol_prefix": "UNEP/MC/COP.2",
        },
    )  # fmt: skip
    return meeting


def _people(count):
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    password = make_password(None)
    User.objects.bulk_create(
        [
            User(email=f"bench-participant-{i}@bench.mercury.test", first_name=f"Participant{i}",
                 last_name=["Mwansa", "Quispe", "Dubois", "García", "Banda", "Øberg"][i % 6], password=password)
            for i in range(count)
        ],
        batch_size=1000, ignore_conflicts=True,
    )  # fmt: skip
    return list(User.objects.filter(email__startswith="bench-participant-").order_by("pk")[:count])


def run():
    import os

    from django.db import connection, transaction

    from participants.badges import badges_pdf
    from participants.enums import OrganisationKind
    from participants.models import Organisation, Registration
    from participants.resources import list_of_participants_xlsx
    from participants.services.registration import registration_create
    from reference.models import Country

    meeting = _meeting()
    Registration.history.filter(meeting_id=meeting.pk).delete()
    Registration.objects.filter(meeting=meeting).delete()
    users = _people(COUNT)
    parties = list(Country.objects.filter(party_records__entry_into_force__lte=meeting.start_date).distinct())
    ngo, _c = Organisation.objects.get_or_create(
        name="Zero Mercury Working Group", defaults={"kind": OrganisationKind.NGO}
    )
    igo, _c = Organisation.objects.get_or_create(
        name="World Health Organization", defaults={"kind": OrganisationKind.SPECIALISED_AGENCY}
    )

    # Wall time, this process's CPU time and the statements sent: a registration is about ten round
    # trips to PostgreSQL, each waiting for its server process to be scheduled, so its wall time
    # follows the machine's load far more than a layout's does (the same code took 15-22 ms at
    # load 5-7 and 4-5 ms at load 1-2 on 2026-12-02): the CPU time and the statements say whether
    # the code changed (tests/participants/test_registration.py counts the queries).
    statements = 0

    def counting(execute, sql, params, many, context):
        nonlocal statements
        statements += 1
        return execute(sql, params, many, context)

    load = os.getloadavg()[0]
    started, cpu = time.perf_counter(), time.process_time()
    for i, user in enumerate(users):
        if i % 10 == 9:
            data = {"capacity": "ngo", "organisation": ngo}
        elif i % 25 == 24:
            data = {"capacity": "specialised_agency", "organisation": igo}
        else:
            data = {"capacity": "party", "country": parties[i % len(parties)]}
        with transaction.atomic(), connection.execute_wrapper(counting):
            registration_create(
                meeting=meeting, user=user, by=user, check_window=False, function="Director of Environment",
                department="Ministry of Environment", publish_contact=i % 2 == 0, title="Ms" if i % 2 else "Mr",
                **data,
            )  # fmt: skip
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(f"   registrations through the service: {COUNT} in {elapsed:.1f} s = {COUNT / elapsed:.0f}/s "
          f"({1000 * elapsed / COUNT:.1f} ms each wall, {1000 * cpu / COUNT:.1f} ms CPU, "
          f"{statements / COUNT:.1f} statements besides BEGIN and COMMIT; load {load:.1f}; target ≤ 10 ms)")  # fmt: skip
    Registration.objects.filter(meeting=meeting).update(status="accredited")
    _list_contacts(meeting)
    _list_of_participants_pdf(meeting)

    started = time.perf_counter()
    xlsx = list_of_participants_xlsx(meeting=meeting, language="en")
    elapsed = time.perf_counter() - started
    print(f"   list of participants XLSX: {elapsed:.2f} s, {len(xlsx) // 1024} KB (target < 5 s)")

    registrations = list(
        Registration.objects.filter(meeting=meeting)
        .select_related("country", "organisation")
        .order_by("pk")[:500]
    )
    started = time.perf_counter()
    badges_pdf(meeting=meeting, registrations=registrations)
    elapsed = time.perf_counter() - started
    print(
        f"   500 badges in one PDF: {elapsed:.1f} s ({1000 * elapsed / 500:.1f} ms per badge; target < 20 s)"
    )


def _list_contacts(meeting):
    """Every person with a two-line postal address and a telephone, published by consent as people
    give it: the address by half, the e-mail by a third, the telephone by a quarter."""
    from participants.models import Registration

    people = list(Registration.objects.filter(meeting=meeting).order_by("pk"))
    for i, person in enumerate(people):
        person.address = f"{100 + i} avenue de la Paix\n1211 Geneva 10, Switzerland"
        person.phone = f"+41 22 917 {8000 + i}"
        person.publish_contact, person.publish_email, person.publish_phone = (
            i % 2 == 0,
            i % 3 == 0,
            i % 4 == 0,
        )
    Registration.objects.bulk_update(
        people, ["address", "phone", "publish_contact", "publish_email", "publish_phone"], batch_size=500
    )


def _list_of_participants_pdf(meeting):
    """The list of participants as the view makes it (query, layout, PDF), in one process, beside
    the anchor: the same list laid out by WeasyPrint from the HTML table the portal used until
    issue 16 (bench/list_of_participants_weasyprint.html). Wall time and this process's CPU time are
    both printed: on a shared machine the wall time counts the other processes' turns too (the load
    average is printed beside it)."""
    import io
    import os
    from pathlib import Path

    from django.template import engines
    from django.utils import translation
    from pypdf import PdfReader

    from letters.rendering import format_date_range
    from minamata_portal.pdf import html_to_pdf
    from participants.resources import list_of_participants_pdf
    from participants.selectors import list_of_participants

    anchor = engines["django"].from_string(
        (Path(__file__).parent / "list_of_participants_weasyprint.html").read_text()
    )

    def weasyprint(language):
        with translation.override(language):
            groups = list_of_participants(meeting=meeting, language=language)
            dates = format_date_range(meeting.start_date, meeting.end_date, language)
            return html_to_pdf(anchor.render({"meeting": meeting, "dates": dates, "groups": groups}))

    def measured(make, language):
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        pdf = make(language)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        return wall, cpu, len(PdfReader(io.BytesIO(pdf)).pages), len(pdf) // 1024, load

    for language in ("en", "fr"):
        ours = measured(lambda lang: list_of_participants_pdf(meeting=meeting, language=lang), language)
        theirs = measured(weasyprint, language)
        for label, (wall, cpu, pages, size, load) in (
            ("ours (ReportLab)", ours),
            ("WeasyPrint table", theirs),
        ):
            print(
                f"   list of participants PDF ({language}), {COUNT} people, {label}: {wall:.1f} s wall, "
                f"{cpu:.1f} s CPU, {pages} pages, {size} KB, load {load:.1f}"
            )
        print(
            f"   list of participants PDF ({language}): ours / WeasyPrint = {ours[0] / theirs[0]:.2f} wall, "
            f"{ours[1] / theirs[1]:.2f} CPU (target ≤ 8 s)"
        )
