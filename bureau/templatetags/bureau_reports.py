from django import template

from bureau import selectors

register = template.Library()


@register.inclusion_tag("bureau/_meeting_report.html", takes_context=True)
def meeting_report_block(context, meeting):
    """The report section of a meeting's public page: the published report in the languages it has
    (the visitor's first); the Bureau and staff also see it before it is published."""
    request = context.get("request")
    user = getattr(request, "user", None)
    insider = bool(user and user.is_authenticated and user.has_perm("bureau.view_unpublished_reports"))
    return {
        "meeting": meeting,
        "block": selectors.meeting_report_block(meeting=meeting, unpublished=insider),
        "can_manage_reports": bool(user and user.is_authenticated and user.has_perm("bureau.manage_reports")),
    }
