"""Writes of the api app: creating and revoking personal tokens, and logging each use."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minamata_portal.params import text_problem

from ..enums import TokenScope
from ..models import ApiToken, ApiTokenUse

# Marks a string as a portal token (secret scanners, log filters); not a secret itself.
TOKEN_PREFIX = "mcp_"  # noqa: S105


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def api_token_create(*, owner, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `owner`: the row, and the token itself (shown once, never stored)."""
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Give the token a name that says what it is for.")
    elif text_problem(name) or len(name) > 100:
        errors["name"] = _("The name must be plain text of at most 100 characters.")
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose read or read and write.")
    if errors:
        raise ValidationError(errors)
    if not owner.has_perm("api.manage_tokens"):
        raise PermissionDenied
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        owner=owner, name=name, scope=scope, prefix=raw[:12], key_hash=token_hash(raw)
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke at once: the next request with it is refused. Revoking twice changes nothing."""
    if not by.has_perm("api.revoke_token", token):
        raise PermissionDenied
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    token.refresh_from_db()
    return token


def api_token_use_record(*, token_id: int, method: str, path: str, status: int, client: str = "") -> None:
    """Log one request made with the token and mark it used. Called after the response, outside
    the request's transaction, so refused requests (403, 429) are logged too."""
    now = timezone.now()
    ApiTokenUse.objects.create(
        token_id=token_id, method=method[:10], path=path[:300], status=status, client=client[:64]
    )
    ApiToken.objects.filter(pk=token_id).exclude(last_used__gt=now).update(last_used=now)


def api_token_uses_prune(*, now=None) -> int:
    """Delete the log of token uses older than API_TOKEN_USE_RETENTION_DAYS (run daily by beat);
    the number deleted."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.API_TOKEN_USE_RETENTION_DAYS)
    deleted, _by_model = ApiTokenUse.objects.filter(at__lt=cutoff).delete()
    return deleted
