import logging
import uuid

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.publish import publish_once
from notifications.outbox import email_queue

log = logging.getLogger(__name__)


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "That e-mail and password do not match an account. Passwords are case-sensitive."
        ),
    }

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through the outbox like every other mail, so
    the request never waits on (or fails with) the mail server.

    The request itself never looks the address up: it hands it to a worker
    (accounts.tasks.password_reset_mail), one identical message whether or
    not an account uses it, so neither the answer nor its time tells the two
    apart. The worker calls queue_mails(): Django's save(), one mail per
    active account with that address."""

    def save(
        self,
        domain_override=None,
        subject_template_name="registration/password_reset_subject.txt",
        email_template_name="registration/password_reset_email.txt",
        use_https=False,
        token_generator=None,
        from_email=None,
        request=None,
        html_email_template_name=None,
        extra_email_context=None,
    ):
        from . import services
        from .tasks import password_reset_mail

        job = {
            "email": self.cleaned_data["email"],
            "domain": domain_override or request.get_host(),
            "use_https": use_https,
            "subject_template_name": subject_template_name,
            "email_template_name": email_template_name,
            "language": get_language(),
            "request_id": uuid.uuid4().hex,
        }
        if not publish_once(password_reset_mail, kwargs=job):
            # Broker down: do the worker's part here, into the outbox.
            log.warning("Password reset mail queued in the request")
            services.password_reset_mail_queue(**job)

    def queue_mails(
        self,
        *,
        domain: str,
        use_https: bool,
        subject_template_name: str,
        email_template_name: str,
        request_id: str,
    ) -> None:
        super().save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name=subject_template_name,
            email_template_name=email_template_name,
            extra_email_context={"request_id": request_id},
        )

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        email_queue(
            to=to_email,
            subject=subject,
            body=body,
            # One mail per account and request, however often a worker runs.
            dedupe_key=f"password-reset:{context['uid']}:{context['request_id']}",
            sensitive=True,
        )
