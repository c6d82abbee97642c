from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from minamata_portal.access import public

from . import pages, views

app_name = "api"


class SwaggerView(SpectacularSwaggerSplitView):
    # Swagger UI from the portal's own static files (drf-spectacular-sidecar), its start-up script
    # served as a file: the Content-Security-Policy allows no inline script and no other origin.
    template_name = "api/swagger_ui.html"


urlpatterns = [
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    path("v1/schema/", public(SpectacularAPIView.as_view()), name="schema"),
    path("v1/docs/", public(SwaggerView.as_view(url_name="api:schema")), name="docs"),
    path("v1/meetings/", views.MeetingList.as_view(), name="meetings"),
    path("v1/meetings/<slug:code>/", views.MeetingDetail.as_view(), name="meeting"),
    path("v1/meetings/<slug:code>/registrations/", views.RegistrationList.as_view(), name="registrations"),
    path("v1/meetings/<slug:code>/participants/", views.ParticipantList.as_view(), name="participants"),
    path("v1/documents/", views.DocumentList.as_view(), name="documents"),
    path("v1/documents/<int:pk>/", views.DocumentDetail.as_view(), name="document"),
    path("v1/decisions/", views.DecisionList.as_view(), name="decisions"),
    path("v1/decisions/<int:pk>/", views.DecisionDetail.as_view(), name="decision"),
    path("v1/parties/", views.PartyList.as_view(), name="parties"),
    path("v1/registrations/<int:pk>/", views.RegistrationDetail.as_view(), name="registration"),
    path("v1/registrations/<int:pk>/accredit/", views.RegistrationAccredit.as_view(), name="accredit"),
    path("v1/registrations/<int:pk>/decline/", views.RegistrationDecline.as_view(), name="decline"),
    path("v1/letters/", views.LetterList.as_view(), name="letters"),
]
