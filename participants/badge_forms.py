"""Forms of the badge: the delegate's photo, and the colours of a meeting's badges for the admin
(one colour picker per category instead of a JSON box). Both check through services.badges."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .enums import DEFAULT_BADGE_COLOURS, BadgeCategory
from .services.badges import PHOTO_MAX_BYTES, badge_colours_check, badge_photo_prepare


class BadgePhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("Badge photo"),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
        help_text=_(
            "A recent portrait, face and shoulders, JPEG or PNG, up to %(size)s MB. It is cropped to "
            "the badge's frame and seen only by you and the secretariat."
        )
        % {"size": PHOTO_MAX_BYTES // (1024 * 1024)},
    )

    def clean_photo(self):
        # Checked here to show the refusal on the field; the service checks it again when it saves.
        photo = self.cleaned_data["photo"]
        try:
            badge_photo_prepare(photo)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["photo"]) from exc
        return photo


class ColourInput(forms.TextInput):
    input_type = "color"


class BadgeColoursWidget(forms.MultiWidget):
    """One labelled colour picker per category, each showing its default beside it."""

    def __init__(self, attrs=None):
        super().__init__([ColourInput(attrs) for _category in BadgeCategory], attrs)

    def decompress(self, value):
        value = value or {}
        return [value.get(c, DEFAULT_BADGE_COLOURS[c]) for c in BadgeCategory.values]

    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)
        rows = []
        for subwidget, category in zip(context["widget"]["subwidgets"], BadgeCategory, strict=True):
            input_id = subwidget["attrs"].get("id") or f"id_{subwidget['name']}"
            default = DEFAULT_BADGE_COLOURS[category]
            rows.append(
                (subwidget["name"], input_id, subwidget["value"] or default, input_id, category.label,
                 _("default %(colour)s") % {"colour": default})
            )  # fmt: skip
        items = format_html_join(
            "",
            '<li><input type="color" name="{}" id="{}" value="{}"> <label for="{}">{}</label> '
            '<small class="help">{}</small></li>',
            rows,
        )
        return format_html('<ul class="badge-colours">{}</ul>', items)


class BadgeColoursField(forms.MultiValueField):
    """{category: "#rrggbb"} for every category, one colour picker each; saved only where it
    differs from the default, so a later change of the defaults reaches meetings that kept them."""

    widget = BadgeColoursWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("The band's colour for each category on this meeting's badges (white text is printed on it)."),
        )
        fields = [forms.CharField(required=False, max_length=7) for _category in BadgeCategory]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        chosen = dict(zip(BadgeCategory.values, data_list or [], strict=False))
        try:
            colours = badge_colours_check({c: v for c, v in chosen.items() if v})
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["badge_colours"]) from exc
        return {c: v for c, v in colours.items() if v != DEFAULT_BADGE_COLOURS[c]}
