from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from letters import views as letters_views

from . import views

# The admin signs in through allauth, so its login has the same rate limits and two-factor
# step as the site's.
admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = _("Minamata COP Portal – Secretariat")
admin.site.site_title = _("Minamata COP Portal")
admin.site.index_title = _("Secretariat administration")

# A query parameter or path argument the portal cannot use answers 400 with its message.
handler400 = "minamata_portal.params.bad_request"

urlpatterns = [
    path("", views.home, name="home"),
    # /healthz, /readyz and /metrics (operations).
    path("", include("operations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # The older JSON feeds (/meetings/upcoming.json, /documents/meetings/<code>/documents.json,
    # /bureau/decisions.json): the API's lists at their old addresses (api/legacy.py).
    path("", include("api.legacy")),
    path("meetings/", include("meetings.urls")),
    path("participants/", include("participants.urls")),
    path("documents/", include("documents.urls")),
    path("bureau/", include("bureau.urls")),
    path("letters/", include("letters.urls")),
    path("calls/", include("calls.urls")),
    path("expert-groups/", include("expertgroups.urls")),
    # The REST API (/api/v1/) and the page where its personal tokens are made.
    path("api/", include("api.urls")),
    # Printed on every letter (and its QR code): short, for embassies checking a letter.
    path("verify/<str:code>", letters_views.verify, name="verify"),
]
