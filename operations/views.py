"""/healthz, /readyz and /metrics. The first two are public (load balancers and orchestrators
ask them without signing in) and say nothing about anyone nor about the machinery's internals:
states and timings (staff holding the status page's permission also see messages and details)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from minamata_portal.access import public, rule_required

from .health import cached_readiness_report, public_report, readiness_report
from .metrics import exposition


@public
@never_cache
def healthz(request):
    """Liveness: the process answers. Nothing else is asked, so a database or Redis outage does
    not get every web process restarted (readiness takes them out of the balancer instead)."""
    return JsonResponse({"status": "ok"})


@public
@never_cache
def readyz(request):
    """Readiness. Anyone (a load balancer) gets each check's state and timing, from a report
    at most a few seconds old; staff who may open the status page get it fresh with every
    check's message and detail (errors, worker names, backlog figures)."""
    if request.user.has_perm("operations.open_status_page"):
        ready, report = readiness_report()
    else:
        ready, report = cached_readiness_report()
        report = public_report(report)
    return JsonResponse(report, status=200 if ready else 503)


def _the_request(request, *args, **kwargs):
    """The metrics rule's object: the request itself (its bearer token), not a stored row."""
    return request


@rule_required("operations.read_metrics", load=_the_request, anonymous=True, hide=True)
@never_cache
def metrics(request, _request):
    """Prometheus's text format, for a scraper presenting `Authorization: Bearer <METRICS_TOKEN>`
    or staff holding the metrics permission; anyone else gets 404."""
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
