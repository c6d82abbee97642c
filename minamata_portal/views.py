from django.shortcuts import render

from meetings.selectors import meetings_recent, meetings_upcoming

from .access import public


@public
def home(request):
    return render(
        request,
        "home.html",
        {"upcoming": meetings_upcoming(limit=6), "recent": meetings_recent(limit=6)},
    )
