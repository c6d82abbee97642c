"""The milestone rules: how many weeks before a meeting's opening the documents of a series are
forecast, submitted to conference services and issued. Staff keep them in the admin, which saves
and deletes through these services; `selectors.document_milestones` reads them."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from meetings.enums import MeetingKind

from ..enums import Series
from ..models import MilestoneRule

MILESTONE_RULE_FIELDS = ["series", "meeting_kind", "forecast_weeks", "submission_weeks", "issuance_weeks"]
# Far enough for any planning; a mistyped "140" would put the forecast before the last meeting.
MAX_WEEKS = 52


def milestone_rule_check(
    *,
    series: str,
    meeting_kind: str,
    forecast_weeks: int | None,
    submission_weeks: int | None,
    issuance_weeks: int | None,
) -> None:
    """A rule names a known series and kind (or none: the fallback), counts 0 to MAX_WEEKS weeks
    (both ends included; 0 is the opening day itself), and puts its milestones in their order:
    the forecast no later than the submission, the submission no later than issuance (the same
    week for two of them is allowed)."""
    if series and series not in Series.values:
        raise ValidationError({"series": _("Choose a series, or none for every other series.")})
    if meeting_kind and meeting_kind not in MeetingKind.values:
        raise ValidationError({"meeting_kind": _("Choose a kind of meeting, or none for every other kind.")})
    weeks = {
        "forecast_weeks": forecast_weeks,
        "submission_weeks": submission_weeks,
        "issuance_weeks": issuance_weeks,
    }
    for field, value in weeks.items():
        if value is not None and not 0 <= value <= MAX_WEEKS:
            raise ValidationError(
                {field: _("Give a number of weeks from 0 to %(max)s.") % {"max": MAX_WEEKS}}
            )
    if forecast_weeks is not None and submission_weeks is not None and forecast_weeks < submission_weeks:
        raise ValidationError(
            {"forecast_weeks": _("The forecast cannot come after the submission to conference services.")}
        )
    if submission_weeks is not None and issuance_weeks is not None and submission_weeks < issuance_weeks:
        raise ValidationError(
            {"submission_weeks": _("The submission to conference services cannot come after issuance.")}
        )
    if forecast_weeks is not None and issuance_weeks is not None and forecast_weeks < issuance_weeks:
        raise ValidationError({"forecast_weeks": _("The forecast cannot come after issuance.")})


def milestone_rule_unique_check(*, series: str, meeting_kind: str, rule: MilestoneRule | None = None) -> None:
    """One rule per series and kind of meeting (the database holds it; this explains it)."""
    others = MilestoneRule.objects.filter(series=series, meeting_kind=meeting_kind)
    if rule is not None and rule.pk:
        others = others.exclude(pk=rule.pk)
    if others.exists():
        raise ValidationError(
            {"meeting_kind": _("There is already a rule for this series and kind of meeting.")},
            code="duplicate_rule",
        )


@transaction.atomic
def milestone_rule_save(*, rule: MilestoneRule | None = None, by=None, **fields) -> MilestoneRule:
    """Create a rule (`rule` None) or change one, from the fields of `MILESTONE_RULE_FIELDS`; the
    change is kept in the rule's history with `by`."""
    unknown = set(fields) - set(MILESTONE_RULE_FIELDS)
    if unknown:
        raise TypeError(f"unknown milestone rule fields: {sorted(unknown)}")
    rule = (
        MilestoneRule()
        if rule is None or not rule.pk
        else MilestoneRule.objects.select_for_update().get(pk=rule.pk)
    )
    for name, value in fields.items():
        setattr(rule, name, value if value is not None or name.endswith("_weeks") else "")
    milestone_rule_check(
        series=rule.series,
        meeting_kind=rule.meeting_kind,
        forecast_weeks=rule.forecast_weeks,
        submission_weeks=rule.submission_weeks,
        issuance_weeks=rule.issuance_weeks,
    )
    milestone_rule_unique_check(series=rule.series, meeting_kind=rule.meeting_kind, rule=rule)
    rule._history_user = by
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError:
        # Another officer saved the same series and kind between the check and this write.
        raise ValidationError(
            {"meeting_kind": _("There is already a rule for this series and kind of meeting.")},
            code="duplicate_rule",
        ) from None
    return rule


@transaction.atomic
def milestone_rule_delete(*, rule: MilestoneRule, by=None) -> None:
    """Delete a rule: the documents it covered fall back to the next rule that matches, or have
    no milestones."""
    rule = MilestoneRule.objects.select_for_update().get(pk=rule.pk)
    rule._history_user = by
    rule.delete()
