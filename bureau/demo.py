"""Demo Bureau: the COP Bureau over four terms (2017–today) with fictional members from real States,
its three 2017–2018 meetings with their reports (those of 2018 published), the COP-2 provisional agenda under review, and decisions MC-3/8 and
MC-3/11 with the requests they made to the secretariat.

Persons are invented; the States, meetings, dates, decisions and documents are real (from the
secretariat's progress reports in the shared reference notes). Safe to run again: what exists is kept."""

import datetime as dt

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.utils.html import escape

from accounts import roles
from accounts.models import User
from meetings.enums import AgendaStatus, Language
from meetings.models import AgendaItem, Meeting
from meetings.services.agendas import agenda_item_save, agenda_version_create_next
from minamata_portal.pdf import html_to_pdf
from reference.models import Country

from .enums import BodyKind, DecisionKind, MandateStatus, Office, ReportStatus, ReviewDecision
from .models import AgendaReview, BureauMeeting, Decision, MeetingReport, Membership, Term
from .services import (
    agenda_review_respond,
    agenda_review_send,
    body_ensure,
    bureau_meeting_ensure,
    bureau_meeting_invite,
    bureau_meeting_report_save,
    decision_create,
    mandate_create,
    mandate_update,
    meeting_report_file_save,
    meeting_report_publish,
    meeting_report_update,
    membership_add,
    membership_replace,
    review_comment_add,
    review_comment_answer,
    term_create,
)

D = dt.date
DEMO_MEMBER = "bureau@demo.mercury.test"
P, VP, R = Office.PRESIDENT, Office.VICE_PRESIDENT, Office.RAPPORTEUR

# Per term: (electing meeting, closing meeting, start, end, seats). Every State was a Party on the
# term's first day (officers are elected from the Parties: `membership_party_check`). A seat: (office, State, first, last name);
# None as the name stands for the demo login bureau@demo.mercury.test. The President and the rapporteur
# change region from term to term.
TERMS = [
    (
        "cop-1",
        "cop-2",
        D(2017, 9, 29),
        D(2018, 11, 23),
        [
            (P, "CHE", "Léonie", "Aebischer"),
            (VP, "CAN", None, None),
            (VP, "ZMB", "Chanda", "Mulenga"),
            (VP, "SEN", "Awa", "Diouf"),
            (VP, "JPN", "Haruto", "Kisaragi"),
            (VP, "IRN", "Dariush", "Farahani"),
            (R, "MDA", "Ion", "Rusnac"),
            (VP, "SVK", "Zuzana", "Hrončeková"),
            (VP, "PER", "Mariela", "Quispe Huamán"),
            (VP, "MEX", "Mariana", "Robles Ortega"),
        ],
    ),
    (
        "cop-2",
        "cop-3",
        D(2018, 11, 23),
        D(2019, 11, 29),
        [
            (VP, "AUT", "Katharina", "Steindl"),
            (VP, "CAN", None, None),
            (R, "ZMB", "Chanda", "Mulenga"),
            (VP, "GHA", "Kwabena", "Asante"),
            (VP, "JPN", "Haruto", "Kisaragi"),
            (VP, "THA", "Kanya", "Srisombat"),
            (VP, "MDA", "Ion", "Rusnac"),
            (VP, "ARM", "Anahit", "Sargsyan"),
            (P, "ECU", "Rodrigo", "Andrade Vela"),
            (VP, "JAM", "Desmond", "Whitfield"),
        ],
    ),
    (
        "cop-3",
        "cop-4",
        D(2019, 11, 29),
        D(2022, 3, 25),
        [
            (VP, "AUT", "Katharina", "Steindl"),
            (VP, "CAN", None, None),
            (P, "GHA", "Kwabena", "Asante"),
            (VP, "NGA", "Adaeze", "Okonkwo"),
            (R, "THA", "Kanya", "Srisombat"),
            (VP, "IDN", "Putu", "Wirawan"),
            (VP, "ARM", "Anahit", "Sargsyan"),
            (VP, "MNE", "Milica", "Radović"),
            (VP, "ECU", "Rodrigo", "Andrade Vela"),
            (VP, "URY", "Florencia", "Barreiro"),
        ],
    ),
    # The current term: elected at the resumed COP-4; it ends at the closure of COP-5, which the
    # demo does not record, so it is open-ended and its members reach the Bureau's pages today.
    (
        "cop-4",
        None,
        D(2022, 3, 25),
        None,
        [
            (R, "NOR", "Sigrid", "Haugland"),
            (VP, "CAN", None, None),
            (VP, "NGA", "Adaeze", "Okonkwo"),
            (VP, "SEN", "Awa", "Diouf"),
            (P, "IDN", "Putu", "Wirawan"),
            (VP, "QAT", "Noor", "Al-Kuwari"),
            (VP, "MNE", "Milica", "Radović"),
            (VP, "ARM", "Anahit", "Sargsyan"),
            (VP, "URY", "Florencia", "Barreiro"),
            (VP, "JAM", "Marcus", "Baptiste"),
        ],
    ),
]

# A replacement during the first term, kept with its dates.
REPLACEMENT = ("MEX", D(2018, 5, 2), "Simone", "Ellington", "Replaced on the member's reassignment.")

BUREAU_AGENDA = {
    "bureau-2017-12": [
        "Opening",
        "Outcome of the first meeting of the Conference of the Parties",
        "Planning for the second meeting of the Conference of the Parties",
        "Other matters",
    ],
    "bureau-2018-04": [
        "Opening",
        "Issues on the agenda of the second meeting of the Conference of the Parties",
        "Regional consultations in preparation for the second meeting",
        "Other matters",
    ],
    "bureau-2018-09": [
        "Opening",
        "Strategic and policy matters",
        "Provisional agenda of the second meeting of the Conference of the Parties",
        "Logistical plans for the second meeting",
        "Other matters",
    ],
}

BUREAU_MEETINGS = {
    "bureau-2017-12": "The Bureau took stock of the outcome of the first meeting of the Conference of the "
    "Parties with a view to ensuring adequate planning for its second meeting.",
    "bureau-2018-04": "The Bureau considered the issues on the agenda of the second meeting of the Conference "
    "of the Parties.",
    "bureau-2018-09": "Meeting face to face in Geneva, the Bureau discussed strategic and policy matters and "
    "the logistical plans for the second meeting of the Conference of the Parties, and reviewed "
    "its provisional agenda.",
}

# Illustrative provisional agenda for COP-2 (items drawn from the work the notes describe).
COP2_AGENDA = [
    ("Opening of the meeting", []),
    ("Organizational matters", ["Adoption of the agenda", "Organization of work"]),
    ("Rules of procedure", []),
    ("Report on the credentials of representatives", []),
    (
        "Matters for action by the Conference of the Parties",
        [
            "Guidance in relation to the environmentally sound interim storage of mercury",
            "Mercury waste thresholds",
            "Contaminated sites",
            "Effectiveness evaluation",
            "Cooperation with the Basel, Rotterdam and Stockholm conventions",
            "Programme of work and budget for the biennium 2018–2019",
        ],
    ),
    ("Venue and date of the third meeting of the Conference of the Parties", []),
    ("Other matters", []),
    ("Adoption of the report", []),
    ("Closure of the meeting", []),
]

MC_3_8 = {
    "symbol": "MC-3/8",
    "title_en": "Capacity-building, technical assistance and technology transfer",
    "text": "The Conference of the Parties,\n\nRecalling article 14 of the Minamata Convention on Mercury,",
    "paragraphs": [
        "Emphasizes the relevance of using, as appropriate, regional, subregional and national arrangements, "
        "including the existing regional and subregional centres of the Basel Convention and the Stockholm "
        "Convention, in the delivery of capacity-building and technical assistance, consistent with article 14 "
        "of the Convention;",
        "Requests the secretariat to compile any information received from the parties and the existing "
        "regional, subregional and national arrangements, including the existing regional and subregional "
        "centres of the Basel and Stockholm conventions, on the capacity-building and technical assistance "
        "provided to support parties in implementing their obligations under the Convention;",
        "Also requests the secretariat to report thereon to the Conference of the Parties at its fourth meeting.",
    ],
    "mandates": [
        (
            2,
            "Compile the information received from parties and from regional, subregional and national "
            "arrangements on capacity-building and technical assistance.",
            "admin",
            MandateStatus.REPORTED,
            "Letter of the Executive Secretary of 13 December 2019 inviting submissions; reminder of 20 May 2021. "
            "Fourteen submissions from 13 parties, compiled in UNEP/MC/COP.4/INF/23.",
        ),
        (
            3,
            "Report on the compilation to the Conference of the Parties at its fourth meeting.",
            "documents",
            MandateStatus.REPORTED,
            "Note by the secretariat under item 4 (f) of the provisional agenda of COP-4.",
        ),
    ],
}

MC_3_11 = {
    "symbol": "MC-3/11",
    "title_en": "Enhancing cooperation between the secretariat of the Minamata Convention and the secretariat "
    "of the Basel, Rotterdam and Stockholm conventions",
    "text": "The Conference of the Parties,\n\nRecalling paragraph 4 of article 24 of the Minamata Convention,",
    "paragraphs": [
        "Requests the Executive Director of the United Nations Environment Programme, in the performance of "
        "secretariat functions for the Minamata Convention and mindful of the legal autonomy of the respective "
        "secretariats, to support the secretariat in its efforts to enhance cooperation with the secretariat "
        "of the Basel, Rotterdam and Stockholm conventions, including through the regular use of the task force "
        "comprising the secretariats and the Chemicals and Health Branch as a stable framework for cooperation "
        "and for the sharing of relevant secretariat services;",
        "Requests the Executive Secretary to continue the purchase of relevant services from the secretariat of "
        "the Basel, Rotterdam and Stockholm conventions on a cost recovery basis, as appropriate and in "
        "accordance with the programme of work and budget;",
        "Also requests the Executive Secretary to establish, with the secretariat of the Basel, Rotterdam and "
        "Stockholm conventions and under the overall steering of the task force, inter-secretariat working "
        "groups to cooperate on relevant matters;",
        "Requests the secretariat to report on the implementation of the present decision to the Conference of "
        "the Parties at its fourth meeting.",
    ],
    "mandates": [
        (
            2,
            "Purchase relevant services from the BRS secretariat on a cost recovery basis.",
            "admin",
            MandateStatus.REPORTED,
            "Services requested from the BRS secretariat for the organization of COP-4.",
        ),
        (
            3,
            "Establish inter-secretariat working groups under the steering of the joint task force.",
            "admin",
            MandateStatus.IN_PROGRESS,
            "Joint task force report drafted by its co-chairs in December 2020, endorsed by the heads of the three "
            "entities in March 2021.",
        ),
        (
            4,
            "Report on the implementation of the decision to COP-4.",
            "documents",
            MandateStatus.REPORTED,
            "Report in UNEP/MC/COP.4/20, with the joint report of the secretariats in UNEP/MC/COP.4/INF/17.",
        ),
    ],
}

MANDATE_PATH = {
    MandateStatus.NOT_STARTED: [],
    MandateStatus.IN_PROGRESS: [MandateStatus.IN_PROGRESS],
    MandateStatus.IMPLEMENTED: [MandateStatus.IN_PROGRESS, MandateStatus.IMPLEMENTED],
    MandateStatus.REPORTED: [MandateStatus.IN_PROGRESS, MandateStatus.IMPLEMENTED, MandateStatus.REPORTED],
}


def _person(first, last, cache):
    """A fictional member, without a usable password: only bureau@demo.mercury.test signs in."""
    if first is None:
        return User.objects.get(email=DEMO_MEMBER)
    key = (first, last)
    if key not in cache:
        slug = f"{first}.{last}".lower().replace(" ", "-")
        slug = slug.encode("ascii", "ignore").decode() or "member"
        email = f"bureau.{slug}@demo.mercury.test"
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(email=email, password=None, first_name=first, last_name=last)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            user.groups.add(Group.objects.get(name=roles.BUREAU_MEMBER))
        cache[key] = user
    return cache[key]


def _load_terms(meetings, staff):
    body = body_ensure(kind=BodyKind.COP_BUREAU)
    body_ensure(kind=BodyKind.COMPLIANCE_COMMITTEE)
    countries = {c.iso3: c for c in Country.objects.all()}
    people = {}
    terms = []
    for elected, closing, start, end, seats in TERMS:
        term = Term.objects.filter(body=body, start_date=start).first()
        if term is None:
            term = term_create(
                body=body, elected_at=meetings.get(elected), ends_at=meetings.get(closing),
                start_date=start, end_date=end, by=staff,
            )  # fmt: skip
            for office, iso3, first, last in seats:
                membership_add(
                    term=term,
                    user=_person(first, last, people),
                    country=countries[iso3],
                    office=office,
                    by=staff,
                )
        terms.append(term)
    first_term = terms[0]
    iso3, on, first, last, note = REPLACEMENT
    outgoing = Membership.objects.filter(term=first_term, country__iso3=iso3, replaces__isnull=True).first()
    if outgoing is not None and not hasattr(outgoing, "replaced_by"):
        membership_replace(membership=outgoing, user=_person(first, last, people), on=on, note=note, by=staff)
    return terms


def _load_bureau_meetings(meetings, staff):
    for code, report in BUREAU_MEETINGS.items():
        meeting = meetings.get(code)
        if meeting is None:
            continue
        record = bureau_meeting_ensure(meeting=meeting, by=staff)
        if not meeting.agenda_versions.exists():
            version = agenda_version_create_next(meeting=meeting, by=staff)
            for position, title in enumerate(BUREAU_AGENDA[code], start=1):
                agenda_item_save(
                    item=AgendaItem(version=version, position=position, title_en=title), by=staff
                )
        if record.invitations_sent_at is None:
            bureau_meeting_invite(meeting=meeting, by=staff)
        if not record.report:
            bureau_meeting_report_save(meeting=meeting, report=report, by=staff)
        _load_report(meeting, report, staff)
    f2f = meetings.get("bureau-2018-09")
    if f2f is not None and not Decision.objects.filter(meeting=f2f).exists():
        decision_create(
            meeting=f2f, kind=DecisionKind.BUREAU, number=1, by=staff,
            title_en="Provisional agenda of the second meeting of the Conference of the Parties",
            paragraphs=["Agrees that the secretariat revise the provisional agenda in the light of the comments "
                        "of the members and send the revised version to the Bureau."],
        )  # fmt: skip
        decision_create(
            meeting=f2f, kind=DecisionKind.BUREAU, number=2, by=staff,
            title_en="Organization of work of the second meeting of the Conference of the Parties",
            paragraphs=["Agrees on the organization of work proposed by the secretariat, including the "
                        "regional consultations held in October 2018."],
        )  # fmt: skip


def _report_pdf(meeting, text):
    return html_to_pdf(
        "<html><body style='font-family: sans-serif'>"
        f"<h1 style='font-size:16pt'>Report of the {escape(meeting.title_en)}</h1>"
        f"<p>{escape(meeting.start_date.strftime('%d %B %Y'))}</p><p>{escape(text)}</p>"
        "<p>Demo copy generated by the portal.</p></body></html>"
    )


def _load_report(meeting, text, staff):
    """The report of each Bureau meeting in English; those of 2018 published, as the secretariat
    published them on the Convention's website (the one of December 2017 is left restricted)."""
    report = MeetingReport.objects.filter(meeting=meeting).first()
    if report is None or not report.files.exists():
        meeting_report_file_save(
            meeting=meeting, language=Language.ENGLISH,
            file=ContentFile(_report_pdf(meeting, text), name=f"{meeting.code}-report.pdf"), by=staff,
        )  # fmt: skip
        report = MeetingReport.objects.get(meeting=meeting)
    if meeting.start_date.year == 2018 and report.can_publish:
        meeting_report_publish(report=report, by=staff)


# The Committee's reports, issued as documents of the COP that received them (the secretariat's
# progress reports): published in the languages the demo has them in.
COMMITTEE_REPORTS = {
    "icc-1": ("UNEP/MC/COP.2/11", ("en", "fr", "es")),
    "icc-online-2021": ("UNEP/MC/COP.4/15", ("en",)),
}


def _load_committee_reports(meetings, staff):
    for code, (symbol, languages) in COMMITTEE_REPORTS.items():
        meeting = meetings.get(code)
        if meeting is None or MeetingReport.objects.filter(meeting=meeting).exists():
            continue
        for language in languages:
            pdf = html_to_pdf(
                "<html><body style='font-family: sans-serif'>"
                f"<p style='text-align:right'>{escape(symbol)}</p>"
                f"<h1 style='font-size:16pt'>{escape(meeting.title_en)}: report ({language})</h1>"
                "<p>Demo copy generated by the portal.</p></body></html>"
            )
            meeting_report_file_save(
                meeting=meeting,
                language=language,
                file=ContentFile(pdf, name=f"{code}-{language}.pdf"),
                by=staff,
            )
        meeting_report_update(meeting=meeting, symbol=symbol, by=staff)
        meeting_report_publish(report=MeetingReport.objects.get(meeting=meeting), by=staff)


def _cop2_version(cop2, staff):
    """The COP-2 agenda version to review: the meetings demo's draft if it has one, else a new one
    made through the meetings services."""
    latest = cop2.agenda_versions.order_by("-number").first()
    if latest is not None and latest.status == AgendaStatus.DRAFT:
        version = latest
    else:
        version = agenda_version_create_next(meeting=cop2, by=staff, note="For the Bureau's review.")
    if not version.items.exists():
        for position, (title, subs) in enumerate(COP2_AGENDA, start=1):
            item = agenda_item_save(
                item=AgendaItem(version=version, position=position, title_en=title), by=staff
            )
            for sub_position, sub_title in enumerate(subs, start=1):
                agenda_item_save(
                    item=AgendaItem(version=version, parent=item, position=sub_position, title_en=sub_title),
                    by=staff,
                )
    return version


def _load_review(meetings, staff):
    cop2 = meetings.get("cop-2")
    if cop2 is None or AgendaReview.objects.filter(version__meeting=cop2).exists():
        return
    version = _cop2_version(cop2, staff)
    review = agenda_review_send(
        version=version, by=staff, on=D(2018, 9, 14),
        message="As agreed at the Bureau's meeting of 13 and 14 September, please send your comments on the "
        "provisional agenda so that it can be issued six weeks before the meeting.",
    )  # fmt: skip
    responses = {r.reviewer.email: r.reviewer for r in review.responses.select_related("reviewer")}
    demo = responses.get(DEMO_MEMBER)
    items = list(version.items.select_related("parent"))

    def item_about(*words):
        # The meetings demo may have written the COP-2 agenda itself: find the items by their titles.
        return next((i for w in words for i in items if w.lower() in i.title_en.lower()), None)

    others = [u for email, u in sorted(responses.items()) if email != DEMO_MEMBER]
    c1 = review_comment_add(
        review=review, by=others[0], item=item_about("Basel", "Secretariat"),
        text="Please reflect under this item the secretariat's cooperation with the secretariat of the Basel, "
        "Rotterdam and Stockholm conventions.",
    )  # fmt: skip
    review_comment_answer(
        comment=c1, by=staff,
        answer="Agreed: the annotation will refer to the joint task force and to the joint study of the secretariats.",
    )  # fmt: skip
    review_comment_add(
        review=review, by=others[1], item=item_about("Organization of work"),
        text="The regional consultations of October will need time to report back; please leave room for them "
        "in the organization of work.",
    )  # fmt: skip
    if demo is not None:
        review_comment_add(
            review=review, by=demo,
            text="The agenda is clear. Please circulate the annotated agenda together with the documents.",
        )  # fmt: skip
    agenda_review_respond(review=review, by=others[0], decision=ReviewDecision.APPROVED)
    agenda_review_respond(review=review, by=others[2], decision=ReviewDecision.APPROVED)
    agenda_review_respond(review=review, by=others[1], decision=ReviewDecision.CHANGES_REQUESTED)


def _load_decisions(meetings, staff_by_role):
    cop3, cop4 = meetings.get("cop-3"), meetings.get("cop-4")
    if cop3 is None or cop4 is None:
        return
    for spec in (MC_3_8, MC_3_11):
        if Decision.objects.filter(
            kind=DecisionKind.COP, session=3, number=int(spec["symbol"].split("/")[1])
        ).exists():
            continue
        decision = decision_create(
            meeting=cop3, symbol=spec["symbol"], title_en=spec["title_en"], text=spec["text"],
            paragraphs=spec["paragraphs"], by=staff_by_role["admin"],
        )  # fmt: skip
        for paragraph, description, owner, status, notes in spec["mandates"]:
            mandate = mandate_create(
                decision=decision, paragraph=decision.paragraphs.get(number=paragraph), description=description,
                owner=staff_by_role[owner], due_meeting=cop4, notes=notes, by=staff_by_role["admin"],
            )  # fmt: skip
            # Through the status function step by step, so the history shows the path.
            for step in MANDATE_PATH[status]:
                mandate = mandate_update(mandate=mandate, status=step, by=staff_by_role[owner])


def load():
    meetings = {m.code: m for m in Meeting.objects.all()}
    if not User.objects.filter(email=DEMO_MEMBER).exists() or "cop-1" not in meetings:
        return {}
    admin = User.objects.filter(email="admin@demo.mercury.test").first()
    documents = User.objects.filter(email="documents@demo.mercury.test").first() or admin
    _load_terms(meetings, admin)
    _load_bureau_meetings(meetings, admin)
    _load_committee_reports(meetings, admin)
    _load_review(meetings, admin)
    _load_decisions(meetings, {"admin": admin, "documents": documents})
    return {
        "Bureau terms": Term.objects.count(),
        "memberships": Membership.objects.count(),
        "Bureau meetings": BureauMeeting.objects.count(),
        "agenda reviews": AgendaReview.objects.count(),
        "decisions": Decision.objects.count(),
        "meeting reports published": MeetingReport.objects.filter(status=ReportStatus.PUBLISHED).count(),
    }
