"""The staff status page: the admin's "Status of the portal" shows the readiness checks, the
queues (mails and letters by status, the oldest waiting first with their retry times), the failed
items with their error and a retry action, and the last run of every scheduled task. Only staff
holding the operations permissions open it (rules: operations.open_status_page,
operations.retry_failed_item); retries are POSTs that call the owning app's services."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import capfirst

from letters.enums import LetterStatus
from outbox.enums import MailStatus

from . import selectors
from .enums import CheckState
from .health import readiness_report
from .models import ScheduledTaskRun
from .services.retry import RetryRefused, failed_letter_retry, failed_mail_retry


@admin.register(ScheduledTaskRun)
class StatusAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("operations.open_status_page")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_urls(self):
        return [
            path(
                "mail/<int:pk>/retry/",
                self.admin_site.admin_view(self.retry_mail),
                name="operations_scheduledtaskrun_retry_mail",
            ),
            path(
                "letter/<int:pk>/retry/",
                self.admin_site.admin_view(self.retry_letter),
                name="operations_scheduledtaskrun_retry_letter",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        ready, report = readiness_report()
        limits = selectors.backlog_limits()
        context = {
            **self.admin_site.each_context(request),
            "title": capfirst(self.opts.verbose_name_plural),
            "opts": self.opts,
            "ready": ready,
            "checks": [
                (name, check, CheckState(check["state"]).label) for name, check in report["checks"].items()
            ],
            "backlog_max": limits[0],
            "backlog_max_age": limits[1],
            "mail_counts": [(MailStatus(s).label, n) for s, n in selectors.mails_by_status().items()],
            "letter_counts": [(LetterStatus(s).label, n) for s, n in selectors.letters_by_status().items()],
            "mails_waiting": selectors.mails_waiting(),
            "letters_waiting": selectors.letters_waiting(),
            "mails_failed": selectors.mails_failed(),
            "letters_failed": selectors.letters_failed(),
            "task_runs": selectors.scheduled_task_runs(),
            "alerts": selectors.operator_alerts(limit=20),
            "can_retry": request.user.has_perm("operations.retry_failed_item"),
        }
        return TemplateResponse(request, "admin/operations/status.html", context)

    def _retry(self, request, retry, pk):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not request.user.has_perm("operations.retry_failed_item"):
            raise PermissionDenied
        try:
            self.message_user(request, retry(pk, request.user), messages.SUCCESS)
        except RetryRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:operations_scheduledtaskrun_changelist"))

    def retry_mail(self, request, pk):
        return self._retry(request, lambda pk, by: failed_mail_retry(mail_id=pk, by=by), pk)

    def retry_letter(self, request, pk):
        return self._retry(request, lambda pk, by: failed_letter_retry(letter_id=pk, by=by), pk)
