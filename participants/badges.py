"""Badge PDFs: name, State or organisation, capacity and a QR code with the signed badge token."""

import segno
from django.utils.safestring import mark_safe

from minamata_portal.pdf import render_pdf

from .services import badge_token


def qr_svg(data: str) -> str:
    # Inline SVG: WeasyPrint draws it as vectors, no image file or fetch involved.
    return segno.make(data, error="m").svg_inline(scale=3, border=2, omitsize=False)


def badges_pdf(*, meeting, registrations) -> bytes:
    badges = [
        {"registration": r, "qr": mark_safe(qr_svg(badge_token(r))), "token": badge_token(r)}
        for r in registrations
    ]
    return render_pdf("participants/pdf/badges.html", {"meeting": meeting, "badges": badges})
