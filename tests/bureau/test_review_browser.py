import pytest
from django.core.management import call_command
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from bureau.enums import ReviewDecision
from bureau.models import ReviewComment, ReviewResponse
from bureau.services import agenda_review_send
from reference.models import Country
from tests.browser_helpers import sign_in, wait_for


@pytest.fixture
def reference_data(transactional_db):
    """An earlier transactional test may have emptied the tables without loading them again."""
    if not Country.objects.exists():
        call_command("load_reference_data", verbosity=0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_comments_on_item_and_approves_then_staff_sees_it(
    reference_data, browser, live_server, current_bureau, cop_agenda, staff
):
    _term, members = current_bureau
    review = agenda_review_send(version=cop_agenda, by=staff)
    member = members[3].user
    item = cop_agenda.items.get(parent__isnull=False, position=1)  # 4 (a)

    sign_in(browser, live_server, member)
    browser.get(live_server.url + "/bureau/")
    browser.find_element(By.CSS_SELECTOR, f"a[href='{review.get_absolute_url()}']").click()
    Select(browser.find_element(By.NAME, "item")).select_by_value(str(item.pk))
    browser.find_element(By.NAME, "text").send_keys("Please place waste thresholds before interim storage.")
    browser.find_element(By.CSS_SELECTOR, "#comment-form button[type=submit]").click()
    wait_for(browser, lambda b: b.find_elements(By.CSS_SELECTOR, f"#item-{item.pk} .review-comment"))
    Select(browser.find_element(By.NAME, "decision")).select_by_value(ReviewDecision.APPROVED)
    browser.find_element(By.CSS_SELECTOR, "#respond-form button[type=submit]").click()
    wait_for(browser, lambda b: b.find_element(By.ID, "my-decision").text == "Approved")

    comment = ReviewComment.objects.get()
    assert (comment.item, comment.author) == (item, member)
    assert ReviewResponse.objects.get(review=review, reviewer=member).decision == ReviewDecision.APPROVED

    browser.delete_all_cookies()
    sign_in(browser, live_server, staff)
    browser.get(live_server.url + review.get_absolute_url())
    item_row = browser.find_element(By.ID, f"item-{item.pk}")
    assert "Please place waste thresholds before interim storage." in item_row.text
    assert str(member) in item_row.text
    rows = {
        r.find_element(By.CSS_SELECTOR, "td:nth-child(1)").text: r.find_element(
            By.CSS_SELECTOR, "td:nth-child(2)"
        ).text
        for r in browser.find_elements(By.CSS_SELECTOR, "table.responses tbody tr")
    }
    assert rows[str(member)] == "Approved"
    assert sorted(rows.values()).count("Awaiting review") == 9
