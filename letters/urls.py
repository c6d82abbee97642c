from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.my_letters, name="mine"),
    path("<int:pk>/pdf/", views.download, name="download"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
