"""What an admin change page would post back unchanged, for tests that change one field of it and
post: the main form's and every inline form's values as the page shows them (split date and time
widgets as their parts, ticks as lists, booleans as "on" or absent, disabled fields and file
fields left out: a browser sends a file only when one is chosen), with each inline's management form."""

from django.forms import FileField, MultiWidget


def admin_post_data(response) -> dict:
    data = {}
    _add_form(data, response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = str(management[name].value())
        for form in formset.forms:
            _add_form(data, form)
    return data


def _add_form(data: dict, form) -> None:
    for bound in form:
        if bound.field.disabled or isinstance(bound.field, FileField):
            continue
        value, widget = bound.value(), bound.field.widget
        widget = getattr(widget, "widget", widget)  # the admin's related-field wrapper
        if isinstance(widget, MultiWidget):
            value = value if isinstance(value, list) else widget.decompress(value)
            for index, part in enumerate(value):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = str(value)
