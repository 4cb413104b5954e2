"""Writes for accounts."""

from __future__ import annotations

from django.utils import translation


def password_reset_mail_queue(
    *,
    email: str,
    domain: str,
    use_https: bool,
    subject_template_name: str,
    email_template_name: str,
    language: str | None,
    request_id: str,
) -> None:
    """Queue a reset link for each active account that uses `email`; for an
    address nobody uses, nothing. Idempotent per `request_id` (the outbox's
    dedupe key), so running it twice for one request sends one mail."""
    from .forms import OutboxPasswordResetForm

    form = OutboxPasswordResetForm(data={"email": email})
    if not form.is_valid():
        return
    with translation.override(language):
        form.queue_mails(
            domain=domain,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            request_id=request_id,
        )
