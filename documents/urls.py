from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("", views.search, name="search"),
    path("d/<int:pk>/", views.document_detail, name="detail"),
    path("d/<int:pk>/supplement/", views.document_supplement, name="supplement"),
    path("d/<int:pk>/<slug:language>/", views.document_download, name="download"),
    path("meetings/<slug:code>/", views.meeting_documents, name="meeting"),
    path("meetings/<slug:code>/processing/", views.processing_dashboard, name="processing"),
    path("meetings/<slug:code>/processing.xlsx", views.processing_export, name="processing_xlsx"),
    path("meetings/<slug:code>/milestones/", views.milestones_dashboard, name="milestones"),
    path("meetings/<slug:code>/milestones.xlsx", views.milestones_export, name="milestones_xlsx"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/target/", views.version_set_target, name="version_target"),
    path("versions/<int:pk>/transition/", views.version_transition, name="version_transition"),
    path("files/<int:pk>/", views.file_download, name="file"),
    path("calls/<int:pk>/compilation/", views.call_compilation, name="call_compilation"),
    path("submission-files/<int:pk>/", views.submission_file_download, name="submission_file"),
]
