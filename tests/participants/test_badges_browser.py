"""The badge in a real browser: the delegate adds a photo from "My registrations", the desk issues
the badges and downloads them as A6 cards and as A4 sheets; the downloaded PDF is read back (QR
code decoded from the rasterised page, name and category with pdftotext, the photo printed)."""

import base64
import io
import subprocess

import pytest
import zxingcpp
from django.core import signing
from PIL import Image
from selenium.webdriver.common.by import By

from participants.enums import RegistrationStatus
from participants.services.badges import BADGE_SALT
from tests.browser_helpers import click_and_wait, sign_in, wait_for
from tests.factories import StaffFactory, UserFactory, country

from .factories import RegistrationFactory, upcoming_meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCH_PDF = """
const done = arguments[arguments.length - 1];
fetch(arguments[0], {credentials: "same-origin"})
  .then(r => r.arrayBuffer())
  .then(buffer => {
    const bytes = new Uint8Array(buffer);
    let text = "";
    for (let i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
    done(btoa(text));
  })
  .catch(error => done("ERROR " + error));
"""


def _download(browser, href) -> bytes:
    encoded = browser.execute_async_script(FETCH_PDF, href)
    assert not encoded.startswith("ERROR"), encoded
    return base64.b64decode(encoded)


def test_delegate_adds_a_photo_and_the_desk_prints_the_badge(browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    browser.set_script_timeout(60)
    meeting = upcoming_meeting(code="cop-badges", title_en="Sixth meeting of the Conference of the Parties")
    delegate = UserFactory(first_name="Mwila", last_name="Banda")
    registration = RegistrationFactory(
        meeting=meeting, user=delegate, title="H.E.", first_name="Mwila", last_name="Banda",
        country=country("ZMB"), status=RegistrationStatus.ACCREDITED,
    )  # fmt: skip

    # 1. The delegate adds a photo from "My registrations".
    photo = tmp_path / "portrait.png"
    Image.new("RGB", (600, 800), (200, 30, 30)).save(photo)
    sign_in(browser, live_server, delegate)
    browser.get(f"{live_server.url}/participants/mine/")
    browser.find_element(By.CSS_SELECTOR, "details.badge-photo summary").click()
    browser.find_element(By.ID, f"badge-photo-{registration.pk}").send_keys(str(photo))
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "details.badge-photo button[type=submit]"))
    assert "Your badge photo is saved." in browser.find_element(By.TAG_NAME, "main").text
    registration.refresh_from_db()
    assert registration.photo
    browser.get(live_server.url + "/")
    browser.delete_all_cookies()

    # 2. The desk issues the badges, then downloads them from its page, as cards and as sheets.
    staff = StaffFactory(roles=["Registration officer"])
    sign_in(browser, live_server, staff)
    desk = f"{live_server.url}/participants/staff/{meeting.code}/"
    browser.get(desk)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$='/badges/issue/'] button"))
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.BADGE_ISSUED
    browser.get(desk)
    cards = browser.find_element(By.LINK_TEXT, "A6 cards, one a page").get_attribute("href")
    sheets = browser.find_element(By.LINK_TEXT, "A4 sheets of four cards, with cut marks").get_attribute(
        "href"
    )
    for href, size in ((cards, "297.638 x 419.528"), (sheets, "595.276 x 841.89")):
        pdf = _download(browser, href)
        assert pdf.startswith(b"%PDF")
        path = tmp_path / "badge.pdf"
        path.write_bytes(pdf)
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
        info = " ".join(info.split())
        assert f"Page size: {size} pts" in info and "Pages: 1 " in info
        text = " ".join(
            subprocess.run(
                ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
            ).stdout.split()
        )
        assert "Sixth meeting of the Conference of the Parties" in text
        assert "H.E. Mwila BANDA Zambia Party" in text
        png = subprocess.run(
            ["pdftoppm", "-r", "150", "-gray", "-png", "-singlefile", str(path)],
            check=True,
            capture_output=True,
        ).stdout
        found = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)), formats=zxingcpp.BarcodeFormat.QRCode)
        assert [signing.loads(f.text, salt=BADGE_SALT) for f in found] == [
            {"r": registration.pk, "m": meeting.pk}
        ]
        images = subprocess.run(["pdfimages", "-list", str(path)], check=True, capture_output=True, text=True)
        assert " 420   560 " in images.stdout  # the photo, printed at the size it was stored

    # The photo itself is the desk's to see too, never cached.
    browser.get(f"{live_server.url}/participants/registrations/{registration.pk}/photo.jpg")
    wait_for(browser, lambda b: b.find_elements(By.TAG_NAME, "img"))
