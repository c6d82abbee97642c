from django.urls import path

from . import views

app_name = "bureau"

urlpatterns = [
    path("", views.home, name="home"),
    path("composition/", views.composition, name="composition"),
    path("terms/<int:pk>/", views.term_detail, name="term"),
    path("reviews/", views.review_list, name="reviews"),
    path("reviews/send/", views.review_send, name="review_send"),
    path("reviews/<int:pk>/", views.review_detail, name="review"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<slug:code>/", views.meeting_detail, name="meeting"),
    path("meetings/<slug:code>/report-file/", views.meeting_report_file, name="meeting_report_file"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<slug:code>/", views.report_detail, name="report"),
    path("reports/<slug:code>/<slug:language>/", views.report_file, name="report_file"),
    path("decisions/", views.decision_list, name="decisions"),
    path("decisions/new/", views.decision_new, name="decision_new"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("mandates/<int:pk>/", views.mandate_update, name="mandate_update"),
]
