"""Series of online events ("Minamata Online", webinar series, online events before a COP). The
series holds its title and description; its events are meetings (`Meeting.series`) written by
`planning.meeting_save` like any other."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import EventSeries


@transaction.atomic
def event_series_save(*, series: EventSeries, by=None) -> EventSeries:
    """Validate and save a series (new or changed), recording who wrote it in its history."""
    for field in ("title_en", "title_fr", "title_es"):
        setattr(series, field, (getattr(series, field) or "").strip())
    series.full_clean()
    series._history_user = by
    series.save()
    return series


@transaction.atomic
def event_series_delete(*, series: EventSeries, by=None) -> None:
    """Delete a series that has no event (an event keeps its series: move or delete it first)."""
    count = series.events.count()
    if count:
        raise ValidationError(
            _("%(series)s has %(count)s events: move them to another series or delete them first.")
            % {"series": series.title, "count": count}
        )
    series._history_user = by
    series.delete()
