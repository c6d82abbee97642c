from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from minamata_portal.access import public, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.ratelimit import over_limit
from minamata_portal.uploads import FileKind

from .models import Letter
from .selectors import letter_for_verification, letters_for_user


def _over_verify_limit(request) -> bool:
    """Enough for an embassy checking letters by hand, far too few to walk the code space (which
    is 2^192 anyway)."""
    limit = getattr(settings, "LETTERS_VERIFY_PER_MINUTE", 30)
    return over_limit(request, scope="letters-verify", limit=limit, seconds=60)


@public
@require_GET
@never_cache
def verify(request, code):
    if _over_verify_limit(request):
        return render(request, "letters/verify_limited.html", status=429)
    letter = letter_for_verification(code=code)
    if letter is None or not letter.sha256:
        return render(request, "letters/verify_not_found.html", status=404)
    return render(request, "letters/verify.html", {"letter": letter})


@rule_required("letters.view_own_letters")
def my_letters(request):
    return render(request, "letters/my_letters.html", {"letters": letters_for_user(user=request.user)})


def _letter(request, pk):
    return get_object_or_404(Letter.objects.select_related("meeting"), pk=pk)


# Someone else's letter is "not found", not "forbidden": its existence is not disclosed.
@rule_required("letters.download_letter", load=_letter, hide=True)
def download(request, letter, pk):
    if not letter.pdf:
        raise Http404
    # A PDF the portal rendered: served by the helper every stored file goes out through. Every
    # letter is addressed to a person, and a visa letter prints a passport number: never cached.
    return stored_file_response(
        letter.pdf, kind=FileKind.PDF, name=letter.reference.replace("/", "-"), personal=True
    )
