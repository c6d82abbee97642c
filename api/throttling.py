from django.conf import settings
from django.utils import timezone
from rest_framework.throttling import BaseThrottle

from minamata_portal.ratelimit import over_limit

from .models import ApiToken


class PortalRateThrottle(BaseThrottle):
    """The pages' fixed-window counter in the shared cache (minamata_portal/ratelimit.py): per
    client address for visitors, per token for tokens (whatever address it is used from), per
    minute."""

    window = 60

    def allow_request(self, request, view):
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            return not over_limit(
                request,
                scope="api-token",
                ident=str(token.pk),
                limit=settings.API_TOKEN_REQUESTS_PER_MINUTE,
                seconds=self.window,
            )
        return not over_limit(
            request, scope="api", limit=settings.API_REQUESTS_PER_MINUTE, seconds=self.window
        )

    def wait(self):
        now = timezone.now().timestamp()
        return self.window - (now % self.window)
