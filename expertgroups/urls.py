from django.urls import path

from . import views

app_name = "expertgroups"
urlpatterns = [
    path("", views.group_list, name="list"),
    path("<int:pk>/", views.group_detail, name="detail"),
    path("<int:pk>/drafts/", views.group_drafts, name="drafts"),
    path("mine/", views.my_groups, name="mine"),
    path("nominate/", views.nominate, name="nominate"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="nomination_withdraw"),
    path("drafts/<int:pk>/", views.draft_detail, name="draft"),
    path("drafts/<int:pk>/file/", views.draft_file, name="draft_file"),
    path("drafts/<int:pk>/comments/", views.draft_comments, name="draft_comments"),
]
