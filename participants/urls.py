from django.urls import path

from . import views

app_name = "participants"

urlpatterns = [
    path("mine/", views.my_registrations, name="mine"),
    path("register/<slug:code>/", views.meeting_register, name="register"),
    path("registrations/<int:pk>/edit/", views.registration_edit, name="edit"),
    path("registrations/<int:pk>/withdraw/", views.registration_withdraw, name="withdraw"),
    path("requests/<int:pk>/accept/", views.registration_request_accept, name="request_accept"),
    path("requests/<int:pk>/refuse/", views.registration_request_refuse, name="request_refuse"),
    path("observers/<slug:code>/apply/", views.observer_apply, name="observer_apply"),
    path("focal-point/", views.focal_point_home, name="fp_home"),
    path("language/", views.correspondence_language_set, name="correspondence_language"),
    path("focal-point/invitation/<str:token>/", views.focal_point_accept, name="focal_point_accept"),
    path("focal-point/<slug:code>/<str:iso3>/", views.focal_point_state, name="fp_state"),
    path(
        "focal-point/<slug:code>/<str:iso3>/pre-register/",
        views.focal_point_pre_register,
        name="fp_pre_register",
    ),
    path("focal-point/registrations/<int:pk>/nominate/", views.focal_point_nominate, name="fp_nominate"),
    path(
        "focal-point/requests/<int:pk>/withdraw/",
        views.focal_point_request_withdraw,
        name="fp_request_withdraw",
    ),
    path("focal-point/registrations/<int:pk>/decline/", views.focal_point_decline, name="fp_decline"),
    path("focal-point/registrations/<int:pk>/mode/", views.focal_point_change_mode, name="fp_mode"),
    path("nomination-letters/<int:pk>/", views.nomination_letter_download, name="nomination_letter"),
    path("registrations/<int:pk>/photo/", views.badge_photo_upload, name="badge_photo_upload"),
    path("registrations/<int:pk>/photo.jpg", views.badge_photo, name="badge_photo"),
    path("registrations/<int:pk>/photo/remove/", views.badge_photo_remove, name="badge_photo_remove"),
    path("staff/registrations/<int:pk>/badge/issue/", views.badge_issue, name="badge_issue"),
    path("staff/registrations/<int:pk>/badge.pdf", views.badge, name="badge"),
    path("staff/<slug:code>/badges/issue/", views.badges_issue, name="badges_issue"),
    path("staff/<slug:code>/badges.pdf", views.badges_batch, name="badges"),
    path("staff/<slug:code>/", views.staff_meeting, name="staff_meeting"),
    path("staff/<slug:code>/check-in/", views.check_in, name="check_in"),
    path("staff/<slug:code>/attendance/", views.attendance, name="attendance"),
    path("staff/<slug:code>/attendance/import/", views.attendance_import, name="attendance_import"),
    path("staff/<slug:code>/attendance/record/", views.attendance_record, name="attendance_record"),
    path("staff/<slug:code>/online-details/send/", views.online_details_send, name="online_details_send"),
    path("staff/<slug:code>/statistics/", views.statistics, name="statistics"),
    path("staff/<slug:code>/statistics.xlsx", views.statistics_xlsx, name="statistics_xlsx"),
    path("staff/<slug:code>/list-of-participants/", views.list_of_participants, name="list"),
    path("staff/<slug:code>/list-of-participants.pdf", views.list_of_participants_pdf, name="list_pdf"),
    path("staff/<slug:code>/list-of-participants.xlsx", views.list_of_participants_xlsx, name="list_xlsx"),
    path("staff/<slug:code>/funding/", views.funding_overview, name="funding"),
    path("staff/<slug:code>/funding.xlsx", views.funding_overview_xlsx, name="funding_xlsx"),
    path("staff/<slug:code>/visa-requests/", views.visa_requests, name="visa_requests"),
    path(
        "staff/<slug:code>/visa-requests/<int:pk>/approve/", views.visa_request_approve, name="visa_approve"
    ),
    path("staff/<slug:code>/visa-requests/<int:pk>/refuse/", views.visa_request_refuse, name="visa_refuse"),
    path("registrations/<int:pk>/visa/", views.visa_request, name="visa"),
    path("staff/<slug:code>/credentials/", views.credentials_report, name="credentials"),
    path("staff/<slug:code>/credentials.pdf", views.credentials_report_pdf, name="credentials_pdf"),
]
