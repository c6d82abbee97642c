from django.shortcuts import render

from meetings.selectors import meetings_recent, meetings_upcoming

from .access import public
from .publiccache import cached_for_visitors


@public
@cached_for_visitors
def home(request):
    return render(
        request,
        "home.html",
        {"upcoming": meetings_upcoming(limit=6), "recent": meetings_recent(limit=6)},
    )
