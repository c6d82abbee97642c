"""iCalendar (RFC 5545) feeds (the JSON list of upcoming meetings is the API's: api/legacy.py).

UIDs are built from primary keys and the site's host, so they survive a change of code or title
and a subscribed client updates the event instead of adding a second one. DTSTAMP is the time the
record last changed. Meetings are all-day events (VALUE=DATE, DTEND the day after the last day, as
RFC 5545 makes it exclusive); programme sessions carry the venue's TZID with its VTIMEZONE."""

import datetime as dt
from urllib.parse import urlparse

from django.conf import settings
from django.utils import translation
from icalendar import Calendar, Event

from .enums import MeetingStatus

PRODID = "-//Secretariat of the Minamata Convention on Mercury//Meetings portal//EN"

ICAL_STATUS = {
    MeetingStatus.CANCELLED: "CANCELLED",
    MeetingStatus.POSTPONED: "TENTATIVE",
    MeetingStatus.PLANNED: "TENTATIVE",
}


def _site():
    return settings.SITE_URL.rstrip("/")


def _uid_domain():
    return urlparse(settings.SITE_URL).hostname or "minamata-portal"


def meeting_uid(meeting) -> str:
    return f"meeting-{meeting.pk}@{_uid_domain()}"


def session_uid(session) -> str:
    return f"session-{session.pk}@{_uid_domain()}"


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    return calendar


def _location(meeting) -> str:
    parts = [meeting.venue, meeting.city, meeting.country.name_en if meeting.country_id else ""]
    return ", ".join(p for p in parts if p) or meeting.get_mode_display()


def meetings_calendar(meetings, *, name: str) -> bytes:
    with translation.override("en"):
        calendar = _calendar(name)
        for meeting in meetings:
            event = Event()
            event.add("uid", meeting_uid(meeting))
            event.add("dtstamp", meeting.modified.astimezone(dt.UTC))
            event.add("dtstart", meeting.start_date)  # a date: VALUE=DATE, an all-day event
            event.add("dtend", meeting.end_date + dt.timedelta(days=1))
            event.add("summary", meeting.title_en)
            event.add("location", _location(meeting))
            event.add("url", _site() + meeting.get_absolute_url())
            event.add("status", ICAL_STATUS.get(meeting.status, "CONFIRMED"))
            event.add("categories", [meeting.get_kind_display()])
            description = [meeting.get_kind_display(), meeting.get_mode_display()]
            if meeting.symbol_prefix:
                description.append(meeting.symbol_prefix)
            event.add("description", " · ".join(description))
            calendar.add_component(event)
        return calendar.to_ical()


def programme_calendar(meeting, sessions) -> bytes:
    with translation.override("en"):
        calendar = _calendar(f"{meeting.title_en}: programme")
        calendar.add("x-wr-timezone", meeting.time_zone)
        for session in sessions:
            event = Event()
            event.add("uid", session_uid(session))
            event.add("dtstamp", session.modified.astimezone(dt.UTC))
            event.add("dtstart", session.local_starts)
            event.add("dtend", session.local_ends)
            event.add("summary", session.title_en)
            if session.room:
                event.add("location", ", ".join(p for p in [session.room, meeting.venue, meeting.city] if p))
            event.add("categories", [session.get_kind_display()])
            event.add("url", _site() + meeting.get_absolute_url() + "programme/")
            if session.description:
                event.add("description", session.description)
            calendar.add_component(event)
        calendar.add_missing_timezones(
            first_date=meeting.start_date - dt.timedelta(days=366),
            last_date=meeting.end_date + dt.timedelta(days=366),
        )
        return calendar.to_ical()
