from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar.ics", views.calendar_all, name="calendar"),
    path("calendar/<slug:kind>.ics", views.calendar_kind, name="calendar_kind"),
    path("side-events/<int:pk>/review/", views.side_event_review, name="side_event_review"),
    path("series/", views.series_list, name="series_list"),
    path("series/<slug:code>/", views.series_detail, name="series"),
    path("<slug:code>/", views.meeting_detail, name="detail"),
    path("<slug:code>/information/", views.participant_information, name="information"),
    path(
        "<slug:code>/information/files/<int:pk>/",
        views.participant_information_file,
        name="information_file",
    ),
    path("<slug:code>/materials/<int:pk>/", views.material_file, name="material_file"),
    path("<slug:code>/agenda/", views.agenda, name="agenda"),
    path("<slug:code>/agenda/<int:number>/", views.agenda, name="agenda_version"),
    path("<slug:code>/programme/", views.programme, name="programme"),
    path("<slug:code>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("<slug:code>/programme.ics", views.programme_ics, name="programme_ics"),
    path("<slug:code>/side-events/", views.side_event_list, name="side_events"),
    path("<slug:code>/side-events/request/", views.side_event_request, name="side_event_request"),
    path("<slug:code>/side-events/requested/", views.side_event_requested, name="side_event_requested"),
    path("<slug:code>/side-events/review/", views.side_event_review_list, name="side_event_review_list"),
]
