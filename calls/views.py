"""The calls pages: staff's list, creation, sending, the board of who answered, decisions on
answers, reminders and the compilation; the answer pages of focal points and observer contacts.
Each view asks one named rule of `calls/rules.py`."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from minamata_portal.access import load_or_404, rule_required
from minamata_portal.files import stored_file_response
from minamata_portal.forms import form_add_service_errors, messages_add_service_errors

from . import selectors, services
from .forms import AnswerForm, CallForm, ReminderForm, ReturnForm
from .models import Call

_call = load_or_404(selectors.call_detail)
_answer = load_or_404(selectors.answer_detail)
_answer_file = load_or_404(selectors.answer_file_detail)
_seat_country = load_or_404(selectors.seat_for_country)
_seat_organisation = load_or_404(selectors.seat_for_organisation)


# --- Staff ----------------------------------------------------------------------------------------


@rule_required("calls.manage_calls")
def staff_list(request):
    calls = Call.objects.select_related("meeting", "compilation").order_by("-created", "-pk")
    return render(request, "calls/staff_list.html", {"calls": calls})


@rule_required("calls.manage_calls")
def staff_create(request):
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.call_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Call saved as a draft. Check it, then send it."))
            return redirect("calls:staff_detail", pk=call.pk)
    return render(request, "calls/staff_form.html", {"form": form, "call": None})


@rule_required("calls.manage_calls", load=_call)
def staff_edit(request, call, pk):
    form = CallForm(request.POST or None, instance=Call.objects.get(pk=call.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.call_update(call=call, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Call saved."))
            return redirect("calls:staff_detail", pk=call.pk)
    return render(request, "calls/staff_form.html", {"form": form, "call": call})


@rule_required("calls.manage_calls", load=_call)
def staff_detail(request, call, pk):
    addressees = selectors.call_addressees(call)
    answered = [a for a in addressees if a.has_answered]
    waiting = [a for a in addressees if not a.has_answered]
    return render(
        request,
        "calls/staff_detail.html",
        {
            "call": call,
            "answered": answered,
            "waiting": waiting,
            "reminders": call.reminders.order_by("send_on", "pk"),
            "reminder_form": ReminderForm(),
            "return_form": ReturnForm(),
            "history": call.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


def _act(request, call, action, success):
    try:
        result = action()
    except ValidationError as error:
        messages_add_service_errors(request, error)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("calls:staff_detail", pk=call.pk)


@require_POST
@rule_required("calls.manage_calls", load=_call)
def staff_send(request, call, pk):
    return _act(
        request, call, lambda: services.call_send(call=call, by=request.user), _("The call has been sent.")
    )


@require_POST
@rule_required("calls.manage_calls", load=_call)
def staff_remind(request, call, pk):
    return _act(
        request,
        call,
        lambda: services.reminder_send_now(call=call, by=request.user),
        lambda reminder: (
            ngettext(
                "Reminder sent to %(n)d person whose State or organisation has not answered.",
                "Reminder sent to %(n)d people whose State or organisation has not answered.",
                reminder.recipients,
            )
            % {"n": reminder.recipients}
        ),
    )


@require_POST
@rule_required("calls.manage_calls", load=_call)
def staff_schedule_reminder(request, call, pk):
    form = ReminderForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Send a reminder on: enter a date as YYYY-MM-DD."))
        return redirect("calls:staff_detail", pk=call.pk)
    return _act(
        request,
        call,
        lambda: services.reminder_schedule(call=call, send_on=form.cleaned_data["send_on"], by=request.user),
        lambda reminder: (
            _("A reminder will go on %(day)s to those who have not answered by then.")
            % {"day": reminder.send_on.isoformat()}
        ),
    )


@require_POST
@rule_required("calls.manage_calls", load=_call)
def staff_compile(request, call, pk):
    return _act(
        request,
        call,
        lambda: services.call_compile(call=call, by=request.user),
        lambda compiled: (
            _("The answers are compiled in %(symbol)s.") % {"symbol": compiled.compilation.symbol}
        ),
    )


@require_POST
@rule_required("calls.manage_calls", load=_answer)
def staff_accept(request, answer, pk):
    return _act(
        request,
        answer.call,
        lambda: services.answer_accept(answer=answer, by=request.user),
        _("Answer accepted."),
    )


@require_POST
@rule_required("calls.manage_calls", load=_answer)
def staff_return(request, answer, pk):
    return _act(
        request,
        answer.call,
        lambda: services.answer_return(answer=answer, reason=request.POST.get("reason", ""), by=request.user),
        _("Answer returned; its sender has been told why."),
    )


# --- Focal points and observer contacts -----------------------------------------------------------


@rule_required("calls.answer_calls")
def mine(request):
    return render(request, "calls/mine.html", {"calls": selectors.calls_for_user(request.user)})


def _answer_page(request, seat):
    form = AnswerForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("answer"):
                services.answer_resubmit(
                    seat=seat, answer_pk=request.POST["answer"], text=data["text"], files=data["files"],
                    by=request.user,
                )  # fmt: skip
            else:
                services.answer_submit(seat=seat, text=data["text"], files=data["files"], by=request.user)
        except ValidationError as error:
            form_add_service_errors(form, error)
        else:
            messages.success(request, _("Your answer has been received; a receipt is on its way by e-mail."))
            return redirect(request.path)
    addressed = selectors.call_is_addressed_to(
        seat.call, country=seat.country, organisation=seat.organisation
    )
    return render(
        request,
        "calls/answer.html",
        {
            "seat": seat,
            "call": seat.call,
            "form": form,
            "answers": selectors.seat_answers(seat),
            "addressed": addressed,
            "open": addressed and selectors.call_is_open(seat.call),
        },
    )


@rule_required("calls.answer_call", load=_seat_country, hide=True)
def answer_for_country(request, seat, pk, code):
    return _answer_page(request, seat)


@rule_required("calls.answer_call", load=_seat_organisation, hide=True)
def answer_for_organisation(request, seat, pk, organisation):
    return _answer_page(request, seat)


@rule_required("calls.view_answer_file", load=_answer_file, hide=True)
def answer_file(request, stored, pk):
    return stored_file_response(stored.file, kind=stored.kind, name=f"answer-{stored.answer_id}-{stored.pk}")
