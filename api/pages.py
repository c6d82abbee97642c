"""The page where a staff member or focal point makes and revokes their personal API tokens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from minamata_portal.access import load_or_404, rule_required
from minamata_portal.forms import form_add_service_errors

from . import selectors
from .forms import TokenForm
from .services.tokens import api_token_create, api_token_revoke


@never_cache
@rule_required("api.manage_tokens")
def tokens(request):
    """GET lists the user's tokens; POST makes one and shows it, this once (it is not stored)."""
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                owner=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"]
            )
        except ValidationError as exc:
            form_add_service_errors(form, exc)
        else:
            created = {"token": token, "raw": raw}
            form = TokenForm()
    status = 400 if request.method == "POST" and created is None else 200
    return render(
        request,
        "api/tokens.html",
        {"form": form, "created": created, "tokens": selectors.api_tokens_of(user=request.user)},
        status=status,
    )


@require_POST
@rule_required("api.revoke_token", load=load_or_404(selectors.api_token_by_pk), hide=True)
def token_revoke(request, token, pk):
    api_token_revoke(token=token, by=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
