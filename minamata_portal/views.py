from django.db import connection
from django.http import JsonResponse
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


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
