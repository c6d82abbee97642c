"""Writes for calls: create and send a call, answer it, decide on answers, remind, compile."""

from .answers import answer_accept, answer_resubmit, answer_return, answer_submit, answer_submit_check
from .calls import call_check, call_create, call_send, call_update
from .compilation import call_compile
from .reminders import reminder_schedule, reminder_send, reminder_send_now, reminders_send_due

__all__ = [
    "answer_accept",
    "answer_resubmit",
    "answer_return",
    "answer_submit",
    "answer_submit_check",
    "call_check",
    "call_compile",
    "call_create",
    "call_send",
    "call_update",
    "reminder_schedule",
    "reminder_send",
    "reminder_send_now",
    "reminders_send_due",
]
