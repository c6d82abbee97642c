from minamata_portal.ratelimit import client_ip

from .services.tokens import api_token_use_record


class TokenUseLogMiddleware:
    """Logs every request made with a personal token, with its answer. A middleware, because the
    view runs inside the request's transaction, which a refused request rolls back. The path is
    logged without its query string; uses older than API_TOKEN_USE_RETENTION_DAYS are deleted daily
    (api.tasks.api_token_uses_prune)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token_id = getattr(request, "api_token_id", None)
        if token_id is not None:
            api_token_use_record(
                token_id=token_id,
                method=request.method,
                path=request.path,  # never the query string: it may carry names and e-mails
                status=response.status_code,
                client=client_ip(request),
            )
        return response
