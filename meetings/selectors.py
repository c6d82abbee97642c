import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from .models import Meeting


def meeting_list(*, kind: str | None = None, year: int | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("country", "parent")
    if kind:
        qs = qs.filter(kind=kind)
    if year:
        qs = qs.filter(start_date__year=year)
    return qs.order_by("-start_date", "code")


def meetings_upcoming(*, limit: int = 10, today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    return list(meeting_list().filter(end_date__gte=today).order_by("start_date")[:limit])


def meetings_recent(*, limit: int = 10, today: dt.date | None = None) -> list[Meeting]:
    today = today or timezone.localdate()
    return list(meeting_list().filter(end_date__lt=today)[:limit])
