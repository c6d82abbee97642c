from django import template

from documents import selectors

register = template.Library()


@register.inclusion_tag("documents/_meeting_documents_list.html", takes_context=True)
def meeting_documents_block(context, meeting):
    """The documents section of a meeting's public page, grouped by agenda item."""
    request = context.get("request")
    user = getattr(request, "user", None)
    documents = selectors.meeting_documents(meeting=meeting, user=user)
    return {
        "meeting": meeting,
        "groups": selectors.group_by_agenda_item(documents),
        "count": len(documents),
        "can_manage": bool(user and user.has_perm("documents.manage_processing")),
    }
