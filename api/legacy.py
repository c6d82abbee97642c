"""The older JSON feeds, served by the API's lists.

`/meetings/upcoming.json`, `/documents/meetings/<code>/documents.json` and `/bureau/decisions.json`
were each written in their own shape. They are now the API's list views mounted at the old
addresses, with the query the address stands for fixed (`fixed_query`): the same serializer, filters,
paging, rate limit and ETag. The body is byte for byte the API's for the same query,
its links to other pages included (they point at the API's address), so the ETag is the API's too.

They sit here, not in meetings, documents and bureau, because those apps stand below the API; the
project's urls.py mounts `urlpatterns` at the root. They stay out of the OpenAPI schema (`schema =
None`): the schema documents each operation once, at its API address."""

from django.urls import path, reverse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from bureau.enums import DecisionKind, DecisionStatus

from . import views
from .pagination import PortalPagination


class ApiAddressPagination(PortalPagination):
    """The API's paging, with `next` and `previous` at the API's address and equivalent query."""

    def paginate_queryset(self, queryset, request, view=None):
        self.api_url = request.build_absolute_uri(
            f"{reverse(view.api_url_name)}?{request.query_params.urlencode()}"
        )
        return super().paginate_queryset(queryset, request, view)

    def get_next_link(self):
        if not self.page.has_next():
            return None
        return replace_query_param(self.api_url, self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        number = self.page.previous_page_number()
        if number == 1:
            return remove_query_param(self.api_url, self.page_query_param)
        return replace_query_param(self.api_url, self.page_query_param, number)


class Alias:
    """An API list view answering at an older address: `fixed_query(**url_arguments)` gives the
    parameters the address stands for; they replace any of the same name the client sends, and
    the client's other parameters (paging, the list's other filters) are read as the API reads them."""

    api_url_name: str
    schema = None  # not in the OpenAPI schema: the API's own address is
    pagination_class = ApiAddressPagination

    def fixed_query(self, **url_arguments) -> dict[str, str]:
        raise NotImplementedError

    def initial(self, request, *args, **kwargs):
        query = request._request.GET.copy()
        for name, value in self.fixed_query(**kwargs).items():
            query[name] = value
        query._mutable = False
        request._request.GET = query
        super().initial(request, *args, **kwargs)


class UpcomingMeetings(Alias, views.MeetingList):
    """`/meetings/upcoming.json`: `/api/v1/meetings/?upcoming=true`."""

    api_url_name = "api:meetings"

    def fixed_query(self):
        return {"upcoming": "true"}


class MeetingDocuments(Alias, views.DocumentList):
    """`/documents/meetings/<code>/documents.json`: `/api/v1/documents/?meeting=<code>`."""

    api_url_name = "api:documents"

    def fixed_query(self, code):
        return {"meeting": code}

    def get(self, request, code):
        return super().get(request)


class AdoptedDecisions(Alias, views.DecisionList):
    """`/bureau/decisions.json` (adopted COP decisions, for everyone, as it always listed):
    `/api/v1/decisions/?kind=cop&status=adopted`."""

    api_url_name = "api:decisions"

    def fixed_query(self):
        return {"kind": DecisionKind.COP.value, "status": DecisionStatus.ADOPTED.value}


app_name = "legacy"

urlpatterns = [
    path("meetings/upcoming.json", UpcomingMeetings.as_view(), name="upcoming_json"),
    path(
        "documents/meetings/<slug:code>/documents.json",
        MeetingDocuments.as_view(),
        name="meeting_documents_json",
    ),
    path("bureau/decisions.json", AdoptedDecisions.as_view(), name="decisions_json"),
]
