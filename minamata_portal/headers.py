"""Response headers Django and django-csp do not set themselves.

Permissions-Policy turns off the browser features the portal never uses, so that a page (or a
script that got into one) cannot ask for the camera, the microphone, the location or a payment.
The features come from settings.PERMISSIONS_POLICY: a feature mapped to an empty list is denied
to every origin (`camera=()`); `"self"` in the list allows the portal's own pages.
"""

from django.conf import settings

HEADER = "Permissions-Policy"


def permissions_policy_value(policy):
    """`{"camera": [], "fullscreen": ["self"]}` → `camera=(), fullscreen=(self)`."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy to every response that has none yet."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.value = permissions_policy_value(getattr(settings, "PERMISSIONS_POLICY", {}))

    def __call__(self, request):
        response = self.get_response(request)
        if self.value:
            response.headers.setdefault(HEADER, self.value)
        return response
