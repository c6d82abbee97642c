import re

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_delegate_signs_up_verifies_the_email_and_signs_in(browser, live_server, smtp_server):
    email, password = "amina.delegate@example.org", "Mercury free 2017!"
    browser.get(live_server.url + "/accounts/signup/")
    browser.find_element(By.NAME, "email").send_keys(email)
    browser.find_element(By.NAME, "password1").send_keys(password)
    browser.find_element(By.NAME, "password2").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action*=signup] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/accounts/signup/" not in b.current_url)
    assert "verify" in browser.find_element(By.TAG_NAME, "h1").text.lower()

    [received] = smtp_server.wait_for(1)
    assert received["to"] == [email]
    body = received["message"].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body).group(0)
    assert link.startswith(live_server.url)

    browser.get(link)
    browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/accounts/confirm-email/" not in b.current_url)
    assert User.objects.get(email=email).emailaddress_set.get().verified

    browser.get(live_server.url + "/accounts/login/")
    browser.find_element(By.NAME, "login").send_keys(email)
    browser.find_element(By.NAME, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "form[action*=login] button[type=submit]").click()
    WebDriverWait(browser, 10).until(lambda b: "/accounts/login/" not in b.current_url)
    assert "Sign out" in browser.find_element(By.CSS_SELECTOR, ".main-nav").text
