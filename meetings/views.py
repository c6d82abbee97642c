from django.shortcuts import get_object_or_404, render

from .enums import MeetingKind
from .models import Meeting
from .selectors import meeting_list as select_meetings


def meeting_list(request):
    kind = request.GET.get("kind") or None
    if kind not in MeetingKind.values:
        kind = None
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": select_meetings(kind=kind, year=year), "kinds": MeetingKind.choices, "kind": kind},
    )


def meeting_detail(request, code):
    meeting = get_object_or_404(Meeting.objects.select_related("country", "parent"), code=code)
    return render(request, "meetings/meeting_detail.html", {"meeting": meeting})
