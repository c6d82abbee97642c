"""Staff's wording of a letter: each save is a new version."""

from letters.models import LetterTemplate
from letters.rendering import compile_body


def letter_template_save(*, template: LetterTemplate, by=None) -> LetterTemplate:
    """Save staff's wording as a new version; a body that does not compile is refused."""
    compile_body(template.body)
    template.version = (template.version or 0) + 1 if template.pk else 1
    template.modified_by = by
    template.save()
    return template
