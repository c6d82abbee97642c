"""Badge PDFs: name, State or organisation, capacity and a QR code with the signed badge token."""

import io

from pypdf import PdfWriter

from minamata_portal.pdf import render_pdf
from minamata_portal.qr import qr_png_data_uri

from .services.badges import badge_token

# WeasyPrint's time per page grows with the number of pages in one document (100 badges ≈ 2.7 s,
# 500 ≈ 21 s on the bench machine): render in chunks and join them, which stays linear.
CHUNK = 100


def _render(meeting, registrations) -> bytes:
    badges = []
    for registration in registrations:
        token = badge_token(registration)
        badges.append({"registration": registration, "qr": qr_png_data_uri(token), "token": token})
    return render_pdf("participants/pdf/badges.html", {"meeting": meeting, "badges": badges})


def badges_pdf(*, meeting, registrations) -> bytes:
    registrations = list(registrations)
    if len(registrations) <= CHUNK:
        return _render(meeting, registrations)
    writer = PdfWriter()
    for start in range(0, len(registrations), CHUNK):
        writer.append(io.BytesIO(_render(meeting, registrations[start : start + CHUNK])))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()
