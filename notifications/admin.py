from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import outbox
from .models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = (
        "subject",
        "to",
        "status",
        "attempts",
        "created_at",
        "next_attempt_at",
        "sent_at",
    )
    list_filter = ("status", "sensitive")
    search_fields = ("to", "subject", "dedupe_key")
    readonly_fields = [
        f.name if f.name != "body" else "body_shown" for f in OutboundEmail._meta.fields
    ]
    exclude = ["body"]  # shown through body_shown only
    actions = ["send_again"]

    @admin.display(description=_("Body"))
    def body_shown(self, obj: OutboundEmail) -> str:
        """A sensitive message (a password-reset link) is never shown here,
        not even while it waits: the link is the account."""
        if obj.sensitive:
            return _("[hidden: this message carries a sign-in link]")
        return obj.body

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Send again (failed, or stuck while sending)"))
    def send_again(self, request, queryset):
        queued, skipped = outbox.emails_send_again(messages=queryset)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "%(n)d e-mail queued again; it is retried for two more days.",
                    "%(n)d e-mails queued again; they are retried for two more days.",
                    queued,
                )
                % {"n": queued},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(n)d e-mail left as it is: only a failed message, or one stuck while "
                    "sending, can be sent again, and a password-reset message whose link was "
                    "removed cannot (the person asks for a new link).",
                    "%(n)d e-mails left as they are: only a failed message, or one stuck while "
                    "sending, can be sent again, and a password-reset message whose link was "
                    "removed cannot (the person asks for a new link).",
                    skipped,
                )
                % {"n": skipped},
                messages.WARNING,
            )
