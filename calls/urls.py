from django.urls import path

from . import views

app_name = "calls"

urlpatterns = [
    path("", views.mine, name="mine"),
    path("<int:pk>/state/<str:code>/", views.answer_for_country, name="answer_country"),
    path(
        "<int:pk>/organisation/<int:organisation>/", views.answer_for_organisation, name="answer_organisation"
    ),
    path("files/<int:pk>/", views.answer_file, name="answer_file"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/new/", views.staff_create, name="staff_create"),
    path("staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/send/", views.staff_send, name="staff_send"),
    path("staff/<int:pk>/remind/", views.staff_remind, name="staff_remind"),
    path("staff/<int:pk>/reminders/", views.staff_schedule_reminder, name="staff_schedule_reminder"),
    path("staff/<int:pk>/compile/", views.staff_compile, name="staff_compile"),
    path("staff/answers/<int:pk>/accept/", views.staff_accept, name="staff_accept"),
    path("staff/answers/<int:pk>/return/", views.staff_return, name="staff_return"),
]
