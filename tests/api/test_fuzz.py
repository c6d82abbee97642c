"""The API fuzzed from its own OpenAPI schema (schemathesis) against a live test server on
PostgreSQL: no server error, and every answer matches the schema (status, content type, body)."""

import datetime as dt

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.enums import TokenScope
from api.services.tokens import api_token_create
from bureau.enums import DecisionStatus
from bureau.models import Decision, DecisionParagraph, Mandate
from documents.enums import Language
from meetings.enums import AgendaStatus
from participants.enums import RegistrationStatus
from tests.documents.factories import publish, register
from tests.factories import AgendaItemFactory, AgendaVersionFactory, StaffFactory, country
from tests.participants.factories import RegistrationFactory, open_meeting

EXAMPLES_PER_OPERATION = 40
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def portal_data(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.API_REQUESTS_PER_MINUTE = settings.API_TOKEN_REQUESTS_PER_MINUTE = 10**6
    cop = open_meeting(code="cop-4", number=4, symbol_prefix="UNEP/MC/COP.4")
    version = AgendaVersionFactory(meeting=cop, number=1, status=AgendaStatus.ISSUED)
    item = AgendaItemFactory(version=version, position=4, title_en="Matters for action")
    for n in range(3):
        document = publish(register(cop, title_en=f"Note {n}"), languages=(Language.ENGLISH, Language.FRENCH))
        document.agenda_items.add(item)
    decision = Decision.objects.create(
        meeting=cop,
        session=4,
        number=1,
        status=DecisionStatus.ADOPTED,
        title_en="Decision",
        adopted_on=dt.date(2022, 3, 25),
    )
    Mandate.objects.create(
        decision=decision,
        paragraph=DecisionParagraph.objects.create(decision=decision, number=1, text="Requests"),
        description="Report",
    )
    for n in range(3):
        RegistrationFactory(
            meeting=cop, country=country("ZMB"), status=RegistrationStatus.NOMINATED, last_name=f"D{n}"
        )
    return cop


def _fuzz(live_server, headers):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/schema/?format=json")
    figures = {"operations": 0, "examples": 0, "failures": []}
    for result in schema.get_all_operations():
        operation = result.ok()
        figures["operations"] += 1

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            figures["examples"] += 1
            response = case.call(base_url=live_server.url, headers=headers)
            try:
                case.validate_response(response, checks=CHECKS)
            except (Exception, BaseExceptionGroup) as failure:  # collected, then shown together
                figures["failures"].append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: {failure}"
                )

        run()
    return figures


@pytest.mark.django_db(transaction=True)
def test_the_api_fuzzed_from_its_schema_answers_no_server_error_and_matches_the_schema(
    live_server, portal_data
):
    staff = StaffFactory(roles=["Secretariat administrator"])
    _token, raw = api_token_create(owner=staff, name="fuzz", scope=TokenScope.READ_WRITE)
    visitor = _fuzz(live_server, headers={})
    secretariat = _fuzz(live_server, headers={"Authorization": f"Bearer {raw}"})
    for name, figures in (("visitor", visitor), ("secretariat token", secretariat)):
        print(
            f"\nschemathesis as {name}: {figures['operations']} operations, {figures['examples']} examples, "
            f"{len(figures['failures'])} failures"
        )
    failures = visitor["failures"] + secretariat["failures"]
    assert failures == [], "\n".join(failures[:20])
    assert visitor["operations"] == 13 and visitor["examples"] >= 13 * 5
