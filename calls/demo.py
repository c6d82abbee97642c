"""Demo calls (DOMAIN.md; the capacity-building note of COP-4, UNEP/MC/COP.4/12):

- the Executive Secretary's call of 13 December 2019 for information relevant to decision MC-3/8,
  to every State's focal point, its reminder of 20 May 2021 and the fourteen submissions from
  thirteen States ("13 parties" in the note; the Parties table, ../shared/data, does not list
  Cambodia as a Party), answered through the portal (entered by the secretariat, as received),
  accepted and compiled in UNEP/MC/COP.4/INF/23 (the documents demo holds that document);
- COP-6's calls for proposals of pre-COP online events and of Knowledge Lab sessions, deadline
  25 July 2025.

Everything goes through the calls' services, on today's date (the services refuse a deadline
already past), and the dates the records carry are then set to the real ones: the history rows
keep the day the demo was loaded. The deadline of the 2019 call is not given in the notes: the
demo uses 30 June 2021, after the reminder, as the documents demo does."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from documents.models import Document
from meetings.models import Meeting
from minamata_portal.pdf import html_to_pdf
from reference.models import Country

from .enums import Audience, CallKind
from .models import Answer, Call, Reminder
from .selectors import Seat
from .services import answer_accept, answer_submit, call_create, call_send, reminder_send_now
from .services.transition import transition

MC_3_8 = "decision MC-3/8"
# Fourteen submissions from thirteen Parties (UNEP/MC/COP.4/12, paragraph 7): Japan sent two.
# The days they came in are illustrative (the notes do not give them), as in the documents demo.
SUBMITTERS = [
    "ARG",
    "KHM",
    "CAN",
    "ECU",
    "GMB",
    "DEU",
    "JPN",
    "JPN",
    "MNE",
    "NLD",
    "OMN",
    "QAT",
    "SYC",
    "USA",
]
REMINDER_DAY = dt.date(2021, 5, 20)
COP6_DEADLINE = dt.date(2025, 7, 25)
COP6_CALLS = [
    (
        "Proposals for the pre-COP online events (13–17 October 2025)",
        "The secretariat invites proposals for online events in the week before the sixth meeting of "
        "the Conference of the Parties, 13–17 October 2025.",
    ),
    (
        "Proposals for Knowledge Lab sessions at COP-6",
        "The secretariat invites proposals for Knowledge Lab sessions during the sixth meeting of the "
        "Conference of the Parties, Geneva International Conference Centre, 3–7 November 2025.",
    ),
]


def _aware(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _submission_pdf(country: Country, n: int) -> SimpleUploadedFile:
    pdf = html_to_pdf(
        f"<h1>Submission pursuant to decision MC-3/8</h1><p>{country.name}</p>"
        "<p>Demo placeholder for the Party's submission as received by the secretariat.</p>"
    )
    return SimpleUploadedFile(f"{country.iso3.lower()}-{n}.pdf", pdf, "application/pdf")


def _later_deadline() -> dt.date:
    # A deadline the services accept today; the real one is set afterwards.
    return timezone.localdate() + dt.timedelta(days=30)


def _call_2019(staff, cop4) -> Call:
    call = Call.objects.filter(mandate=MC_3_8, kind=CallKind.SUBMISSIONS).first()
    if call is not None:
        return call
    call = call_create(
        by=staff,
        meeting=cop4,
        kind=CallKind.SUBMISSIONS,
        title="Information on capacity-building, technical assistance and technology transfer",
        mandate=MC_3_8,
        body=(
            "Pursuant to decision MC-3/8, the secretariat seeks information from Parties on "
            "capacity-building, technical assistance and technology transfer: the support they "
            "provided or received for the implementation of the Convention, and their needs."
        ),
        audience=Audience.STATES,
        deadline=_later_deadline(),
    )
    call_send(call=call, by=staff)
    countries = {c.iso3: c for c in Country.objects.filter(iso3__in=SUBMITTERS)}
    received, reminder = [], None
    for n, iso3 in enumerate(SUBMITTERS):
        on = dt.date(2020, 2, 3) + dt.timedelta(days=37 * n)
        if reminder is None and on > REMINDER_DAY:
            # The reminder to those who had not answered yet, before the last submission.
            reminder = reminder_send_now(call=call, by=staff)
        country = countries[iso3]
        answer = answer_submit(
            seat=Seat(call=call, country=country),
            text=f"Submission of {country.name} pursuant to decision MC-3/8.",
            files=[_submission_pdf(country, n)],
            by=staff,
        )
        answer_accept(answer=answer, by=staff)
        received.append((answer.pk, on))
    compilation = Document.objects.filter(symbol="UNEP/MC/COP.4/INF/23").first()
    if compilation is not None:
        transition(call, "compile", by=staff, changes={"compilation": compilation})
    # The real dates (see the module's text).
    Call.objects.filter(pk=call.pk).update(
        sent_at=_aware(dt.date(2019, 12, 13)), deadline=dt.date(2021, 6, 30)
    )
    for pk, on in received:
        Answer.objects.filter(pk=pk).update(
            submitted_at=_aware(on), decided_at=_aware(on + dt.timedelta(days=7))
        )
    if reminder is not None:
        Reminder.objects.filter(pk=reminder.pk).update(send_on=REMINDER_DAY, sent_at=_aware(REMINDER_DAY))
    return call


def _calls_cop6(staff, cop6) -> list[Call]:
    calls = []
    for title, body in COP6_CALLS:
        call = Call.objects.filter(meeting=cop6, title=title).first()
        if call is None:
            call = call_create(
                by=staff, meeting=cop6, kind=CallKind.EVENTS, title=title, body=body,
                audience=Audience.BOTH, deadline=_later_deadline(),
            )  # fmt: skip
            call_send(call=call, by=staff)
            # Sent before the deadline; the notes give only the deadline, so the sending day is
            # left as the day the demo was loaded.
            Call.objects.filter(pk=call.pk).update(deadline=COP6_DEADLINE)
        calls.append(call)
    return calls


def load():
    staff = User.objects.filter(email="admin@demo.mercury.test").first()
    meetings = {m.code: m for m in Meeting.objects.filter(code__in=["cop-4", "cop-6"])}
    if staff is None or "cop-4" not in meetings:
        return {}
    with transaction.atomic():
        call = _call_2019(staff, meetings["cop-4"])
        if "cop-6" in meetings:
            _calls_cop6(staff, meetings["cop-6"])
    return {
        "calls": Call.objects.count(),
        "answers to the call of 13 December 2019": call.answers.count(),
    }
