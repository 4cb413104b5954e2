"""Thin tasks over accounts.services."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=5,
)
def password_reset_mail(
    *,
    email: str,
    domain: str,
    use_https: bool,
    subject_template_name: str,
    email_template_name: str,
    language: str | None,
    request_id: str,
) -> None:
    """Look up the accounts using `email` and queue their reset links. Safe to
    run twice (acks_late, retries): the outbox keeps one mail per account and
    `request_id`."""
    services.password_reset_mail_queue(
        email=email,
        domain=domain,
        use_https=use_https,
        subject_template_name=subject_template_name,
        email_template_name=email_template_name,
        language=language,
        request_id=request_id,
    )
