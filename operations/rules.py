"""Who may see the machinery. The role table (`accounts/roles.py`) gives the secretariat
administrator the operations permissions; the metrics endpoint also answers a scraper that
presents METRICS_TOKEN."""

import hmac

import rules
from django.conf import settings

from accounts.rules import holds, is_secretariat


@rules.predicate
def presents_metrics_token(user, request):
    expected = getattr(settings, "METRICS_TOKEN", "")
    if not expected or request is None:
        return False
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode(), f"Bearer {expected}".encode())


# Rule names differ from the model permissions they hold: the same name would ask itself.
rules.add_perm("operations.open_status_page", is_secretariat & holds("operations.view_status"))
rules.add_perm("operations.retry_failed_item", is_secretariat & holds("operations.retry_failed"))
rules.add_perm(
    "operations.read_metrics", presents_metrics_token | (is_secretariat & holds("operations.view_metrics"))
)
